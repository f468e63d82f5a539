"""Matching across scripts: transliteration, Latin names in brackets, artists' other names,
and the version words that make another recording."""

from __future__ import annotations

import pytest

from transfer.formats.records import TrackRecord
from transfer.matching import Band, Candidate
from transfer.matching.cascade import decide
from transfer.matching.normalize import title_parts
from transfer.matching.scoring import score_candidate
from transfer.matching.scripts import artist_aliases, latin_forms, to_latin


def test_transliteration_by_script():
    assert to_latin("Группа крови") == "Gruppa krovi"
    assert to_latin("방탄소년단").lower() == "bangtansonyeondan"
    assert "senbonzakura" in [form.replace(" ", "").lower() for form in latin_forms("千本桜")]
    assert to_latin("Plain") == "Plain"


def test_gruppa_krovi_finds_the_cyrillic_listing():
    track = TrackRecord("Gruppa krovi", ("Kino",))
    right = Candidate("r", "Группа крови", ("Кино",), "Группа крови", 286000)
    other = Candidate("o", "Война", ("Кино",), "Группа крови", 243000)
    decision = decide(track, [other, right])
    assert (decision.band, decision.track_id) == (Band.MATCHED, "r")


def test_bts_is_found_when_credited_in_hangul():
    assert "bts" in artist_aliases("방탄소년단")
    track = TrackRecord("Dynamite", ("BTS",), duration_ms=199000)
    listing = Candidate("d", "Dynamite", ("방탄소년단",), "Dynamite (DayTime Version)", 199000)
    decision = decide(track, [listing])
    assert (decision.band, decision.track_id) == (Band.MATCHED, "d")


def test_a_latin_name_in_brackets_is_the_title_in_latin_letters():
    assert title_parts("상남자 (Boy In Luv)").alternate == "boy in luv"
    assert title_parts("Boy In Luv (Live)").alternate == ""
    scored = score_candidate(
        TrackRecord("Boy In Luv", ("BTS",)), Candidate("b", "상남자 (Boy In Luv)", ("BTS",))
    )
    assert scored.score >= 0.8


@pytest.mark.parametrize(
    "version",
    [
        "Pop Version",
        "Extended Mix",
        "Extended Version",
        "Continuous Mix",
        "Club Mix",
        "Original Mix",
        "Sped Up",
        "Slowed + Reverb",
        "8D Audio",
        "Nightcore",
        "Piano Version",
        "Orchestral",
        "Re-recorded",
        "Taylor's Version",
        "Japanese Ver.",
    ],
)
def test_new_version_words_are_other_recordings(version):
    original = Candidate("o", "Love Story", ("Taylor Swift",), "Fearless", 235000)
    other = Candidate("v", f"Love Story ({version})", ("Taylor Swift",), "Fearless", 235000)
    assert title_parts(f"Love Story ({version})").versions - {"remaster"}
    # Neither side is accepted as the other.
    assert (
        score_candidate(
            TrackRecord("Love Story", ("Taylor Swift",), duration_ms=235000), other
        ).score
        < 0.8
    )
    source = TrackRecord(f"Love Story ({version})", ("Taylor Swift",), duration_ms=235000)
    assert score_candidate(source, original).score < 0.8


def test_preload_loads_the_tables_a_worker_would_otherwise_load_on_its_first_title():
    from transfer.matching.scripts import _alias_table, _kakasi, preload

    preload()
    assert _kakasi.cache_info().currsize == 1
    assert _alias_table.cache_info().currsize == 1
    assert "senbonzakura" in [form.replace(" ", "").lower() for form in latin_forms("千本桜")]
