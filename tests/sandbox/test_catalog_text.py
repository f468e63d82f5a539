"""Pure helpers of the catalog: credits, Amazon-style titles, identifiers, CSV parsing."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from sandbox.catalog import text
from sandbox.catalog.credits import CreditSplitter, join_names, known_solo_names
from sandbox.catalog.ids import AsinAllocator, IsrcAllocator, image_url, uuid4_from
from sandbox.catalog.load import (
    PRESETS,
    LoadError,
    column_mapping,
    match_key,
    parse_date,
    parse_duration,
    parse_row,
)

KNOWN = known_solo_names(
    ["Drake", "Rihanna", "Kenny Rogers", "Dolly Parton", "Diana Ross", "The Supremes", "Future"]
)


@pytest.mark.parametrize(
    ("credit", "main", "featured"),
    [
        ("Drake Featuring Rihanna", ("Drake",), ("Rihanna",)),
        ("Kenny Rogers & Dolly Parton", ("Kenny Rogers", "Dolly Parton"), ()),
        ("Simon & Garfunkel", ("Simon & Garfunkel",), ()),
        ("Diana Ross & The Supremes", ("Diana Ross & The Supremes",), ()),
        ("Future X Drake", ("Future", "Drake"), ()),
        ("George LaMond (Duet With Brenda K. Starr)", ("George LaMond",), ("Brenda K. Starr",)),
        ("Drake Featuring Rihanna & Future", ("Drake",), ("Rihanna", "Future")),
    ],
)
def test_it_splits_credits_into_artists_only_where_the_parts_are_acts(credit, main, featured):
    split = CreditSplitter(KNOWN).split(credit)
    assert (split.main, split.featured) == (main, featured)


def test_it_joins_names_as_amazon_displays_them():
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B & C"


@pytest.mark.parametrize(
    ("tokenised", "plain"),
    [
        ("I Ca n't Go There ( Acoustic Version )", "I Can't Go There (Acoustic Version)"),
        ("Here 's To The Good Times", "Here's To The Good Times"),
        ("Still Down ( feat . Chevy Woods & Ty Dolla $ ign ) [ Explicit ]",
         "Still Down (feat. Chevy Woods & Ty Dolla $ign) [Explicit]"),
        ("Take Me Home : Yearbook Edition", "Take Me Home: Yearbook Edition"),
        ("I Wan na Go Crazy", "I Wanna Go Crazy"),
        ("Doin ' My Thing", "Doin' My Thing"),
        ("Take ÌÏ There", "Take ÌÏ There"),
    ],
)  # fmt: skip
def test_it_detokenises_the_benchmark_text(tokenised, plain):
    assert text.detokenise(tokenised) == plain


def test_amazon_title_decorations():
    rng = random.Random(1)
    assert text.explicit("Hold On") == "Hold On [Explicit]"
    assert text.clean("Hold On") == "Hold On [Clean]"
    assert text.with_featured("Work", ("Drake",), rng) in (
        "Work (feat. Drake)",
        "Work [feat. Drake]",
    )
    assert "2011" in text.remastered("Hold On", 2011, rng)
    assert "Karaoke Version" in text.karaoke("Hold On", "Wilson Phillips", rng)


def test_asins_are_unique_and_depend_on_the_seed():
    first = AsinAllocator(0)
    asins = [first.allocate() for _ in range(50_000)]
    assert len(set(asins)) == len(asins)
    assert all(re.fullmatch(r"B0[0-9A-Z]{8}", a) for a in asins)
    assert AsinAllocator(0).allocate() == asins[0]
    assert AsinAllocator(1).allocate() != asins[0]


def test_isrcs_number_recordings_per_registrant_and_year_and_skip_reserved_ones():
    allocator = IsrcAllocator(0)
    codes = [allocator.allocate("Wilson Phillips", 1990) for _ in range(3)]
    assert codes[0][:7] == codes[1][:7]
    assert [c[-5:] for c in codes] == ["00001", "00002", "00003"]
    assert all(len(c) == 12 and c[5:7] == "90" for c in codes)
    taken = IsrcAllocator(0).allocate("Wilson Phillips", 1990)
    assert IsrcAllocator(0, reserved=frozenset({taken})).allocate("Wilson Phillips", 1990) != taken


def test_uuids_and_images_are_reproducible():
    assert uuid4_from(random.Random(3)) == uuid4_from(random.Random(3))
    assert uuid4_from(random.Random(3))[14] == "4"
    assert image_url("album:B000000001") == image_url("album:B000000001")


@pytest.mark.parametrize(
    ("value", "seconds"), [("245", 245), ("4:05", 245), ("1:04:05", 3845), ("", None)]
)
def test_durations_read_as_seconds(value, seconds):
    assert parse_duration(value) == seconds


def test_a_bad_duration_is_a_load_error():
    with pytest.raises(LoadError):
        parse_duration("four minutes")


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2015-05-18", date(2015, 5, 18)),
        ("2015", date(2015, 1, 1)),
        ("May 18 , 2015", date(2015, 5, 18)),
        ("May 18, 2015", date(2015, 5, 18)),
        ("18-May-15", date(2015, 5, 18)),
        ("", None),
    ],
)
def test_release_dates_in_the_forms_exports_use(value, day):
    assert parse_date(value) == day


def test_match_keys_ignore_tokenisation_case_and_accents():
    assert match_key("I 'm a Machine ( feat . X )") == match_key("I'm A Machine (feat. X)")
    assert match_key("Beyoncé") == match_key("BEYONCE")


def test_the_amazon_pairs_preset_maps_the_benchmark_columns():
    header = ["split", "amazon_song_name", "amazon_artist_name", "amazon_album_name",
              "amazon_time", "amazon_released", "amazon_genre", "amazon_copyright"]  # fmt: skip
    mapping = column_mapping(header, PRESETS["amazon-pairs"])
    raw = dict(zip(header, ["train", "Silver And Gold [ Explicit ]", "Little Big Town",
                            "Pain Killer", "3:31", "October 21 , 2014", "Country",
                            "( C ) 2014 Capitol Records Nashville"], strict=True))  # fmt: skip
    row = parse_row(raw, mapping, detok=False)
    assert row.title == "Silver And Gold [ Explicit ]"
    assert row.explicit is True
    assert (row.duration, row.release_date) == (211, date(2014, 10, 21))
    assert row.label == "Capitol Records Nashville"
    assert parse_row(raw, mapping, detok=True).title == "Silver And Gold [Explicit]"


def test_a_file_without_titles_or_with_unknown_targets_is_refused():
    with pytest.raises(LoadError, match="title"):
        column_mapping(["song", "artists"], {})
    with pytest.raises(LoadError, match="unknown target"):
        column_mapping(["title", "artists"], {"colour": "title"})
