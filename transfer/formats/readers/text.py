"""Plain text: one "Artist - Title" per line.

The separator is a hyphen, an en dash (U+2013) or an em dash (U+2014) with a space each
side. A line is split at the first one, so "Queen - Bohemian Rhapsody - Remastered 2011"
keeps its suffix in the title. "Title by Artist" is not read: "by" is too common inside
titles. A line without a separator becomes a title with no artist. A leading list number
("1. ", "12) ") is dropped. Lines starting with "#" and no separator are comments;
"#PLAYLIST:Name" starts a playlist of that name, which is how several playlists share a file.
Whether a file is "Artist - Title" or "Title - Artist" is decided from its lines (order.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
from transfer.formats.order import TITLE_ARTIST, Pair, apply, decide
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord
from transfer.formats.values import has_artist_title_separator, split_artist_title

PLAYLIST_DIRECTIVE = "#PLAYLIST:"
_LIST_NUMBER = re.compile(r"^\d{1,4}[.)]\s+(?=\S)")


def read_text(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("text", limits)
    current: PlaylistRecord | None = None
    seen_anything = False
    pairs: list[Pair] = []
    split_at: dict[int, list[int]] = {}
    titles_only: list[int] = []
    ours = False  # written by this app (writers.py): always "Artist - Title"
    with open_text(source, limits=limits) as decoded:
        if decoded.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(decoded.encoding))
        for number, raw in enumerate(limited_lines(decoded.stream, limits), start=1):
            line = raw.strip()
            if not line:
                continue
            seen_anything = True
            if line[: len(PLAYLIST_DIRECTIVE)].upper() == PLAYLIST_DIRECTIVE:
                name = line[len(PLAYLIST_DIRECTIVE) :].strip() or name_from_filename(filename)
                current = collector.new_playlist(name, line=number)
                ours = True
                continue
            if line.startswith("#") and not has_artist_title_separator(line):
                continue
            if _LIST_NUMBER.match(line) and has_artist_title_separator(line):
                line = _LIST_NUMBER.sub("", line, count=1)
            if current is None:
                current = collector.new_playlist(name_from_filename(filename), line=number)
            pair = split_artist_title(line)
            if pair is None:
                titles_only.append(number)
                track = TrackRecord(title=line, line=number)
            else:
                track = TrackRecord(title=pair[1], artists=(pair[0],), line=number)
                pairs.append(Pair(pair[0], pair[1]))
                split_at.setdefault(id(current), []).append(len(current.tracks))
            collector.add_track(current, track)
    if not seen_anything:
        raise FormatError("The file is empty.")
    if current is None:
        collector.new_playlist(name_from_filename(filename))
    if titles_only and len(titles_only) * 2 > len(titles_only) + len(pairs):
        # A list of titles, not a list with a few odd lines: one note, not a warning a line.
        collector.warn(
            f"{len(titles_only):,} lines hold a title only (no ' - ' and artist); they are "
            "matched by title alone, which is less certain."
        )
    else:
        for number in titles_only:
            collector.warn(
                "No ' - ' between artist and title; the whole line is taken as the title.", number
            )
    if not ours:
        orient(collector, pairs, split_at)
    return collector.result()


def orient(
    collector: Collector,
    pairs: list[Pair],
    split_at: dict[int, list[int]],
    known_artists: Iterable[str] = (),
) -> None:
    """Decide the file's "A - B" order (see order.py) and swap the split tracks if needed."""
    if not pairs:
        return
    collector.order, reason = decide(pairs, known_artists)
    if collector.order == TITLE_ARTIST:
        apply(collector.playlists, split_at)
        collector.order_reason = f"Read as 'Title - Artist' because {reason}."
    else:
        collector.order_reason = (
            f"Read as 'Artist - Title' because {reason}." if reason else "Read as 'Artist - Title'."
        )
