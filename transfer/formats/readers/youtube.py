"""YouTube Music files from Google Takeout.

- Playlist CSV, current layout: "Video ID","Playlist Video Creation Timestamp", one file per
  playlist, named "<playlist>-videos.csv" (older exports: "<playlist>.csv").
- Playlist CSV, older layout: a block "Playlist Id,Channel Id,Time Created,Time Updated,Title,
  Description,Visibility" with one row of values, a blank line, then "Video Id,Time Added" rows.
- "music library songs.csv": "Video ID","Song Title","Album Title","Artist Name 1", ... .

The playlist files hold video ids only. Their tracks carry the id as ``source_id`` and an empty
title, and the result says so: matching them needs the ids looked up first.
"""

from __future__ import annotations

import re

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import FALLBACK_ENCODINGS, Source, fallback_warning
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import (
    ColumnMapping,
    guess_mapping,
    normalise_header,
    open_rows,
    read_table,
)
from transfer.formats.records import ParseResult, TrackRecord

IDS_ONLY = (
    "This YouTube Takeout file lists only video ids, without titles or artists, so its tracks "
    "cannot be matched by name until the ids are looked up."
)
LIBRARY_NAME = "YouTube Music library"
_TIMESTAMP_COLUMNS = ("playlist video creation timestamp", "time added", "added at")


def takeout_playlist_name(filename: str | None) -> str:
    """ "Road Trip-videos.csv" gives "Road Trip"."""
    name = name_from_filename(filename)
    return name.removesuffix("-videos").strip() or name


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    normalised = [normalise_header(name) for name in header]
    for name in names:
        if name in normalised:
            return header[normalised.index(name)]
    return None


def _ids_mapping(header: list[str]) -> ColumnMapping:
    video = _column(header, ("video id",))
    if video is None:
        raise FormatError("This YouTube Takeout file has no 'Video ID' column.", 1)
    return ColumnMapping(source_id=video, added_at=_column(header, _TIMESTAMP_COLUMNS))


def read_youtube_takeout(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """The current Takeout playlist CSV (video ids and when they were added)."""
    return read_table(
        source,
        format_id="youtube-takeout-csv",
        choose_mapping=_ids_mapping,
        filename=filename,
        limits=limits,
        default_name=takeout_playlist_name(filename),
        notes=(IDS_ONLY,),
    )


def read_youtube_takeout_legacy(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """The older Takeout playlist CSV with its playlist block before the video rows."""
    collector = Collector("youtube-takeout-legacy-csv", limits)
    collector.warn(IDS_ONLY)
    with open_rows(source, limits=limits, delimiter=",") as table:
        if table.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(table.encoding))
        first = next(table.rows, None)
        if first is None:
            raise FormatError("The file is empty.")
        _line, block_header = first
        block = dict.fromkeys((normalise_header(name) for name in block_header), "")
        if "playlist id" not in block:
            raise FormatError("This is not a YouTube Takeout playlist: no 'Playlist Id'.", 1)
        values = next(table.rows, None)
        header = None
        if values is not None and normalise_header(values[1][0] if values[1] else "") == "video id":
            # No values row: the video header follows the block header directly.
            header, values = values, None
        if values is not None:
            block = {
                normalise_header(name): (values[1][i].strip() if i < len(values[1]) else "")
                for i, name in enumerate(block_header)
            }
        playlist = collector.new_playlist(
            block.get("title") or takeout_playlist_name(filename),
            description=block.get("description", ""),
            source_id=block.get("playlist id", ""),
        )
        if header is None:
            header = next(table.rows, None)
        if header is None:
            return collector.result()
        header_line, names = header
        normalised = [normalise_header(name) for name in names]
        if "video id" not in normalised:
            raise FormatError(
                "Expected the 'Video Id,Time Added' header after the playlist block.", header_line
            )
        video = normalised.index("video id")
        added = normalised.index("time added") if "time added" in normalised else None
        for line, row in table.rows:
            video_id = row[video].strip() if video < len(row) else ""
            if not video_id:
                collector.warn("The row has no video id; it was skipped.", line)
                continue
            added_at = row[added].strip() if added is not None and added < len(row) else ""
            track = TrackRecord(title="", source_id=video_id, added_at=added_at, line=line)
            collector.add_track(playlist, track)
    return collector.result()


_ARTIST_N = re.compile(r"^artist name \d+$")


def _library_mapping(header: list[str]) -> ColumnMapping:
    normalised = [normalise_header(name) for name in header]
    artists = tuple(header[i] for i, name in enumerate(normalised) if _ARTIST_N.match(name))
    title = _column(header, ("song title",))
    video = _column(header, ("video id",))
    if title is None and video is None:
        raise FormatError("This YouTube Music library file has no 'Song Title' column.", 1)
    guessed = guess_mapping(header)
    return ColumnMapping(
        title=title,
        artist=artists or None,
        album=_column(header, ("album title",)),
        source_id=video,
        duration=guessed.duration if guessed is not None else None,
        duration_unit=guessed.duration_unit if guessed is not None else "auto",
    )


def read_youtube_library(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """Takeout's "music library songs.csv": the songs saved to the library, one playlist."""
    return read_table(
        source,
        format_id="youtube-music-library-csv",
        choose_mapping=_library_mapping,
        filename=filename,
        limits=limits,
        default_name=LIBRARY_NAME,
    )
