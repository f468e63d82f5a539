"""CSV files of any layout: a column mapping (given by the user or guessed from the header) says
which column holds which field. The Exportify, TuneMyMusic, Soundiiz and YouTube readers are
this engine with their own mappings.

Rows are read one at a time from a decoding text stream, so a file with a million rows stops
at the track limit without a million parsed rows in memory.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from transfer.formats.collect import DEFAULT_PLAYLIST_NAME, Collector, name_from_filename
from transfer.formats.decoding import (
    FALLBACK_ENCODINGS,
    Source,
    fallback_warning,
    limited_lines,
    open_text,
)
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord
from transfer.formats.spreadsheet import restore
from transfer.formats.values import (
    DurationUnit,
    parse_duration,
    parse_explicit,
    parse_track_number,
    split_escaped,
)

_T = TypeVar("_T")

Column = str | int
Columns = Column | tuple[Column, ...]

DELIMITERS = (",", ";", "\t", "|")

# The mapping's columns that hold one value, and those that may list several (artists).
SINGLE_COLUMNS = (
    "title",
    "album",
    "isrc",
    "duration",
    "playlist",
    "explicit",
    "track_number",
    "release_date",
    "source_id",
    "added_at",
)
MULTI_COLUMNS = ("artist", "album_artist")


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column holds which field of a track.

    A column is a header name (matched ignoring case and surrounding spaces) or a 0-based
    index; ``artist`` and ``album_artist`` may name several columns, one artist each. A mapping
    needs at least one of title, ISRC or source id: rows are matched on those.
    """

    title: Column | None = None
    artist: Columns | None = None
    album: Column | None = None
    isrc: Column | None = None
    duration: Column | None = None
    # What a bare number in the duration column means; "auto" decides by its size.
    duration_unit: DurationUnit = "auto"
    # Rows with different values here go to different playlists.
    playlist: Column | None = None
    album_artist: Columns | None = None
    explicit: Column | None = None
    track_number: Column | None = None
    release_date: Column | None = None
    source_id: Column | None = None
    added_at: Column | None = None
    # Split one artist cell into several artists; a backslash escapes it. None keeps the
    # cell as one artist string, the safe choice for names like "Tyler, The Creator".
    artist_separator: str | None = None
    # None sniffs it from the first line among "," ";" tab and "|".
    delimiter: str | None = None
    # Without a header every column must be an index.
    has_header: bool = True

    def __post_init__(self) -> None:
        if self.title is None and self.isrc is None and self.source_id is None:
            raise ValueError("A column mapping needs a title, ISRC or source id column.")
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ValueError("A CSV delimiter is one character.")
        if self.artist_separator == "":
            raise ValueError("An artist separator cannot be empty.")
        if not self.has_header:
            for name, columns in self._columns().items():
                if any(not isinstance(column, int) for column in columns):
                    raise ValueError(f"Without a header, column {name!r} must be an index.")

    def _columns(self) -> dict[str, tuple[Column, ...]]:
        fields = [*SINGLE_COLUMNS, *MULTI_COLUMNS]
        found: dict[str, tuple[Column, ...]] = {}
        for name in fields:
            value = getattr(self, name)
            if value is None:
                continue
            found[name] = value if isinstance(value, tuple) else (value,)
        return found


def normalise_header(name: str) -> str:
    """Header text for matching only: lower case, "_" as space, spaces collapsed."""
    return re.sub(r"\s+", " ", name.replace("_", " ").replace("\ufeff", "").strip().lower())


# Header names we recognise, best first, in normalise_header form. Exact matches only: "name"
# must not catch "artist name".
_ALIASES: dict[str, tuple[str, ...]] = {
    "title": (
        "track name",
        "title",
        "track title",
        "song title",
        "song name",
        "song",
        "track",
        "name",
    ),
    "artist": (
        "artist name(s)",
        "artist names",
        "artists",
        "artist",
        "artist name",
        "artist(s)",
        "performer",
        "performers",
        "creator",
    ),
    "album": ("album name", "album", "album title", "release", "release title"),
    "album_artist": (
        "album artist name(s)",
        "album artist names",
        "album artists",
        "album artist",
    ),
    "isrc": ("isrc", "isrc code"),
    "duration": (
        "track duration (ms)",
        "duration (ms)",
        "duration ms",
        "length (ms)",
        "duration (s)",
        "duration (sec)",
        "duration seconds",
        "duration",
        "length",
        "time",
        "track length",
        "song duration",
    ),
    "explicit": ("explicit", "is explicit", "explicit content", "parental advisory"),
    "track_number": ("track number", "track no", "track no.", "track #", "tracknumber", "#"),
    "release_date": (
        "album release date",
        "release date",
        "released",
        "year",
        "date released",
        "release year",
    ),
    "source_id": (
        "track uri",
        "spotify uri",
        "source id",
        "uri",
        "spotify id",
        "spotify track id",
        "track id",
        "video id",
        "videoid",
        "youtube id",
        "asin",
        "id",
        "url",
        "location",
    ),
    "added_at": ("added at", "date added", "added", "added date", "added on", "time added"),
    "playlist": ("playlist name", "playlist", "playlist title"),
}


def _find(normalised: Sequence[str], aliases: Sequence[str]) -> int | None:
    for alias in aliases:
        if alias in normalised:
            return normalised.index(alias)
    return None


def _duration_unit(header: str) -> DurationUnit:
    name = normalise_header(header)
    if re.search(r"\bms\b|millis", name):
        return "ms"
    if re.search(r"\(s\)|\bsec\b|\bsecs\b|seconds", name):
        return "s"
    return "auto"


def guess_mapping(header: Sequence[str]) -> ColumnMapping | None:
    """A mapping from common header names (see _ALIASES), or None if no title, ISRC or id."""
    normalised = [normalise_header(name) for name in header]
    found = {field: _find(normalised, aliases) for field, aliases in _ALIASES.items()}
    if found["title"] is None and found["isrc"] is None and found["source_id"] is None:
        return None
    names: dict[str, str] = {
        field: header[index] for field, index in found.items() if index is not None
    }
    return ColumnMapping(
        title=names.get("title"),
        artist=names.get("artist"),
        album=names.get("album"),
        isrc=names.get("isrc"),
        duration=names.get("duration"),
        duration_unit=_duration_unit(names["duration"]) if "duration" in names else "auto",
        playlist=names.get("playlist"),
        album_artist=names.get("album_artist"),
        explicit=names.get("explicit"),
        track_number=names.get("track_number"),
        release_date=names.get("release_date"),
        source_id=names.get("source_id"),
        added_at=names.get("added_at"),
    )


# Our own CSV export (see writers.py): every field, artists joined by "; ".
OWN_COLUMNS = (
    "Playlist",
    "Title",
    "Artists",
    "Album",
    "Album Artists",
    "Duration (ms)",
    "ISRC",
    "Explicit",
    "Track Number",
    "Release Date",
    "Source ID",
    "Added At",
)
OWN_ARTIST_SEPARATOR = ";"
OWN_MAPPING = ColumnMapping(
    playlist="Playlist",
    title="Title",
    artist="Artists",
    album="Album",
    album_artist="Album Artists",
    duration="Duration (ms)",
    duration_unit="ms",
    isrc="ISRC",
    explicit="Explicit",
    track_number="Track Number",
    release_date="Release Date",
    source_id="Source ID",
    added_at="Added At",
    artist_separator=OWN_ARTIST_SEPARATOR,
)


def is_own_header(header: Sequence[str]) -> bool:
    return [name.strip() for name in header] == list(OWN_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Streaming rows


def sniff_delimiter(line: str) -> str:
    """The candidate delimiter that splits the header line into the most fields."""
    best, best_count = ",", 1
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _csv_message(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return "A field is too large (over 131,072 characters); this is not a playlist file."
    return f"The CSV is malformed here ({text})."


UNCLOSED = (
    "A quoted field opened on this line is never closed; the file may be truncated or have an "
    "unmatched double quote."
)
# A record still open after this many physical lines has a stray quote, not a long field:
# playlist fields never hold that many line breaks.
_MAX_RECORD_LINES = 50

Repair = Callable[[str, int], None]


def tolerant_split(text: str, delimiter: str) -> list[str]:
    """Cells of one record written with unescaped quotes, as a person would read them.

    Tools write ``"Evelyn "Champagne" King"``: a quote inside a quoted field that is not
    doubled. Here a quote ends a quoted field only before the delimiter or the end of the
    record; any other quote is part of the text.
    """
    body = text.rstrip("\r\n")
    cells: list[str] = []
    i, n = 0, len(body)
    while True:
        if i < n and body[i] == '"':
            i += 1
            cell: list[str] = []
            while i < n:
                char = body[i]
                if char == '"' and i + 1 < n and body[i + 1] == '"':
                    cell.append('"')
                    i += 2
                    continue
                if char == '"' and (i + 1 == n or body[i + 1] == delimiter):
                    i += 1
                    break
                cell.append(char)
                i += 1
            cells.append("".join(cell))
        else:
            end = body.find(delimiter, i)
            end = n if end < 0 else end
            cells.append(body[i:end])
            i = end
        if i >= n:
            return cells
        i += 1  # the delimiter
        if i == n:
            cells.append("")
            return cells


def _parse_record(
    lines: list[str], start: int, delimiter: str, repair: Repair | None
) -> list[list[str]]:
    """The record these physical lines make, or, for a broken one, each line on its own."""
    try:
        return list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "field larger" in str(exc) or repair is None:
            raise FormatError(_csv_message(exc), start) from exc
    if len(lines) == 1:
        repair(
            "A double quote inside a field is not doubled as CSV requires; the row was read "
            "as it was most likely meant.",
            start,
        )
        return [tolerant_split(lines[0], delimiter)]
    rows = []
    for offset, line in enumerate(lines):
        rows.extend(_parse_record([line], start + offset, delimiter, repair))
    return rows


def csv_records(
    lines: Iterator[str], delimiter: str, repair: Repair | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; blank records left out.

    Physical lines are grouped until their double quotes balance, so a quoted field may hold
    line breaks. A record that Python's strict reader refuses is read with ``tolerant_split``
    and reported through ``repair`` (with ``repair=None`` it is a ``FormatError``). A record
    still open at the end of the file is an error: the file was cut short.
    """
    pending: list[str] = []
    quotes = 0
    start = 0
    for number, line in enumerate(lines, start=1):
        if not pending:
            start = number
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2 and len(pending) < _MAX_RECORD_LINES:
            continue
        for row in _parse_record(pending, start, delimiter, repair):
            if any(cell.strip() for cell in row):
                yield start, row
        pending, quotes = [], 0
    if pending:
        raise FormatError(UNCLOSED, start)


@dataclass(slots=True)
class CsvRows:
    encoding: str
    delimiter: str
    # (line where the row starts, cells), blank rows left out.
    rows: Iterator[tuple[int, list[str]]]


@contextmanager
def open_rows(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    delimiter: str | None = None,
    repair: Repair | None = None,
) -> Iterator[CsvRows]:
    """Decode ``source`` and iterate its CSV rows with their line numbers."""
    with open_text(source, limits=limits, newline="") as decoded:
        lines = limited_lines(decoded.stream, limits)
        head: list[str] = []
        for line in lines:
            head.append(line)
            if line.strip():
                break
        chosen = delimiter or sniff_delimiter(head[-1] if head else "")
        rows = csv_records(itertools.chain(head, lines), chosen, repair)
        yield CsvRows(decoded.encoding, chosen, rows)


# ---------------------------------------------------------------------------------------------
# Rows to tracks


@dataclass(frozen=True, slots=True)
class _Resolved:
    title: int | None
    artists: tuple[int, ...]
    album: int | None
    isrc: int | None
    duration: int | None
    playlist: int | None
    album_artists: tuple[int, ...]
    explicit: int | None
    track_number: int | None
    release_date: int | None
    source_id: int | None
    added_at: int | None
    widest: int


def _resolve(mapping: ColumnMapping, header: Sequence[str] | None, line: int) -> _Resolved:
    lookup = {normalise_header(name): i for i, name in reversed(list(enumerate(header or [])))}

    def one(column: Column | None) -> int | None:
        if column is None:
            return None
        if isinstance(column, int):
            if column < 0:
                raise FormatError(f"Column index {column} is negative.", line)
            return column
        index = lookup.get(normalise_header(column))
        if index is None:
            have = ", ".join(repr(name.strip()) for name in header or [])
            raise FormatError(f"The header has no column {column!r}; it has {have}.", line)
        return index

    def many(columns: Columns | None) -> tuple[int, ...]:
        if columns is None:
            return ()
        items = columns if isinstance(columns, tuple) else (columns,)
        return tuple(i for i in (one(column) for column in items) if i is not None)

    singles = {name: one(getattr(mapping, name)) for name in SINGLE_COLUMNS}
    artists, album_artists = many(mapping.artist), many(mapping.album_artist)
    used = [i for i in singles.values() if i is not None] + list(artists + album_artists)
    return _Resolved(
        artists=artists,
        album_artists=album_artists,
        widest=max(used, default=0),
        **singles,
    )


class RowReader:
    """Turns rows into tracks for one resolved mapping, warning about bad cells."""

    def __init__(self, mapping: ColumnMapping, columns: _Resolved, collector: Collector) -> None:
        self.mapping = mapping
        self.columns = columns
        self.collector = collector

    @staticmethod
    def cell(row: Sequence[str], index: int | None) -> str:
        if index is None or index >= len(row):
            return ""
        return restore(row[index])  # trimmed, formula protection undone

    def _artists(self, row: Sequence[str], indexes: tuple[int, ...]) -> tuple[str, ...]:
        separator = self.mapping.artist_separator
        found: list[str] = []
        for index in indexes:
            text = self.cell(row, index)
            if not text:
                continue
            if not separator:
                found.append(text)
                continue
            # "," and ";" files escape both (Exportify's "AC\,DC", our own "\;").
            also = ",;".replace(separator, "") if separator in ",;" else ""
            found.extend(split_escaped(text, separator, also))
        return tuple(found)

    def track(self, row: Sequence[str], line: int) -> TrackRecord | None:
        columns, cell = self.columns, self.cell
        if columns.widest >= len(row):
            self.collector.warn(
                f"The row has {len(row)} fields, fewer than the columns read; the missing "
                "fields are taken as empty.",
                line,
            )
        title, isrc, source_id = (
            cell(row, columns.title),
            cell(row, columns.isrc),
            cell(row, columns.source_id),
        )
        if not (title or isrc or source_id):
            self.collector.warn("The row has no title, ISRC or id; it was skipped.", line)
            return None
        return TrackRecord(
            title=title,
            artists=self._artists(row, columns.artists),
            album=cell(row, columns.album),
            duration_ms=self._parse(
                lambda text: parse_duration(text, self.mapping.duration_unit),
                cell(row, columns.duration),
                line,
            ),
            isrc=isrc,
            explicit=self._parse(parse_explicit, cell(row, columns.explicit), line),
            album_artists=self._artists(row, columns.album_artists),
            track_number=self._parse(parse_track_number, cell(row, columns.track_number), line),
            release_date=cell(row, columns.release_date),
            source_id=source_id,
            added_at=cell(row, columns.added_at),
            line=line,
        )

    def _parse(self, parse: Callable[[str], _T | None], text: str, line: int) -> _T | None:
        try:
            return parse(text)
        except ValueError as exc:
            self.collector.warn(f"The {exc} and was left out.", line)
            return None


# How many rows a reader may look at before choosing its mapping (the artist separator, a
# header in another language...). They are kept and read afterwards like every other row.
SAMPLE_ROWS = 200

ChooseMapping = Callable[[list[str], list[list[str]]], ColumnMapping]
_FED_FIELDS = ("title", "artist", "album", "duration", "isrc", "source_id", "playlist")


def _fed_by(mapping: ColumnMapping, header: Sequence[str]) -> dict[str, str]:
    """Which header column each field was read from, for the preview."""
    found: dict[str, str] = {}
    columns = mapping._columns()
    for field_name in _FED_FIELDS:
        names = []
        for column in columns.get(field_name, ()):
            if isinstance(column, int):
                names.append(header[column].strip() if column < len(header) else f"#{column + 1}")
            else:
                names.append(column)
        if names:
            found[field_name] = " + ".join(names)
    return found


def read_table(
    source: Source,
    *,
    format_id: str,
    choose_mapping: ChooseMapping,
    filename: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    default_name: str | None = None,
    delimiter: str | None = None,
    has_header: bool = True,
    notes: Sequence[str] = (),
    fix_track: Callable[[TrackRecord, Collector], TrackRecord] | None = None,
) -> ParseResult:
    """The shared CSV engine.

    ``choose_mapping`` sees the header (``[]`` without one) and up to ``SAMPLE_ROWS`` rows;
    ``fix_track`` may rewrite each track (TuneMyMusic's "Artist - Title" titles).
    """
    collector = Collector(format_id, limits)
    for note in notes:
        collector.warn(note)
    name = default_name or name_from_filename(filename, DEFAULT_PLAYLIST_NAME)
    with open_rows(source, limits=limits, delimiter=delimiter, repair=collector.warn) as table:
        if table.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(table.encoding))
        first = next(table.rows, None)
        if first is None:
            raise FormatError("The file is empty.")
        head = [] if has_header else [first]
        head.extend(itertools.islice(table.rows, SAMPLE_ROWS))
        sample = [row for _line, row in head]
        rows: Iterator[tuple[int, list[str]]] = itertools.chain(head, table.rows)
        if has_header:
            header_line, header = first
            mapping = choose_mapping(header, sample)
            columns = _resolve(mapping, header, header_line)
            collector.columns = tuple(cell.strip() for cell in header)
        else:
            mapping = choose_mapping([], sample)
            columns = _resolve(mapping, None, first[0])
            widest = max((len(row) for row in sample), default=0)
            header = [f"Column {i + 1}" for i in range(widest)]
            collector.columns = tuple(header)
        collector.fed_by = _fed_by(mapping, header)
        collector.artist_separator = mapping.artist_separator or ""
        reader = RowReader(mapping, columns, collector)
        single: PlaylistRecord | None = None
        for line, row in rows:
            track = reader.track(row, line)
            if track is None:
                continue
            if fix_track is not None:
                track = fix_track(track, collector)
            if columns.playlist is not None:
                playlist = collector.playlist_named(
                    reader.cell(row, columns.playlist) or name, line
                )
            else:
                if single is None:
                    single = collector.new_playlist(name, line=line)
                playlist = single
            collector.add_track(playlist, track)
    if not collector.playlists:
        collector.new_playlist(name)
    return collector.result()


def _guess_or_fail(header: list[str], sample: list[list[str]]) -> ColumnMapping:
    if is_own_header(header):
        return OWN_MAPPING
    guessed = guess_mapping(header)
    if guessed is None:
        have = ", ".join(repr(name.strip()) for name in header)
        raise FormatError(
            "No column could be recognised as the title, ISRC or track id (the header has "
            f"{have}); choose the columns by hand.",
            1,
        )
    return guessed


def read_csv(
    source: Source,
    mapping: ColumnMapping | None = None,
    *,
    filename: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ParseResult:
    """Any CSV: with ``mapping`` as given, else our own export's columns, else guessed ones."""
    return read_table(
        source,
        format_id="csv",
        choose_mapping=(lambda _header, _sample: mapping)
        if mapping is not None
        else _guess_or_fail,
        filename=filename,
        limits=limits,
        delimiter=mapping.delimiter if mapping is not None else None,
        has_header=mapping.has_header if mapping is not None else True,
    )
