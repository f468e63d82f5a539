"""Readers for the real music metadata shipped gzipped in ``sandbox/data/`` (see its README).

Every reader returns plain typed rows with the strings exactly as published; nothing here
normalises text. The files are small enough to read whole.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class ChartSong:
    """A (song, credit) pair from the Billboard Hot 100."""

    title: str
    credit: str
    first_chart: date
    last_chart: date
    peak: int
    weeks: int


@dataclass(frozen=True, slots=True)
class ChartAlbum:
    """An (album, credit) pair from the Billboard 200."""

    title: str
    credit: str
    first_chart: date
    peak: int
    weeks: int


@dataclass(frozen=True, slots=True)
class ClassicRockSong:
    title: str
    artist: str
    year: int | None
    play_count: int


@dataclass(frozen=True, slots=True)
class AmazonListing:
    """The Amazon MP3 side of one iTunes-Amazon benchmark pair (tokenised text, as published)."""

    title: str
    artist: str
    album: str
    genre: str
    time: str
    released: str
    copyright: str


@dataclass(frozen=True, slots=True)
class FixtureTrack:
    """A track from the real Spotify or YouTube Music playlist fixtures."""

    source: str
    playlist: str
    title: str
    artists: str
    album: str
    album_artists: str
    release_date: str
    duration_ms: int | None
    explicit: bool
    isrc: str
    service_id: str
    track_number: int


def _rows(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def chart_songs() -> tuple[ChartSong, ...]:
    return tuple(
        ChartSong(
            title=row["song"],
            credit=row["artist"],
            first_chart=date.fromisoformat(row["first_chart_date"]),
            last_chart=date.fromisoformat(row["last_chart_date"]),
            peak=int(row["peak_position"]),
            weeks=int(row["chart_weeks"]),
        )
        for row in _rows("billboard_hot100_songs.csv.gz")
    )


@cache
def chart_albums() -> tuple[ChartAlbum, ...]:
    return tuple(
        ChartAlbum(
            title=row["album"],
            credit=row["artist"],
            first_chart=date.fromisoformat(row["first_chart_date"]),
            peak=int(row["peak_position"]),
            weeks=int(row["chart_weeks"]),
        )
        for row in _rows("billboard200_albums.csv.gz")
    )


@cache
def classic_rock_songs() -> tuple[ClassicRockSong, ...]:
    return tuple(
        ClassicRockSong(
            title=row["Song Clean"],
            artist=row["ARTIST CLEAN"],
            year=int(row["Release Year"]) if row["Release Year"].isdigit() else None,
            play_count=int(row["PlayCount"] or 0),
        )
        for row in _rows("fivethirtyeight_classic_rock_song_list.csv.gz")
    )


@cache
def amazon_listings() -> tuple[AmazonListing, ...]:
    """Distinct Amazon-side listings of the iTunes-Amazon pairs, then of the multilingual pairs
    (K-pop, J-pop soundtrack and Russian rock tracks in their own scripts; see
    transfer/matching/data/README.md), in first-seen order."""
    seen: dict[tuple[str, str, str], AmazonListing] = {}
    rows = [*_rows("itunes_amazon_pairs.csv.gz"), *_rows("multilingual_pairs.csv.gz")]
    for row in rows:
        key = (row["amazon_song_name"], row["amazon_artist_name"], row["amazon_album_name"])
        if key not in seen:
            seen[key] = AmazonListing(
                title=row["amazon_song_name"],
                artist=row["amazon_artist_name"],
                album=row["amazon_album_name"],
                genre=row["amazon_genre"],
                time=row["amazon_time"],
                released=row["amazon_released"],
                copyright=row["amazon_copyright"],
            )
    return tuple(seen.values())


@cache
def spotify_fixture() -> tuple[FixtureTrack, ...]:
    return tuple(
        FixtureTrack(
            source="spotify",
            playlist=row["playlist"],
            title=row["track_name"],
            artists=row["artists"],
            album=row["album"],
            album_artists=row["album_artists"],
            release_date=row["release_date"],
            duration_ms=int(row["duration_ms"]),
            explicit=row["explicit"] == "True",
            isrc=row["isrc"],
            service_id=row["spotify_track_id"],
            track_number=int(row["track_number"] or 1),
        )
        for row in _rows("spotify_api_playlist_fixture_flat.csv.gz")
    )


def _duration_ms(text: str) -> int | None:
    minutes, _, seconds = text.partition(":")
    if not (minutes.isdigit() and seconds.isdigit()):
        return None
    return (int(minutes) * 60 + int(seconds)) * 1000


@cache
def ytmusic_fixture() -> tuple[FixtureTrack, ...]:
    return tuple(
        FixtureTrack(
            source="ytmusic",
            playlist=row["source_fixture"].rsplit("/", 1)[-1].removesuffix(".json"),
            title=row["title"],
            artists=row["artists"],
            album=row["album"],
            album_artists=row["artists"],
            release_date="",
            duration_ms=_duration_ms(row["duration"]),
            explicit=False,
            isrc="",
            service_id=row["video_id"],
            track_number=1,
        )
        for row in _rows("ytmusic_playlist_fixtures_flat.csv.gz")
    )
