"""From YouTube videos to TrackRecords: a video title is not a song title, so it is read.

YouTube Music's auto-generated uploads come from "<Artist> - Topic" channels and carry the song
title alone; official uploads say "Artist - Title (Official Video)" on the artist's channel (or
its "…VEVO" channel). The video id stays as the source id, so nothing is lost when a guess is
wrong and the person reviews it.
"""

from __future__ import annotations

import re

from transfer.formats.records import TrackRecord
from transfer.youtube.schemas import Video

_NOISE = re.compile(
    r"\s*[\(\[](?:official\s+)?(?:music\s+|lyric\s+|audio\s+)?(?:video|audio|visualizer|"
    r"lyrics?|hd|hq|4k|remastered(?:\s+\d{4})?)[\)\]]\s*$",
    re.IGNORECASE,
)
_SEPARATORS = (" - ", " \u2013 ", " \u2014 ", " | ")


def split_title(title: str, channel: str) -> tuple[str, tuple[str, ...]]:
    """(song title, artists) from a video title and its channel's name."""
    clean = title.strip()
    while True:
        stripped = _NOISE.sub("", clean)
        if stripped == clean:
            break
        clean = stripped
    channel = channel.strip()
    if channel.endswith(" - Topic"):
        return clean, (channel.removesuffix(" - Topic"),)
    for separator in _SEPARATORS:
        if separator in clean:
            artist, _, song = clean.partition(separator)
            artists = tuple(
                a.strip() for a in re.split(r"\s+(?:&|x|feat\.|ft\.)\s+", artist) if a.strip()
            )
            return song.strip(), artists or (artist.strip(),)
    artist = re.sub(r"(?i)vevo$", "", channel).strip()
    return clean, (artist,) if artist else ()


def track_record_of(video: Video, *, line: int | None = None, added_at: str = "") -> TrackRecord:
    title, artists = split_title(video.snippet.title, video.snippet.channel_title)
    return TrackRecord(
        title=title,
        artists=artists,
        duration_ms=video.content_details.duration_ms,
        source_id=video.id,
        added_at=added_at,
        line=line,
    )
