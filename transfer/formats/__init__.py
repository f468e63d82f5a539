"""Playlist and library file formats: readers and writers, pure Python (no Django, no HTTP).

``read_any`` detects a file's format from its content and reads it into ``PlaylistRecord``s;
``write`` turns playlists back into a file. ``FORMATS`` lists every format with what it
carries. See README.md in this folder for the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from transfer.formats.decoding import Source, decode_text
from transfer.formats.detect import detect_format
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import ColumnMapping, guess_mapping, read_csv
from transfer.formats.readers.itunes import read_itunes
from transfer.formats.readers.jspf import read_jspf
from transfer.formats.readers.m3u import read_m3u
from transfer.formats.readers.spotify import (
    read_exportify,
    read_spotify_api,
    read_spotify_library,
    read_spotify_playlists,
)
from transfer.formats.readers.text import read_text
from transfer.formats.readers.transferservices import read_soundiiz, read_tunemymusic
from transfer.formats.readers.xspf import read_xspf
from transfer.formats.readers.youtube import (
    read_youtube_library,
    read_youtube_takeout,
    read_youtube_takeout_legacy,
)
from transfer.formats.records import ParseResult, PlaylistRecord, Problem, TrackRecord
from transfer.formats.writers import WRITERS, filename_for, write, write_zip

ReaderFunction = Callable[..., ParseResult]


@dataclass(frozen=True, slots=True)
class FormatInfo:
    id: str
    label: str
    # TrackRecord fields the format can carry (the round-trip tests compare exactly these).
    fields: tuple[str, ...]
    read: ReaderFunction
    writable: bool = False


_ALL: tuple[str, ...] = (
    "title",
    "artists",
    "album",
    "album_artists",
    "duration_ms",
    "isrc",
    "explicit",
    "track_number",
    "release_date",
    "source_id",
    "added_at",
)

FORMATS: dict[str, FormatInfo] = {
    info.id: info
    for info in (
        FormatInfo("csv", "CSV (any columns; ours when written)", _ALL, read_csv, True),
        FormatInfo("exportify-csv", "Exportify CSV (Spotify)", _ALL, read_exportify, True),
        FormatInfo(
            "spotify-playlists-json",
            "Spotify data export: Playlist1.json",
            ("title", "artists", "album", "source_id", "added_at"),
            read_spotify_playlists,
        ),
        FormatInfo(
            "spotify-library-json",
            "Spotify data export: YourLibrary.json (liked songs)",
            ("title", "artists", "album", "source_id"),
            read_spotify_library,
        ),
        FormatInfo(
            "spotify-api-json",
            "Spotify Web API playlist JSON",
            _ALL,
            read_spotify_api,
        ),
        FormatInfo(
            "itunes-xml",
            "iTunes / Apple Music Library.xml",
            (
                "title",
                "artists",
                "album",
                "album_artists",
                "duration_ms",
                "explicit",
                "track_number",
                "release_date",
                "source_id",
                "added_at",
            ),
            read_itunes,
        ),
        FormatInfo(
            "youtube-takeout-csv",
            "YouTube Takeout playlist CSV (video ids only)",
            ("source_id", "added_at"),
            read_youtube_takeout,
        ),
        FormatInfo(
            "youtube-takeout-legacy-csv",
            "YouTube Takeout playlist CSV, older layout (video ids only)",
            ("source_id", "added_at"),
            read_youtube_takeout_legacy,
        ),
        FormatInfo(
            "youtube-music-library-csv",
            "YouTube Takeout: music library songs.csv",
            ("title", "artists", "album", "duration_ms", "source_id"),
            read_youtube_library,
        ),
        FormatInfo(
            "tunemymusic-csv",
            "TuneMyMusic CSV",
            ("title", "artists", "album", "isrc", "source_id"),
            read_tunemymusic,
        ),
        FormatInfo(
            "soundiiz-csv",
            "Soundiiz CSV",
            ("title", "artists", "album", "isrc"),
            read_soundiiz,
        ),
        FormatInfo(
            "m3u",
            "M3U / M3U8",
            ("title", "artists", "album", "album_artists", "duration_ms", "source_id"),
            read_m3u,
            True,
        ),
        FormatInfo(
            "xspf",
            "XSPF",
            ("title", "artists", "album", "duration_ms", "isrc", "track_number", "source_id"),
            read_xspf,
            True,
        ),
        FormatInfo(
            "jspf",
            "JSPF",
            ("title", "artists", "album", "duration_ms", "isrc", "track_number", "source_id"),
            read_jspf,
            True,
        ),
        FormatInfo(
            "text", "Text, one 'Artist - Title' per line", ("title", "artists"), read_text, True
        ),
    )
}


def read_any(
    data: Source,
    filename: str | None = None,
    *,
    mapping: ColumnMapping | None = None,
    limits: Limits = DEFAULT_LIMITS,
    format: str | None = None,
) -> ParseResult:
    """Read a playlist or library file of any supported format.

    ``format`` skips detection; ``mapping`` reads the file as a CSV with those columns.
    Raises ``FormatError`` when nothing can be imported; skipped rows are ``result.problems``.
    """
    if mapping is not None:
        if format not in (None, "csv"):
            raise ValueError("A column mapping applies to CSV files only.")
        return read_csv(data, mapping, filename=filename, limits=limits)
    format_id = format or detect_format(data, filename, limits=limits)
    info = FORMATS.get(format_id)
    if info is None:
        raise ValueError(f"Unknown format {format_id!r}; the formats are {', '.join(FORMATS)}.")
    return info.read(data, filename=filename, limits=limits)


__all__ = [
    "FORMATS",
    "WRITERS",
    "ColumnMapping",
    "FormatError",
    "FormatInfo",
    "Limits",
    "ParseResult",
    "PlaylistRecord",
    "Problem",
    "TrackRecord",
    "decode_text",
    "detect_format",
    "filename_for",
    "guess_mapping",
    "read_any",
    "read_csv",
    "write",
    "write_zip",
]
