"""Spotify's clean and explicit tracks of one song go to the right Amazon twins.

The Spotify tracks are the real fixture's objects (``spotify_api_playlist_fixture.json.gz`` in
sandbox/data/): Spotify flags explicit content per track and never tags album names, so a clean
version is told from the explicit one by ``explicit`` and its own ISRC. The Amazon tracks are
shaped as the Amazon Music API returns them (the sandbox's track nodes): the album title carries
"[Explicit]" or "[Clean]", and ``parentalSettings`` the track's own flag. Pure: no database, no
HTTP.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from catalog_client import Track as AmazonTrack
from transfer.amazon.mapping import candidate
from transfer.matching import Candidate, Lookups, match_track
from transfer.matching.cascade import decide, decision_key
from transfer.matching.types import Band, SearchQuery
from transfer.spotify.mapper import track_record_of
from transfer.spotify.schemas import Track as SpotifyTrack

FIXTURE = Path(__file__).parents[2] / "sandbox/data/spotify_api_playlist_fixture.json.gz"


@cache
def _fixture_tracks() -> tuple[dict[str, Any], ...]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as file:
        data = json.load(file)
    return tuple(item["track"] for p in data["playlists"] for item in p["tracks"] if item["track"])


def spotify_track(name: str, **changes: Any) -> dict[str, Any]:
    """A real Spotify track object of the fixture, with ``changes`` made to a copy."""
    found = next(t for t in _fixture_tracks() if t["name"] == name)
    track = copy.deepcopy(found)
    track.update(changes)
    return track


def amazon_track(
    asin: str, title: str, spotify: dict[str, Any], *, album: str, isrc: str, explicit: bool
) -> Candidate:
    node = {
        "id": asin,
        "title": title,
        "duration": spotify["duration_ms"] // 1000,
        "album": {"id": "A" + asin[1:], "title": album},
        "artists": [{"id": "B0ARTIST01", "name": a["name"]} for a in spotify["artists"]],
        "parentalSettings": {"hasExplicitLanguage": explicit, "isKidFriendly": not explicit},
        "isrc": isrc,
    }
    return candidate(AmazonTrack.model_validate(node))


def chosen(spotify: dict[str, Any], candidates: Sequence[Candidate]) -> str:
    record = track_record_of(SpotifyTrack.model_validate(spotify))
    ids = []
    # Either order of the catalog's answer: the choice must not be the search order's.
    for order in (list(candidates), list(reversed(candidates))):
        decision = decide(record, order)
        assert decision.band is Band.MATCHED, decision.explanation
        assert decision.chosen is not None
        ids.append(decision.chosen.candidate.id)
    assert ids[0] == ids[1]
    return ids[0]


def test_spotify_explicit_and_clean_versions_go_to_their_own_amazon_twins() -> None:
    explicit = spotify_track("Red Line")  # real: explicit, ISRC TCACW1603032
    assert explicit["explicit"] is True
    clean = spotify_track(
        "Red Line",
        id="0CleanRedLine000000000",
        uri="spotify:track:0CleanRedLine000000000",
        explicit=False,
        external_ids={"isrc": "TCACW1603099"},  # a clean version is another recording
    )
    twins = [
        amazon_track(
            "B0EXPLICIT",
            "Red Line [Explicit]",
            explicit,
            album="Red Line [Explicit]",
            isrc="TCACW1603032",
            explicit=True,
        ),
        amazon_track(
            "B0CLEAN001",
            "Red Line [Clean]",
            explicit,
            album="Red Line [Clean]",
            isrc="TCACW1603099",
            explicit=False,
        ),
    ]
    assert chosen(explicit, twins) == "B0EXPLICIT"
    assert chosen(clean, twins) == "B0CLEAN001"


def test_spotify_clean_track_goes_to_the_original_edition_of_an_explicit_album() -> None:
    # A clean song sits on both editions of an explicit album: one recording, one ISRC, the
    # track flag False on both; only Amazon's album tag tells the editions apart, and Spotify's
    # untagged album name does not say which: the original (explicit) edition, most people's.
    song = spotify_track("Speed Of The Sound Of Loneliness", explicit=False)
    isrc = song["external_ids"]["isrc"]
    album = song["album"]["name"]
    title = song["name"]
    editions = [
        amazon_track(
            "B0ONEXPLIC", title, song, album=f"{album} [Explicit]", isrc=isrc, explicit=False
        ),
        amazon_track(
            "B0ONCLEAN1", title, song, album=f"{album} [Clean]", isrc=isrc, explicit=False
        ),
    ]
    assert chosen(song, editions) == "B0ONEXPLIC"


def test_spotify_clean_and_explicit_tracks_are_cached_apart() -> None:
    explicit = track_record_of(SpotifyTrack.model_validate(spotify_track("Red Line")))
    clean = track_record_of(
        SpotifyTrack.model_validate(
            spotify_track("Red Line", explicit=False, external_ids={"isrc": "TCACW1603099"})
        )
    )
    assert explicit.explicit is True
    assert clean.explicit is False
    assert decision_key(explicit) != decision_key(clean)


def test_spotify_clean_track_takes_the_original_edition_through_the_isrc_search() -> None:
    song = spotify_track("Speed Of The Sound Of Loneliness", explicit=False)
    isrc = song["external_ids"]["isrc"]
    album, title = song["album"]["name"], song["name"]
    # The explicit edition first, as a catalog ranking by popularity answers.
    editions = [
        amazon_track(
            "B0ONEXPLIC", title, song, album=f"{album} [Explicit]", isrc=isrc, explicit=False
        ),
        amazon_track(
            "B0ONCLEAN1", title, song, album=f"{album} [Clean]", isrc=isrc, explicit=False
        ),
    ]
    asked: list[SearchQuery] = []

    def search(query: SearchQuery) -> Sequence[Candidate]:
        asked.append(query)
        return editions if ("isrc", isrc) in query.filters else []

    decision = match_track(track_record_of(SpotifyTrack.model_validate(song)), Lookups(search))
    assert decision.band is Band.MATCHED
    assert decision.chosen is not None
    assert decision.chosen.candidate.id == "B0ONEXPLIC"
    assert len(asked) == 1


def test_spotify_shaped_track_naming_the_clean_album_goes_to_the_clean_edition() -> None:
    # A source whose album name carries the tag (a file export, a renamed album) names its
    # edition, and gets it.
    song = spotify_track("Speed Of The Sound Of Loneliness", explicit=False)
    isrc = song["external_ids"]["isrc"]
    album, title = song["album"]["name"], song["name"]
    song["album"]["name"] = f"{album} [Clean]"
    editions = [
        amazon_track(
            "B0ONEXPLIC", title, song, album=f"{album} [Explicit]", isrc=isrc, explicit=False
        ),
        amazon_track(
            "B0ONCLEAN1", title, song, album=f"{album} [Clean]", isrc=isrc, explicit=False
        ),
    ]
    assert chosen(song, editions) == "B0ONCLEAN1"
