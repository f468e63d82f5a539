"""YouTube Music files from Google Takeout.

- Playlist CSV, current layout: "Video ID","Playlist Video Creation Timestamp", one file per
  playlist, named "<playlist>-videos.csv" (older exports: "<playlist>.csv").
- Playlist CSV, older layout: a block "Playlist Id,Channel Id,Time Created,Time Updated,Title,
  Description,Visibility" with one row of values, a blank line, then "Video Id,Time Added" rows.
- "music library songs.csv": "Video ID","Song Title","Album Title","Artist Name 1", ... .

- A playlist CSV some browser exporters write: a block of "Playlist URL","Playlist title",
  ... rows, a blank line, then "Video ID","Title","Channel",...; the titles are video titles,
  mostly "Artist - Title", and are split like TuneMyMusic's.

The playlist files hold video ids only. Their tracks carry the id as ``source_id``, an empty
title and ``needs_resolution``; the result says so: matching them needs the ids looked up
first (a YouTube connection does that, see transfer/youtube).

Takeout writes its headers in the account's language, so the playlist and library files are
recognised by what their rows hold (11-character video ids, then a timestamp or a title), not
by the header's words; English headers are matched by name as well.
"""

from __future__ import annotations

import dataclasses
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
from transfer.formats.values import split_artist_title

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


VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _share(sample: list[list[str]], index: int, pattern: re.Pattern[str]) -> float:
    cells = [row[index].strip() for row in sample if index < len(row) and row[index].strip()]
    return sum(1 for cell in cells if pattern.match(cell)) / len(cells) if cells else 0.0


def is_takeout_playlist(header: list[str], sample: list[list[str]]) -> bool:
    """Two columns, video ids then timestamps: Takeout's playlist file in any language."""
    if len(header) != 2 or not sample:
        return False
    return _share(sample, 0, VIDEO_ID) >= 0.9 and _share(sample, 1, _TIMESTAMP) >= 0.9


def is_takeout_library(header: list[str], sample: list[list[str]]) -> bool:
    """Video ids, then title and album, then artist columns: "music library songs.csv"."""
    if len(header) < 4 or not sample:
        return False
    return _share(sample, 0, VIDEO_ID) >= 0.9 and _share(sample, 1, _TIMESTAMP) < 0.1


def _ids_mapping(header: list[str], sample: list[list[str]]) -> ColumnMapping:
    video: str | int | None = _column(header, ("video id",))
    added: str | int | None = _column(header, _TIMESTAMP_COLUMNS)
    if video is None and is_takeout_playlist(header, sample):
        video, added = 0, 1
    if video is None:
        raise FormatError("This YouTube Takeout file has no 'Video ID' column.", 1)
    return ColumnMapping(source_id=video, added_at=added)


def _needs_resolution(track: TrackRecord, collector: Collector) -> TrackRecord:
    return dataclasses.replace(track, needs_resolution=not track.title)


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
        fix_track=_needs_resolution,
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
            track = TrackRecord(
                title="", source_id=video_id, added_at=added_at, line=line, needs_resolution=True
            )
            collector.add_track(playlist, track)
    return collector.result()


_ARTIST_N = re.compile(r"^artist name \d+$")


def _library_mapping(header: list[str], sample: list[list[str]]) -> ColumnMapping:
    normalised = [normalise_header(name) for name in header]
    artists: tuple[str | int, ...] = tuple(
        header[i] for i, name in enumerate(normalised) if _ARTIST_N.match(name)
    )
    title: str | int | None = _column(header, ("song title",))
    video: str | int | None = _column(header, ("video id",))
    album: str | int | None = _column(header, ("album title",))
    if title is None and is_takeout_library(header, sample):
        # A header in another language: the columns are always in this order.
        video, title, album = 0, 1, 2
        artists = tuple(range(3, len(header)))
    if title is None and video is None:
        raise FormatError("This YouTube Music library file has no 'Song Title' column.", 1)
    guessed = guess_mapping(header)
    return ColumnMapping(
        title=title,
        artist=artists or None,
        album=album,
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


def is_playlist_block(first_rows: list[list[str]]) -> bool:
    """A block of two-cell "Playlist ..." rows, then a header with a video id and a title."""
    if not first_rows or len(first_rows[0]) != 2:
        return False
    if not normalise_header(first_rows[0][0]).startswith("playlist"):
        return False
    for row in first_rows[1:12]:
        names = [normalise_header(cell) for cell in row]
        if "video id" in names and "title" in names:
            return True
    return False


def read_youtube_playlist_csv(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """A playlist block, then one row per video with its title (see the module docstring)."""
    collector = Collector("youtube-playlist-csv", limits)
    with open_rows(source, limits=limits, repair=collector.warn) as table:
        if table.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(table.encoding))
        block: dict[str, str] = {}
        header: list[str] | None = None
        header_line = 0
        for line, row in table.rows:
            names = [normalise_header(cell) for cell in row]
            if "video id" in names and "title" in names:
                header, header_line = row, line
                break
            if len(row) >= 2:
                block[normalise_header(row[0])] = row[1].strip()
        if header is None and not block:
            raise FormatError("The file is empty.")
        if header is None:
            raise FormatError("This playlist CSV has no 'Video ID','Title' header.", 1)
        names = [normalise_header(cell) for cell in header]
        video, title = names.index("video id"), names.index("title")
        added = names.index("added at") if "added at" in names else None
        collector.columns = tuple(cell.strip() for cell in header)
        collector.fed_by = {
            "title": header[title],
            "artist": header[title],
            "source_id": header[video],
        }
        playlist = collector.new_playlist(
            block.get("playlist title") or takeout_playlist_name(filename),
            source_id=block.get("playlist url", ""),
            line=header_line,
        )
        for line, row in table.rows:
            text = row[title].strip() if title < len(row) else ""
            video_id = row[video].strip() if video < len(row) else ""
            if not text and not video_id:
                collector.warn("The row has no title or video id; it was skipped.", line)
                continue
            pair = split_artist_title(text)
            track = TrackRecord(
                title=pair[1] if pair else text,
                artists=(pair[0],) if pair else (),
                source_id=video_id,
                added_at=row[added].strip() if added is not None and added < len(row) else "",
                line=line,
                needs_resolution=not text,
            )
            collector.add_track(playlist, track)
    return collector.result()
