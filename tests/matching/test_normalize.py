from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from transfer.matching import normalize
from transfer.matching.normalize import album_core, split_artists, title_parts


@pytest.mark.parametrize(
    ("title", "core"),
    [
        ("Don\u2019t Stop Me Now", "dont stop me now"),
        ("Don't Stop Me Now - Remastered 2011", "dont stop me now"),
        ("I Ca n't Go There ( Acoustic Version )", "i cant go there"),
        ("Beyoncé", "beyonce"),
        ("Rock & Roll", "rock and roll"),
        ("Illusion ( feat . Echosmith )", "illusion"),
        ("Cold Water [feat. Justin Bieber & MØ]", "cold water"),
    ],
)
def test_titles_reduce_to_a_comparable_core(title: str, core: str) -> None:
    assert title_parts(title).core == core


def test_featured_artists_come_out_of_the_title() -> None:
    parts = title_parts("Cold Water (feat. Justin Bieber & MØ)")
    assert parts.featured == ("justin bieber", "mo")


@pytest.mark.parametrize(
    ("title", "tags"),
    [
        ("Over When It's Over (Live)", {"live"}),
        ("Applause (Goldhouse Remix)", {"remix"}),
        ("We Dem Boyz Remix", {"remix"}),
        ("Hello - Radio Edit", {"radio edit"}),
        ("Yesterday - Remastered 2009", {"remaster"}),
        ("Smells Like Teen Spirit (Karaoke Version)", {"karaoke"}),
        ("Plain Song", set()),
    ],
)
def test_version_tags_are_recognised(title: str, tags: set[str]) -> None:
    assert title_parts(title).versions == tags


@pytest.mark.parametrize(
    ("title", "explicit"),
    [("Beggin' [Explicit]", True), ("Roll Up [ Clean ]", False), ("Heat Waves", None)],
)
def test_explicit_and_clean_markers(title: str, explicit: bool | None) -> None:
    assert title_parts(title).explicit is explicit


def test_two_remixes_differ_in_detail_not_in_tag() -> None:
    a = title_parts("Applause (Goldhouse Remix)")
    b = title_parts("Applause (Empire Of The Sun Remix)")
    assert a.versions == b.versions == {"remix"}
    assert a.detail != b.detail


def test_a_remaster_year_is_not_a_different_recording() -> None:
    assert title_parts("Yesterday - Remastered 2009").detail == ""


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("Drake Featuring Rihanna", ("drake", "rihanna")),
        ("Zedd, Maren Morris & Grey", ("zedd", "maren morris", "grey")),
        ("The Beatles", ("beatles",)),
        ("Silk Sonic (Bruno Mars & Anderson .Paak)", ("silk sonic bruno mars", "anderson paak")),
    ],
)
def test_artist_credits_split_into_names(credit: str, names: tuple[str, ...]) -> None:
    assert split_artists(credit) == names


def test_album_edition_noise_is_removed() -> None:
    assert album_core("Glitterbug (Deluxe Edition)")[0] == "glitterbug"
    assert album_core("Nothing But the Beat 2.0 [ Explicit ]") == ("nothing but the beat 2 0", True)


# --- the ASCII fast paths give what the regular expressions give --------------------------

_PAIRS_FILES = sorted(
    (Path(__file__).resolve().parents[2] / "sandbox" / "data").glob("*pairs*.csv.gz")
)


def _real_strings() -> list[str]:
    """Every title, artist and album of the real pairs files, and harder variants of them:
    tokenised punctuation, runs of spaces, tabs and other white space, " n't"."""
    found: set[str] = set()
    for path in _PAIRS_FILES:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found.update(v for k, v in row.items() if k.endswith(("_name", "song_name")) and v)
    strings = sorted(found)
    variants = []
    for text in strings[::7]:
        variants += [
            text.replace(" ", "  "),
            text.replace(" ", "\t", 1),
            text + " n't ( live ) [ feat . x ] .",
            "( " + text.replace("'", " '") + " ) - remastered 2011",
            text + "\x1f live\x0b\u00a0( remix )",
        ]
    return strings + variants


def _squash_by_regex(text: str) -> str:
    return normalize._NON_WORD_RUN.sub(" ", text.replace("&", " and ").replace("'", "")).strip()


def test_ascii_fast_paths_agree_with_the_regular_expressions() -> None:
    strings = _real_strings()
    assert len(strings) > 2_000
    for text in strings:
        lowered = normalize.fold(text)
        by_regex = (
            normalize._TOKENISED_SPACES.sub("", lowered)
            if normalize._TOKENISED_HINT.search(lowered)
            else lowered
        )
        assert normalize.detokenise(lowered) == by_regex, text
        assert normalize.folded(text) == by_regex, text
        assert normalize.squash(lowered) == _squash_by_regex(lowered), text
        if lowered.isascii():
            # The words _version_tags looks for, read as bytes and as str.
            as_bytes = normalize._VERSION_HINT_BYTES.intersection(
                lowered.encode().translate(normalize._PUNCTUATION_TO_SPACE_BYTES).split()
            )
            as_str = normalize._VERSION_HINTS.intersection(
                lowered.translate(normalize._PUNCTUATION_TO_SPACE).split()
            )
            assert {hint.decode() for hint in as_bytes} == as_str, text
