"""The stand-ins' catalogs, derived from the Amazon sandbox's catalog (itself built from real data).

Spotify's catalog holds most Amazon recordings under the same ISRC, as real services do, with
deterministic differences: 3 in 100 are missing (licensing gaps), 6 in 100 carry another ISRC
(another issue of the same recording), titles lose Amazon's "[Explicit]" tags (Spotify flags
explicit content instead), and durations gain milliseconds. The real Spotify fixture tracks keep
their real Spotify ids and ISRCs. A few Spotify-only songs exist that no Amazon catalog has.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from sandbox.catalog import sources
from sandbox.catalog.ids import stable_hash

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TAG = re.compile(r"\s*\[(Explicit|Clean)\]\s*$")
MISSING_SHARE = 3  # of 100
OTHER_ISRC_SHARE = 6  # of 100, after the missing ones

# Songs only the other services have (the sample files' made-up ones among them).
SERVICE_ONLY = (
    ("Velvet Thunder Over Lisbon", "The Harbour Lights", 214_000),
    ("Kitchen Floor Lullaby", "Mara Quist", 187_000),
    ("Last Tram To Nowhere", "Orbit Dwellers", 242_000),
)


@dataclass(frozen=True, slots=True)
class AmazonRow:
    """One track of the sandbox's Amazon catalog, as the stand-ins need it."""

    asin: str
    title: str
    artists: tuple[str, ...]
    album_asin: str
    album_title: str
    album_artist: str
    release_date: str
    duration_s: int
    isrc: str
    explicit: bool
    popularity: int
    track_number: int
    disc_number: int


@dataclass(slots=True)
class SpotifyTrack:
    id: str
    name: str
    artists: tuple[str, ...]
    album_id: str
    duration_ms: int
    isrc: str
    explicit: bool
    popularity: int
    track_number: int
    disc_number: int
    asin: str = ""  # the Amazon recording it is (empty for Spotify-only songs)


@dataclass(slots=True)
class SpotifyAlbum:
    id: str
    name: str
    artists: tuple[str, ...]
    release_date: str
    track_ids: list[str] = field(default_factory=list)


def base62_id(text: str, length: int = 22) -> str:
    number = stable_hash(text) * stable_hash(text + "#") + stable_hash("!" + text)
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "".join(chars)


def bucket(asin: str) -> int:
    return stable_hash("services:" + asin) % 100


def amazon_rows() -> list[AmazonRow]:
    """Every Amazon track with its album and ordered artists, by catalog order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ta.track_id, ar.name FROM sandbox_trackartist ta "
            "JOIN sandbox_artist ar ON ar.id = ta.artist_id ORDER BY ta.track_id, ta.position"
        )
        artists: dict[int, list[str]] = defaultdict(list)
        for track_id, name in cursor.fetchall():
            artists[track_id].append(name)
        cursor.execute(
            "SELECT t.id, t.asin, t.title, t.artist_text, a.asin, a.title, a.artist_text, "
            "a.release_date, t.duration, t.isrc, t.explicit, t.popularity, t.track_number, "
            "t.disc_number FROM sandbox_track t JOIN sandbox_album a ON a.id = t.album_id "
            "ORDER BY t.id"
        )
        rows = []
        for r in cursor.fetchall():
            rows.append(
                AmazonRow(
                    asin=r[1],
                    title=r[2],
                    artists=tuple(artists.get(r[0]) or [r[3]]),
                    album_asin=r[4],
                    album_title=r[5],
                    album_artist=r[6],
                    release_date=str(r[7] or "2000-01-01"),
                    duration_s=int(r[8]),
                    isrc=r[9] or "",
                    explicit=bool(r[10]),
                    popularity=int(r[11]),
                    track_number=int(r[12]),
                    disc_number=int(r[13]),
                )
            )
    return rows


def spotify_title(amazon_title: str) -> str:
    return _TAG.sub("", amazon_title).strip()


def other_isrc(isrc: str) -> str:
    """Another issue of the same recording: same country, another registrant and number."""
    serial = (int(isrc[-5:]) + 50_000) % 100_000 if isrc[-5:].isdigit() else 1
    return f"{isrc[:2] or 'QZ'}SP{(isrc[5:7] or '99')}{serial:05d}"


class SpotifyCatalog:
    def __init__(self, rows: list[AmazonRow]) -> None:
        self.tracks: dict[str, SpotifyTrack] = {}
        self.albums: dict[str, SpotifyAlbum] = {}
        self.by_isrc: dict[str, list[str]] = defaultdict(list)
        self.by_asin: dict[str, str] = {}
        self.words: dict[str, set[str]] = defaultdict(set)
        real = {f.isrc: f for f in sources.spotify_fixture() if f.isrc}
        for row in rows:
            share = bucket(row.asin)
            fixture = real.get(row.isrc)
            if fixture is None and share < MISSING_SHARE:
                continue
            isrc = row.isrc
            if fixture is None and share < MISSING_SHARE + OTHER_ISRC_SHARE and isrc:
                isrc = other_isrc(isrc)
            album_id = base62_id("album:" + row.album_asin)
            album = self.albums.get(album_id)
            if album is None:
                album = SpotifyAlbum(
                    id=album_id,
                    name=spotify_title(row.album_title),
                    artists=tuple(a.strip() for a in row.album_artist.split(",") if a.strip())
                    or row.artists,
                    release_date=row.release_date,
                )
                self.albums[album_id] = album
            track = SpotifyTrack(
                id=fixture.service_id if fixture else base62_id("track:" + row.asin),
                name=fixture.title if fixture else spotify_title(row.title),
                artists=row.artists,
                album_id=album_id,
                duration_ms=(
                    fixture.duration_ms
                    if fixture and fixture.duration_ms
                    else row.duration_s * 1000 + stable_hash(row.asin) % 1000
                ),
                isrc=isrc,
                explicit=row.explicit,
                popularity=row.popularity,
                track_number=row.track_number,
                disc_number=row.disc_number,
                asin=row.asin,
            )
            self._add(track, album)
        for number, (title, artist, duration_ms) in enumerate(SERVICE_ONLY):
            album = SpotifyAlbum(
                id=base62_id("album-only:" + title),
                name=title,
                artists=(artist,),
                release_date="2021-06-04",
            )
            self.albums[album.id] = album
            track = SpotifyTrack(
                id=base62_id("only:" + title),
                name=title,
                artists=(artist,),
                album_id=album.id,
                duration_ms=duration_ms,
                isrc=f"QZES8210{number:04d}",
                explicit=False,
                popularity=20,
                track_number=1,
                disc_number=1,
            )
            self._add(track, album)

    def _add(self, track: SpotifyTrack, album: SpotifyAlbum) -> None:
        self.tracks[track.id] = track
        album.track_ids.append(track.id)
        if track.isrc:
            self.by_isrc[track.isrc].append(track.id)
        if track.asin:
            self.by_asin[track.asin] = track.id
        for word in words_of(f"{track.name} {' '.join(track.artists)}"):
            self.words[word].add(track.id)

    def popular(self) -> list[str]:
        return [t.id for t in sorted(self.tracks.values(), key=lambda t: (-t.popularity, t.id))]

    def service_only(self) -> list[str]:
        return [t.id for t in self.tracks.values() if not t.asin]


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words_of(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))}


_lock = threading.Lock()
_rows: list[AmazonRow] | None = None
_spotify: SpotifyCatalog | None = None


def cached_rows() -> list[AmazonRow]:
    global _rows
    with _lock:
        if _rows is None:
            _rows = amazon_rows()
        return _rows


def spotify_catalog() -> SpotifyCatalog:
    global _spotify
    rows = cached_rows()
    with _lock:
        if _spotify is None:
            _spotify = SpotifyCatalog(rows)
        return _spotify
