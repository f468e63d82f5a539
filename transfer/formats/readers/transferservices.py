"""CSV exports of the playlist transfer services TuneMyMusic and Soundiiz.

Both put many playlists in one file, told apart by a playlist-name column.

- TuneMyMusic: "Track name","Artist name","Album","Playlist name","Type","ISRC", then one
  "<Service> - id" column per service it knows the track on ("Spotify - id", ...). Rows it
  copied from YouTube have the video title ("Artist - Title") as the track name and no
  artist; those are split.
- Soundiiz: lower-case "title","artist","album","isrc" (and sometimes a playlist column),
  separated by "," or ";"; or JSON {"data": [{"title", "artist"/"artists", "album", "isrc",
  ...}]} (the item keys are read leniently: no real Soundiiz JSON file was found to study).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import (
    ColumnMapping,
    guess_mapping,
    normalise_header,
    read_table,
)
from transfer.formats.readers.jsonstream import PENDING, ObjectCapture, json_events, text_of
from transfer.formats.records import ParseResult, TrackRecord
from transfer.formats.values import AUTO_MS_THRESHOLD, split_artist_title


def split_video_title(track: TrackRecord, collector: Collector) -> TrackRecord:
    """A row copied from YouTube: "Artist - Title" in the title column and no artist."""
    if track.artists or not track.title:
        return track
    pair = split_artist_title(track.title)
    if pair is None:
        return track
    artist, title = pair
    return dataclasses.replace(track, title=title, artists=(artist,))


def _service_id_column(header: list[str]) -> str | None:
    """The "<Service> - id" column, Spotify's first (its ids are the most useful to us)."""
    ids = [name for name in header if normalise_header(name).endswith(" - id")]
    for name in ids:
        if normalise_header(name) == "spotify - id":
            return name
    return ids[0] if ids else None


def _tunemymusic_mapping(header: list[str], sample: list[list[str]]) -> ColumnMapping:
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
        fix_track=split_video_title,
    )


def _soundiiz_mapping(header: list[str], sample: list[list[str]]) -> ColumnMapping:
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


def _names(value: Any) -> tuple[str, ...]:
    """An artist field: a string, a list of strings, or a list of {"name": ...} objects."""
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list):
        found = (text_of(v.get("name")) if isinstance(v, dict) else text_of(v) for v in value)
        return tuple(name for name in found if name)
    if isinstance(value, dict):
        return _names(value.get("name"))
    return ()


def _soundiiz_track(item: dict[str, Any]) -> TrackRecord | None:
    title = text_of(item.get("title")) or text_of(item.get("name"))
    isrc = text_of(item.get("isrc"))
    if not title and not isrc:
        return None
    album = item.get("album")
    duration = item.get("duration")
    duration_ms = None
    if isinstance(duration, int | float) and not isinstance(duration, bool) and duration > 0:
        duration_ms = round(duration if duration >= AUTO_MS_THRESHOLD else duration * 1000)
    return TrackRecord(
        title=title,
        artists=_names(item.get("artists") or item.get("artist")),
        album=text_of(album.get("title") or album.get("name"))
        if isinstance(album, dict)
        else text_of(album),
        isrc=isrc,
        duration_ms=duration_ms,
        source_id=text_of(item.get("id")) or text_of(item.get("url")),
    )


def read_soundiiz_json(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """Soundiiz JSON: {"data": [track, ...]}, one playlist named after the file."""
    collector = Collector("soundiiz-json", limits)
    capture = ObjectCapture()
    playlist = collector.new_playlist(name_from_filename(filename))
    position = 0
    for prefix, event, value in json_events(source, limits, collector):
        if capture.active:
            item = capture.feed(event, value)
            if item is PENDING:
                continue
            position += 1
            track = _soundiiz_track(item) if isinstance(item, dict) else None
            if track is None:
                collector.warn(f"Item {position} has no title or ISRC; skipped.")
            else:
                collector.add_track(playlist, track)
        elif prefix == "data.item" and event == "start_map":
            capture.start(event, value)
        elif prefix in ("name", "title") and event == "string" and value.strip():
            playlist.name = value.strip()
    return collector.result()
