"""YouTube videos for the stand-in: the real YouTube Music fixture videos (their real ids, titles
and lengths) and one video for most Amazon recordings.

Seven in ten generated videos are YouTube Music's auto-generated "Artist - Topic" uploads titled
like the song; the rest are official uploads titled "Artist - Title (Official Video)" and the
like, a few seconds longer. Three in a hundred recordings have no video.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass

from sandbox.catalog import sources
from sandbox.spotify.catalog import AmazonRow, bucket, cached_rows, spotify_title

SUFFIXES = ("(Official Video)", "(Official Audio)", "(Official Music Video)", "(Lyric Video)")


@dataclass(slots=True)
class Video:
    id: str
    title: str
    channel_title: str
    channel_id: str
    duration_s: int
    asin: str = ""
    fixture_playlist: str = ""


def video_id(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).decode()[:11]


def channel_id(name: str) -> str:
    return "UC" + video_id("channel:" + name) + video_id("c2:" + name)[:11]


def iso_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def _from_row(row: AmazonRow) -> Video:
    share = bucket(row.asin)
    title = spotify_title(row.title)
    first = row.artists[0] if row.artists else row.album_artist
    if share % 10 < 7:
        channel = f"{first} - Topic"
        return Video(
            video_id("v:" + row.asin),
            title,
            channel,
            channel_id(channel),
            row.duration_s,
            asin=row.asin,
        )
    suffix = SUFFIXES[share % len(SUFFIXES)]
    credit = " & ".join(row.artists[:2]) if row.artists else row.album_artist
    channel = f"{first.replace(' ', '')}VEVO" if share % 3 == 0 else first
    return Video(
        video_id("v:" + row.asin),
        f"{credit} - {title} {suffix}",
        channel,
        channel_id(channel),
        row.duration_s + 5 + share % 30,
        asin=row.asin,
    )


class YouTubeCatalog:
    def __init__(self, rows: list[AmazonRow]) -> None:
        self.videos: dict[str, Video] = {}
        self.fixture_playlists: dict[str, list[str]] = {}
        for fixture in sources.ytmusic_fixture():
            if not fixture.service_id:
                continue
            first = fixture.artists.split(",")[0].strip() or fixture.artists
            channel = f"{first} - Topic"
            self.fixture_playlists.setdefault(fixture.playlist, []).append(fixture.service_id)
            if fixture.service_id in self.videos:
                continue
            self.videos[fixture.service_id] = Video(
                fixture.service_id,
                fixture.title,
                channel,
                channel_id(channel),
                (fixture.duration_ms or 200_000) // 1000,
                fixture_playlist=fixture.playlist,
            )
        self.generated: list[str] = []
        for row in sorted(rows, key=lambda r: -r.popularity):
            if bucket(row.asin) < 3:
                continue
            video = _from_row(row)
            if video.id not in self.videos:
                self.videos[video.id] = video
                self.generated.append(video.id)


_lock = threading.Lock()
_catalog: YouTubeCatalog | None = None


def youtube_catalog() -> YouTubeCatalog:
    global _catalog
    rows = cached_rows()
    with _lock:
        if _catalog is None:
            _catalog = YouTubeCatalog(rows)
        return _catalog
