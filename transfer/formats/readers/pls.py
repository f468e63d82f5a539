"""PLS playlists (Winamp, SHOUTcast, VLC, many radio players): an INI file.

[playlist]
File1=path or URL
Title1=display title (optional)
Length1=seconds (optional, -1 for streams)
NumberOfEntries=2
Version=2

Entries are taken in their number's order. Without a title, or with one that is only part of
the file name, the title and artist come from the file name as in M3U ("Artist - Title.mp3").
"""

from __future__ import annotations

import re

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import (
    FALLBACK_ENCODINGS,
    Source,
    fallback_warning,
    limited_lines,
    open_text,
)
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.m3u import location_name, names_from_text
from transfer.formats.records import ParseResult, TrackRecord
from transfer.formats.values import split_artist_title

_KEY = re.compile(r"^(file|title|length)(\d+)$", re.IGNORECASE)


def read_pls(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("pls", limits)
    entries: dict[int, dict[str, str]] = {}
    lines_of: dict[int, int] = {}
    name = name_from_filename(filename)
    seen_section = False
    seen_anything = False
    with open_text(source, limits=limits) as decoded:
        if decoded.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(decoded.encoding))
        for number, raw in enumerate(limited_lines(decoded.stream, limits), start=1):
            text = raw.strip()
            if not text or text.startswith((";", "#")):
                continue
            seen_anything = True
            if text.startswith("["):
                seen_section = seen_section or text.lower() == "[playlist]"
                continue
            key, sep, value = text.partition("=")
            if not sep:
                collector.warn("This line is not 'Key=Value'; it was skipped.", number)
                continue
            found = _KEY.match(key.strip())
            if found is None:
                if key.strip().lower() == "playlistname" and value.strip():
                    name = value.strip()
                continue
            index = int(found.group(2))
            if len(entries) >= limits.max_tracks and index not in entries:
                raise FormatError(
                    f"The file has more than {limits.max_tracks:,} entries, the most one import "
                    "may hold.",
                    number,
                )
            entries.setdefault(index, {})[found.group(1).lower()] = value.strip()
            lines_of.setdefault(index, number)
    if not seen_section and not entries and not seen_anything:
        raise FormatError("The file is empty.")
    if not seen_section:
        raise FormatError("This is not a PLS playlist: it has no [playlist] section.", 1)
    playlist = collector.new_playlist(name)
    for index in sorted(entries):
        entry, line = entries[index], lines_of[index]
        location = entry.get("file", "")
        if not location:
            collector.warn(f"Entry {index} has a title but no File{index}; skipped.", line)
            continue
        stem = location_name(location)
        title, artists, track_number = names_from_text(stem) if stem else ("", (), None)
        given = entry.get("title", "")
        if given and given not in stem:
            pair = split_artist_title(given)
            title, artists = (pair[1], (pair[0],)) if pair else (given, artists)
        duration = entry.get("length", "")
        seconds = int(duration) if duration.lstrip("-").isdigit() else 0
        collector.add_track(
            playlist,
            TrackRecord(
                title=title,
                artists=artists,
                duration_ms=seconds * 1000 if seconds > 0 else None,
                track_number=track_number,
                source_id=location,
                line=line,
            ),
        )
    return collector.result()
