"""CSV exports of the playlist transfer services TuneMyMusic and Soundiiz.

Both put many playlists in one file, told apart by a playlist-name column.

- TuneMyMusic: "Track name","Artist name","Album","Playlist name","Type","ISRC", then one
  "<Service> - id" column per service it knows the track on ("Spotify - id", ...).
- Soundiiz: lower-case "title","artist","album","isrc" (and sometimes a playlist column),
  separated by "," or ";".
"""

from __future__ import annotations

import dataclasses

from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import (
    ColumnMapping,
    guess_mapping,
    normalise_header,
    read_table,
)
from transfer.formats.records import ParseResult


def _service_id_column(header: list[str]) -> str | None:
    """The "<Service> - id" column, Spotify's first (its ids are the most useful to us)."""
    ids = [name for name in header if normalise_header(name).endswith(" - id")]
    for name in ids:
        if normalise_header(name) == "spotify - id":
            return name
    return ids[0] if ids else None


def _tunemymusic_mapping(header: list[str]) -> ColumnMapping:
    guessed = guess_mapping(header)
    if guessed is None or guessed.title is None:
        raise FormatError("This is not a TuneMyMusic CSV: it has no 'Track name' column.", 1)
    return dataclasses.replace(guessed, source_id=_service_id_column(header) or guessed.source_id)


def read_tunemymusic(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    return read_table(
        source,
        format_id="tunemymusic-csv",
        choose_mapping=_tunemymusic_mapping,
        filename=filename,
        limits=limits,
    )


def _soundiiz_mapping(header: list[str]) -> ColumnMapping:
    guessed = guess_mapping(header)
    if guessed is None or guessed.title is None:
        raise FormatError("This is not a Soundiiz CSV: it has no 'title' column.", 1)
    return guessed


def read_soundiiz(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    return read_table(
        source,
        format_id="soundiiz-csv",
        choose_mapping=_soundiiz_mapping,
        filename=filename,
        limits=limits,
    )
