"""Durations, explicit flags, track numbers, escaped artist lists and "Artist - Title"."""

# Real titles use curly apostrophes and dashes; they are the point of these tests.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.formats.helpers import PROPERTY
from transfer.formats.values import (
    join_escaped,
    parse_duration,
    parse_explicit,
    parse_track_number,
    split_artist_title,
    split_escaped,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("228470", "auto", 228470),
        ("228", "auto", 228000),
        ("228.4", "auto", 228400),
        ("9999", "auto", 9_999_000),
        ("10000", "auto", 10000),
        ("228", "ms", 228),
        ("228470", "s", 228_470_000),
        ("3:48", "auto", 228000),
        ("03:48", "ms", 228000),
        ("75:00", "auto", 4_500_000),
        ("1:03:48", "auto", 3_828_000),
        ("3:48.5", "auto", 228500),
        ("PT3M48S", "auto", 228000),
        ("PT1H2M", "auto", 3_720_000),
        ("pt4.5s", "auto", 4500),
        ("  3:05 ", "auto", 185000),
        ("", "auto", None),
        ("   ", "ms", None),
    ],
)
def test_durations(text: str, unit: str, expected: int | None) -> None:
    assert parse_duration(text, unit) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["3:75", "1:60:00", "abc", "-5", "3 min", "PT", "1,5"])
def test_bad_durations_say_what_they_got(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10 * 3600 - 1))
@PROPERTY
def test_clock_durations_read_back(seconds: int) -> None:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    assert parse_duration(f"{hours}:{minutes:02d}:{secs:02d}") == seconds * 1000
    assert parse_duration(f"{hours * 60 + minutes}:{secs:02d}") == seconds * 1000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("Explicit", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("Clean", False),
        ("notExplicit", False),
        ("", None),
    ],
)
def test_explicit_flags(text: str, expected: bool | None) -> None:
    assert parse_explicit(text) is expected


def test_unknown_explicit_flag() -> None:
    with pytest.raises(ValueError, match="explicit flag 'maybe'"):
        parse_explicit("maybe")


@pytest.mark.parametrize(("text", "expected"), [("3", 3), ("03", 3), ("3/12", 3), ("", None)])
def test_track_numbers(text: str, expected: int | None) -> None:
    assert parse_track_number(text) == expected


@pytest.mark.parametrize("text", ["A", "three", "-1", "٣"])
def test_bad_track_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="track number"):
        parse_track_number(text)


def test_exportify_escaped_commas() -> None:
    assert split_escaped("Tyler\\, The Creator,Playboi Carti", ",") == (
        "Tyler, The Creator",
        "Playboi Carti",
    )
    assert split_escaped("Zedd, Maren Morris, Grey", ",") == ("Zedd", "Maren Morris", "Grey")
    # A lone backslash before anything else is part of the name.
    assert split_escaped("AC\\DC", ",") == ("AC\\DC",)
    assert split_escaped("", ",") == ()


names = st.text(st.characters(codec="utf-8"), min_size=1).map(str.strip).filter(bool)


@given(st.lists(names, max_size=5), st.sampled_from([",", ";"]))
@PROPERTY
def test_escaped_lists_round_trip(items: list[str], separator: str) -> None:
    assert split_escaped(join_escaped(items, separator, separator + " "), separator) == tuple(items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Queen - Bohemian Rhapsody", ("Queen", "Bohemian Rhapsody")),
        (
            "Buzzcocks - Orgasm Addict - 2001 Remastered Version",
            ("Buzzcocks", "Orgasm Addict - 2001 Remastered Version"),
        ),
        ("Jay-Z - 99 Problems", ("Jay-Z", "99 Problems")),
        ("Sigur Rós – Hoppípolla", ("Sigur Rós", "Hoppípolla")),
        ("Alex Lahey — Don’t Be Hard", ("Alex Lahey", "Don’t Be Hard")),
        # The earliest separator wins, whichever dash it is.
        ("A – B - C", ("A", "B - C")),
        ("No separator here", None),
        ("Jay-Z-99", None),
        (" - Title only", None),
    ],
)
def test_artist_title(text: str, expected: tuple[str, str] | None) -> None:
    assert split_artist_title(text) == expected
