"""Playlist and library file formats: readers and writers, pure Python (no Django, no HTTP).

``read_any`` detects a file's format from its content and reads it into ``PlaylistRecord``s;
``write`` turns playlists back into a file. ``FORMATS`` lists every format with what it
carries. See README.md in this folder for the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from transfer.formats.archives import (
    DEFAULT_ARCHIVE_LIMITS,
    ArchiveLimits,
    ArchiveResult,
    MemberResult,
    is_zip,
    read_archive,
)
from transfer.formats.decoding import Source, decode_text
from transfer.formats.detect import detect_format
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.order import swapped
from transfer.formats.readers.apple import (
    read_apple_library_playlists,
    read_apple_library_tracks,
    read_apple_playlist_txt,
)
from transfer.formats.readers.csvgeneric import ColumnMapping, guess_mapping, read_csv
from transfer.formats.readers.itunes import read_itunes
from transfer.formats.readers.jspf import read_jspf
from transfer.formats.readers.m3u import read_m3u
from transfer.formats.readers.pls import read_pls
from transfer.formats.readers.spotify import (
    read_exportify,
    read_spotify_api,
    read_spotify_library,
    read_spotify_playlists,
)
from transfer.formats.readers.text import read_text
from transfer.formats.readers.transferservices import (
    read_soundiiz,
    read_soundiiz_json,
    read_tunemymusic,
)
from transfer.formats.readers.wpl import read_wpl
from transfer.formats.readers.xspf import read_xspf
from transfer.formats.readers.youtube import (
    read_youtube_library,
    read_youtube_playlist_csv,
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
            "youtube-playlist-csv",
            "YouTube playlist CSV with video titles (browser exporters)",
            ("title", "artists", "source_id", "added_at"),
            read_youtube_playlist_csv,
        ),
        FormatInfo(
            "soundiiz-json",
            "Soundiiz JSON",
            ("title", "artists", "album", "isrc", "duration_ms", "source_id"),
            read_soundiiz_json,
        ),
        FormatInfo(
            "apple-privacy-json",
            "Apple privacy export: Apple Music Library Tracks.json",
            (
                "title",
                "artists",
                "album",
                "album_artists",
                "duration_ms",
                "isrc",
                "track_number",
                "release_date",
                "source_id",
                "added_at",
            ),
            read_apple_library_tracks,
        ),
        FormatInfo(
            "apple-privacy-playlists-json",
            "Apple privacy export: Apple Music Library Playlists.json",
            ("title", "artists", "album"),
            read_apple_library_playlists,
        ),
        FormatInfo(
            "apple-playlist-txt",
            "Apple Music / iTunes Export Playlist text",
            ("title", "artists", "album", "duration_ms", "track_number", "source_id"),
            read_apple_playlist_txt,
        ),
        FormatInfo(
            "pls",
            "PLS playlist",
            ("title", "artists", "duration_ms", "track_number", "source_id"),
            read_pls,
        ),
        FormatInfo(
            "wpl",
            "Windows Media Player playlist (.wpl)",
            ("title", "artists", "track_number", "source_id"),
            read_wpl,
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
    swap_title_artist: bool = False,
) -> ParseResult:
    """Read a playlist or library file of any supported format.

    ``format`` skips detection; ``mapping`` reads the file as a CSV with those columns;
    ``swap_title_artist`` exchanges every track's title and artist after reading (the
    person's correction on the preview). A ZIP archive gives all its files' playlists in one
    result (``read_each`` keeps them apart). Raises ``FormatError`` when nothing can be
    imported; skipped rows are ``result.problems``.
    """
    if mapping is not None:
        if format not in (None, "csv"):
            raise ValueError("A column mapping applies to CSV files only.")
        result = read_csv(data, mapping, filename=filename, limits=limits)
    else:
        format_id = format or detect_format(data, filename, limits=limits)
        if format_id == "zip":
            result = _merged(read_each(_bytes(data, limits), filename, limits=limits))
        else:
            info = FORMATS.get(format_id)
            if info is None:
                raise ValueError(
                    f"Unknown format {format_id!r}; the formats are {', '.join(FORMATS)}."
                )
            result = info.read(data, filename=filename, limits=limits)
    if swap_title_artist:
        for playlist in result.playlists:
            playlist.tracks = [swapped(track) for track in playlist.tracks]
    return result


@dataclass(slots=True)
class FileRead:
    """One file's reading: an upload, or one member of an uploaded archive."""

    name: str
    result: ParseResult
    # What was read: the upload, or the archive member (to read it again later).
    data: bytes = b""


def read_each(
    data: bytes,
    filename: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    archive_limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
) -> list[FileRead]:
    """An upload as the files it holds: itself, or each playlist file of a ZIP archive.

    Files in an archive that are not playlists are listed in the first file's problems.
    """
    name = filename or "upload"
    if not is_zip(data[:4]):
        return [FileRead(name, read_any(data, filename, limits=limits), data)]
    if len(data) > limits.max_bytes:
        raise FormatError(
            f"The file is {len(data):,} bytes; the largest file accepted is "
            f"{limits.max_bytes:,} bytes."
        )
    archive = read_archive(
        data,
        limits=limits,
        archive_limits=archive_limits,
        read=lambda member, member_name: read_any(member, member_name, limits=limits),
    )
    files = [FileRead(member.name, member.result, member.data) for member in archive.files]
    if archive.skipped:
        listed = "; ".join(f"{where}: {why}" for where, why in archive.skipped[:20])
        more = f" and {len(archive.skipped) - 20} more" if len(archive.skipped) > 20 else ""
        files[0].result.problems.insert(
            0,
            Problem(
                f"{len(archive.skipped)} files in {name} are not playlists and were not read "
                f"({listed}{more})."
            ),
        )
    return files


def _bytes(data: Source, limits: Limits) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    return data.read(limits.max_bytes + 1)


def _merged(files: list[FileRead]) -> ParseResult:
    merged = ParseResult(format="zip")
    for item in files:
        merged.playlists.extend(item.result.playlists)
        merged.problems.extend(
            Problem(f"{item.name}: {p.message}", p.line, p.severity) for p in item.result.problems
        )
    return merged


__all__ = [
    "FORMATS",
    "WRITERS",
    "ArchiveResult",
    "ColumnMapping",
    "FileRead",
    "FormatError",
    "FormatInfo",
    "Limits",
    "MemberResult",
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
    "read_each",
    "write",
    "write_zip",
]
