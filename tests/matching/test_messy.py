"""Messy rows: detection, typed fields, hypotheses, containment scoring and acceptance."""

from __future__ import annotations

import pytest

from transfer.formats.records import TrackRecord
from transfer.matching import Band, Candidate, MatchPolicy
from transfer.matching.cascade import decide, plan_messy_queries
from transfer.matching.messy import messy_reasons, read_messy
from transfer.matching.scoring import score_candidate


def test_clean_rows_are_not_messy():
    for track in (
        TrackRecord("Don't Stop Me Now - Remastered 2011", ("Queen",), "Jazz", 209000),
        TrackRecord("First - Return to Tackyland", ("Cold War Kids",)),
        TrackRecord(
            "That Lucky Old Sun ( Just Rolls Around Heaven All Day ) [ With Willie Nelson ]",
            ("Kenny Chesney & Willie Nelson",),
        ),
        TrackRecord("Ease My Mind ( feat . Niki and the Dove ) [ GTA Remix ]", ("Skrillex",)),
    ):
        assert messy_reasons(track) == (), track.title


@pytest.mark.parametrize(
    ("title", "artists", "reason"),
    [
        ("Silver and Gold 3:33", ("Little Big Town",), "a duration in the title"),
        ("Halcyon Ellie Goulding $ 1.29", (), "no artist"),
        ("Tackle Box $ 1.29 14-Aug-07", ("Luke Bryan",), "a date in the title"),
        ("Gone ‰ ãÑ 2012 XO & co. , Inc.", ("The Weeknd",), "copyright in the title"),
        ("Credit Pop , Music , Rock , Pop/Rock", ("Meghan Trainor",), "genres in the title"),
        ("Kino - Gruppa krovi (Official Video) [HD]", ("KinoVEVO",), "a video title"),
        ("Kino - Gruppa krovi", (), "an 'Artist - Title' shape"),
        ("Gruppa krovi by Kino", (), "a 'Title by Artist' shape"),
        ("Anything", ("Unknown Artist",), "suspicious artist"),
    ],
)
def test_messy_rows_say_why(title, artists, reason):
    assert reason in messy_reasons(TrackRecord(title, artists))


def test_typed_fields_come_out_and_video_words_go():
    messy = read_messy(
        TrackRecord("Halcyon Ellie Goulding $ 1.29 ‰ ãÑ 2013 Polydor Ltd. ( UK ) 3:24", ())
    )
    assert messy is not None
    assert messy.duration_s == 204
    assert messy.joined == "halcyon ellie goulding"
    video = read_messy(TrackRecord("Kino - Gruppa krovi (Official Video) [HD]", ("KinoVEVO",)))
    assert video is not None
    assert video.query_text == "kino gruppa krovi"
    assert ("gruppa krovi", "kino") in video.hypotheses


def test_dash_rows_search_each_hypothesis_then_free_text():
    messy = read_messy(TrackRecord("Kino - Gruppa krovi", ()))
    assert messy is not None
    labels = [(q.label, q.filters) for q in plan_messy_queries(messy)]
    assert labels[0] == (
        "title and artist guess",
        (("name", "gruppa krovi"), ("artistName", "kino")),
    )
    assert labels[-1] == ("cleaned text", (("", "kino gruppa krovi"),))


HALCYON = Candidate("h", "Halcyon", ("Ellie Goulding",), "Halcyon Days", 204000)
HALCYON_LIVE = Candidate("l", "Halcyon (Live)", ("Ellie Goulding",), "Live", 230000)
OTHER_SONG = Candidate("o", "Burn", ("Ellie Goulding",), "Halcyon Days", 231000)


def test_the_title_starting_the_text_with_its_artist_named_is_accepted():
    track = TrackRecord("Halcyon Ellie Goulding $ 1.29 ‰ ãÑ 2013 Polydor Ltd. ( UK ) 3:24", ())
    decision = decide(track, [OTHER_SONG, HALCYON_LIVE, HALCYON])
    assert decision.band is Band.MATCHED
    assert decision.track_id == "h"
    assert "messy row" in decision.explanation


def test_a_title_prefix_without_artist_or_duration_only_goes_to_review():
    track = TrackRecord("Halcyon and more words nobody explains", ())
    scored = score_candidate(track, HALCYON)
    assert scored.score < MatchPolicy.named("lenient").match_threshold
    assert decide(track, [HALCYON]).band is Band.REVIEW


def test_a_version_right_after_the_title_is_not_the_original():
    track = TrackRecord("Halcyon ( Live ) Ellie Goulding 3:50", ())
    assert decide(track, [HALCYON, HALCYON_LIVE]).track_id == "l"
    assert score_candidate(track, HALCYON).score < 0.8


def test_artist_dash_title_finds_the_title_after_the_artist():
    kino = Candidate("k", "Gruppa krovi", ("Kino",), "Gruppa krovi", 286000)
    war = Candidate("w", "Voyna", ("Kino",), "Gruppa krovi", 243000)
    decision = decide(TrackRecord("Kino - Gruppa krovi (Official Video) [HD]", ()), [war, kino])
    assert (decision.band, decision.track_id) == (Band.MATCHED, "k")
