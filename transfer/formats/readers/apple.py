"""Apple Music exports other than Library.xml.

- Apple's Data & Privacy export (privacy.apple.com, "Apple Media Services information"):
  ``Apple Music Library Tracks.json``, an array of {"Track Identifier", "Title", "Artist",
  "Album", "Album Artist", "Track Duration" (ms), "Content Type", "Apple Music Track
  Identifier", ...}, and ``Apple Music Library Playlists.json``, an array of {"Container
  Type": "Playlist", "Title", "Description", "Playlist Item Identifiers": [Track Identifier]}.
  The playlists name their tracks only by those identifiers, so they are read together with
  the tracks file (both come in the export's zip; see archives.py).
- Music/iTunes "File > Library > Export Playlist..." as text: UTF-16 with a byte order mark,
  tab separated, "Name","Artist","Composer","Album",...,"Time" (seconds),..., "Location".
"""

from __future__ import annotations

from typing import Any

from transfer.formats.collect import Collector
from transfer.formats.decoding import Source, peek_text
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import ColumnMapping, normalise_header, read_table
from transfer.formats.readers.jsonstream import PENDING, ObjectCapture, json_events, text_of
from transfer.formats.records import ParseResult, TrackRecord

LIBRARY_NAME = "Library"
# Content types of the library file that are not music.
_NOT_MUSIC = {"video", "music video", "podcast", "tv show", "movie", "audiobook"}


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def track_from_apple(item: dict[str, Any]) -> TrackRecord | None:
    title = text_of(item.get("Title"))
    catalog = text_of(item.get("Apple Music Track Identifier")) or text_of(
        item.get("Purchased Track Identifier")
    )
    if not title and not catalog:
        return None
    artist, album_artist = text_of(item.get("Artist")), text_of(item.get("Album Artist"))
    explicit = item.get("Is Explicit") if isinstance(item.get("Is Explicit"), bool) else None
    return TrackRecord(
        title=title,
        artists=(artist,) if artist else (),
        album=text_of(item.get("Album")),
        album_artists=(album_artist,) if album_artist else (),
        duration_ms=_int(item.get("Track Duration")),
        isrc=text_of(item.get("ISRC")),
        explicit=explicit,
        track_number=_int(item.get("Track Number On Album")),
        release_date=text_of(item.get("Release Date")),
        source_id=f"apple:{catalog}" if catalog else "",
        added_at=text_of(item.get("Date Added To Library")),
    )


def _items(source: Source, limits: Limits, collector: Collector) -> Any:
    """Each object of a top-level JSON array, built one at a time."""
    capture = ObjectCapture()
    for prefix, event, value in json_events(source, limits, collector):
        if capture.active:
            item = capture.feed(event, value)
            if item is not PENDING:
                yield item
        elif prefix == "item" and event == "start_map":
            capture.start(event, value)


def library_tracks(source: Source, limits: Limits, collector: Collector) -> dict[int, TrackRecord]:
    """The library file's music tracks by Track Identifier, adding them to a "Library"."""
    library = collector.new_playlist(LIBRARY_NAME)
    by_id: dict[int, TrackRecord] = {}
    left_out: dict[str, int] = {}
    for position, item in enumerate(_items(source, limits, collector), start=1):
        if not isinstance(item, dict):
            continue
        kind = text_of(item.get("Content Type"))
        if kind.lower() in _NOT_MUSIC:
            left_out[kind] = left_out.get(kind, 0) + 1
            continue
        track = track_from_apple(item)
        if track is None:
            collector.warn(f"Library item {position} has no title or identifier; skipped.")
            continue
        identifier = _int(item.get("Track Identifier"))
        if identifier is not None:
            by_id[identifier] = track
        collector.add_track(library, track)
    if left_out:
        listed = ", ".join(f"{count:,} {kind.lower()}" for kind, count in left_out.items())
        collector.warn(f"Left out {listed}: only music is transferred.")
    return by_id


def read_apple_library_tracks(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("apple-privacy-json", limits)
    library_tracks(source, limits, collector)
    return collector.result()


def add_apple_playlists(
    source: Source, tracks: dict[int, TrackRecord], limits: Limits, collector: Collector
) -> None:
    """The playlists file's playlists, their items looked up in the tracks file."""
    for item in _items(source, limits, collector):
        if not isinstance(item, dict) or text_of(item.get("Container Type")) != "Playlist":
            continue
        ids = item.get("Playlist Item Identifiers")
        if not isinstance(ids, list) or not ids:
            continue
        playlist = collector.new_playlist(
            text_of(item.get("Title")) or "Untitled playlist",
            description=text_of(item.get("Description")),
            source_id=text_of(item.get("Container Identifier")),
        )
        missing = 0
        for identifier in ids:
            track = tracks.get(identifier) if isinstance(identifier, int) else None
            if track is None:
                missing += 1
                continue
            collector.add_track(playlist, track)
        if missing:
            collector.warn(
                f"Playlist {playlist.name!r}: {missing:,} items are not in the library file "
                "(removed from Apple Music since); they were left out."
            )


def read_apple_library_playlists(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    head, _encoding = peek_text(source, limits=limits, size=4096)
    if not head.strip("\ufeff \t\r\n"):
        raise FormatError("The file is empty.")
    raise FormatError(
        "This is Apple's 'Apple Music Library Playlists.json', which names tracks only by "
        "number. Upload it together with 'Apple Music Library Tracks.json', or upload the "
        "whole privacy export zip."
    )


def is_apple_playlist_header(header: list[str]) -> bool:
    names = [normalise_header(name) for name in header]
    return names[:4] == ["name", "artist", "composer", "album"] and "time" in names


def _txt_mapping(header: list[str], sample: list[list[str]]) -> ColumnMapping:
    names = [normalise_header(name) for name in header]

    def column(name: str) -> int | None:
        return names.index(name) if name in names else None

    return ColumnMapping(
        title=0,
        artist=1,
        album=3,
        duration=column("time"),
        duration_unit="s",
        track_number=column("track number"),
        release_date=column("year"),
        added_at=column("date added"),
        source_id=column("location"),
    )


def read_apple_playlist_txt(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """Music's "Export Playlist..." text file (see the module docstring)."""
    return read_table(
        source,
        format_id="apple-playlist-txt",
        choose_mapping=_txt_mapping,
        filename=filename,
        limits=limits,
        delimiter="\t",
    )
