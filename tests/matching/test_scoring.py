from __future__ import annotations

from transfer.formats.records import TrackRecord
from transfer.matching import Candidate, score_candidate


def track(title: str, artist: str, seconds: int | None = None, **extra) -> TrackRecord:
    return TrackRecord(
        title=title,
        artists=(artist,),
        duration_ms=seconds * 1000 if seconds else None,
        **extra,
    )


def cand(title: str, artist: str, seconds: int | None = None, **extra) -> Candidate:
    return Candidate(
        id=extra.pop("id", "B0TEST0001"),
        title=title,
        artists=tuple(artist.split(" & ")),
        duration_ms=seconds * 1000 if seconds else None,
        **extra,
    )


def test_the_same_track_written_differently_scores_high() -> None:
    scored = score_candidate(
        track("Don\u2019t Be So Hard On Yourself", "Alex Lahey", 258),
        cand("Don't Be So Hard on Yourself", "Alex Lahey", 258),
    )
    assert scored.score >= 0.95
    assert "title: same" in scored.explain()


def test_featured_artists_in_the_title_match_credited_artists() -> None:
    scored = score_candidate(
        track("Cold Water (feat. Justin Bieber & MØ)", "Major Lazer", 185),
        cand("Cold Water", "Major Lazer & Justin Bieber & MØ", 185),
    )
    assert scored.score >= 0.9


def test_a_live_version_on_one_side_is_penalised_and_said() -> None:
    studio = score_candidate(track("Creep", "Radiohead", 238), cand("Creep", "Radiohead", 238))
    live = score_candidate(track("Creep", "Radiohead", 238), cand("Creep (Live)", "Radiohead", 240))
    assert live.score < studio.score - 0.25
    assert "version differs: the match is live" in live.explain()


def test_the_source_explicit_choice_is_followed() -> None:
    explicit_source = track("Beggin'", "Måneskin", 211, explicit=True)
    explicit = score_candidate(explicit_source, cand("Beggin' [Explicit]", "Måneskin", 211))
    clean = score_candidate(explicit_source, cand("Beggin' [Clean]", "Måneskin", 211))
    assert explicit.score > clean.score
    assert "source wants the explicit edition" in clean.explain()


def test_a_clean_song_prefers_the_original_edition_unless_the_source_names_the_clean_one() -> None:
    # One recording on both editions of an explicit album, not explicit on either.
    def on(album: str) -> Candidate:
        return cand("Fighter", "Christina Aguilera", 245, album=album, explicit=False)

    untagged = track("Fighter", "Christina Aguilera", 245, album="Stripped", explicit=False)
    original = score_candidate(untagged, on("Stripped [Explicit]"))
    clean = score_candidate(untagged, on("Stripped [Clean]"))
    assert original.score > clean.score
    assert "clean edition of the album (original preferred)" in clean.explain()

    named = track("Fighter", "Christina Aguilera", 245, album="Stripped [Clean]", explicit=False)
    assert score_candidate(named, on("Stripped [Clean]")).score > (
        score_candidate(named, on("Stripped [Explicit]")).score
    )


def test_another_song_by_the_same_artist_on_the_same_album_is_not_a_match() -> None:
    scored = score_candidate(
        track("Wake Up", "Wiz Khalifa", 226, album="Rolling Papers"),
        cand("Roll Up", "Wiz Khalifa", 227, album="Rolling Papers"),
    )
    assert scored.score < 0.6


def test_an_equal_isrc_confirmed_by_artist_is_near_certain() -> None:
    scored = score_candidate(
        track("Song Title (Album Version)", "The Band", 200, isrc="usabc1234567"),
        cand("Song Title", "The Band", 201, isrc="USABC1234567"),
    )
    assert scored.score >= 0.97
    assert "same ISRC" in scored.explain()


def test_an_equal_isrc_with_another_artist_is_not_trusted_blindly() -> None:
    scored = score_candidate(
        track("Hold On", "Wilson Phillips", 266, isrc="USABC1234567"),
        cand("Hold On", "Alabama Shakes", 227, isrc="USABC1234567"),
    )
    assert scored.score < 0.8


def test_scores_stay_between_zero_and_one() -> None:
    scored = score_candidate(
        track("Completely Different (Live) (Remix)", "Someone", 100),
        cand("Nothing Alike (Karaoke Version) [Clean]", "Other", 400),
    )
    assert 0.0 <= scored.score <= 1.0
