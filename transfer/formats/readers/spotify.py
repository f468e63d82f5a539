"""Spotify exports: Exportify CSV, the account data export (``YourLibrary.json`` and
``Playlist1.json``) and raw Web API playlist JSON.

Exportify has changed its columns over the years ("Spotify URI"/"Artist Name" before
"Track URI"/"Artist Name(s)", and "Duration (ms)" after "Track Duration (ms)"); the header is
matched by name, so every version reads. It joins several artists with "," and escapes a comma
inside a name as "\\,".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import read_table
from transfer.formats.readers.exportify import exportify_mapping
from transfer.formats.readers.jsonstream import PENDING, ObjectCapture, json_events, text_of
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord

EXPORTIFY_ARTIST_SEPARATOR = ","
LIKED_SONGS = "Liked Songs"


def read_exportify(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """One Exportify CSV (any layout, see exportify.py): one playlist, named after the file."""
    return read_table(
        source,
        format_id="exportify-csv",
        choose_mapping=exportify_mapping,
        filename=filename,
        limits=limits,
    )


def _artists(value: Any) -> tuple[str, ...]:
    """Names from a list of Web API artist objects."""
    if not isinstance(value, list):
        return ()
    names = (text_of(artist.get("name")) for artist in value if isinstance(artist, dict))
    return tuple(name for name in names if name)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def local_track(uri: str, added_at: str = "") -> TrackRecord | None:
    """A local file's track from its URI: spotify:local:Artist:Album:Title:seconds."""
    parts = uri.split(":")
    if len(parts) != 6 or parts[:2] != ["spotify", "local"]:
        return None
    artist, album, title, seconds = (unquote_plus(part).strip() for part in parts[2:])
    if not title:
        return None
    return TrackRecord(
        title=title,
        artists=(artist,) if artist else (),
        album=album,
        duration_ms=int(seconds) * 1000 if seconds.isdigit() else None,
        source_id=uri,
        added_at=added_at,
    )


# ---------------------------------------------------------------------------------------------
# Account data export: Playlist1.json (Playlist2.json ... for large accounts)


def _export_item(item: Any) -> TrackRecord | str:
    """A track, or why the item was skipped."""
    if not isinstance(item, dict):
        return "is not an object"
    added_at = text_of(item.get("addedDate"))
    track = item.get("track")
    if isinstance(track, dict):
        title, uri = text_of(track.get("trackName")), text_of(track.get("trackUri"))
        if not title and not uri:
            return "has no track name or URI"
        artist = text_of(track.get("artistName"))
        return TrackRecord(
            title=title,
            artists=(artist,) if artist else (),
            album=text_of(track.get("albumName")),
            source_id=uri,
            added_at=added_at,
        )
    local = item.get("localTrack")
    if isinstance(local, dict):
        found = local_track(text_of(local.get("uri")), added_at)
        return found if found is not None else "is a local file without a readable name"
    if item.get("episode"):
        return "is a podcast episode"
    if item.get("audiobook"):
        return "is an audiobook"
    return "has no track"


def read_spotify_playlists(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """``Playlist1.json``: {"playlists": [{"name", "items": [{"track": {...}}]}]}."""
    collector = Collector("spotify-playlists-json", limits)
    capture = ObjectCapture()
    current: PlaylistRecord | None = None
    position = 0
    for prefix, event, value in json_events(source, limits, collector):
        if capture.active:
            item = capture.feed(event, value)
            if item is not PENDING and current is not None:
                position += 1
                found = _export_item(item)
                if isinstance(found, TrackRecord):
                    collector.add_track(current, found)
                else:
                    collector.warn(f"Playlist {current.name!r}, item {position} {found}; skipped.")
            continue
        if prefix == "playlists.item" and event == "start_map":
            current = collector.new_playlist("")
            position = 0
        elif current is not None and prefix == "playlists.item.name" and event == "string":
            current.name = value.strip()
        elif current is not None and prefix == "playlists.item.description" and event == "string":
            current.description = value.strip()
        elif prefix == "playlists.item.items.item" and event == "start_map":
            capture.start(event, value)
        elif (
            prefix == "playlists.item"
            and event == "end_map"
            and current is not None
            and not current.name
        ):
            current.name = f"Playlist {len(collector.playlists)}"
    if not collector.playlists and not collector.problems:
        raise FormatError("This JSON has no 'playlists' list; it is not a Spotify playlist export.")
    return collector.result()


def read_spotify_library(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """``YourLibrary.json``: the liked songs, as one playlist; other lists are counted."""
    collector = Collector("spotify-library-json", limits)
    capture = ObjectCapture()
    liked = collector.new_playlist(LIKED_SONGS)
    others: dict[str, int] = {}
    position = 0
    for prefix, event, value in json_events(source, limits, collector):
        if capture.active:
            item = capture.feed(event, value)
            if item is PENDING:
                continue
            position += 1
            track = _library_track(item)
            if track is None:
                collector.warn(f"Liked song {position} has no track name or URI; skipped.")
            else:
                collector.add_track(liked, track)
            continue
        if prefix == "tracks.item" and event == "start_map":
            capture.start(event, value)
        elif prefix.endswith(".item") and prefix.count(".") == 1 and event == "start_map":
            others[prefix.split(".")[0]] = others.get(prefix.split(".")[0], 0) + 1
    if others:
        listed = ", ".join(f"{name} ({count:,})" for name, count in others.items())
        collector.warn(f"The library also lists {listed}; only its liked songs are imported.")
    return collector.result()


def _library_track(item: Any) -> TrackRecord | None:
    if not isinstance(item, dict):
        return None
    title, uri = text_of(item.get("track")), text_of(item.get("uri"))
    if not title and not uri:
        return None
    artist = text_of(item.get("artist"))
    return TrackRecord(
        title=title,
        artists=(artist,) if artist else (),
        album=text_of(item.get("album")),
        source_id=uri,
    )


# ---------------------------------------------------------------------------------------------
# Web API JSON: {"playlists": [playlist]}, one playlist object, or a page of playlist items


def _api_item(item: Any) -> TrackRecord | str:
    if not isinstance(item, dict):
        return "is not an object"
    # A playlist item wraps its track; a page of album tracks does not.
    track = item.get("track") if "track" in item and "name" not in item else item
    added_at = text_of(item.get("added_at"))
    if not isinstance(track, dict):
        return "has no track (it was removed from Spotify)"
    if track.get("type") == "episode":
        return "is a podcast episode"
    uri = text_of(track.get("uri"))
    if track.get("is_local") and uri.startswith("spotify:local:"):
        local = local_track(uri, added_at)
        if local is not None:
            return local
    title = text_of(track.get("name"))
    if not title and not uri:
        return "has no name or URI"
    album: dict[str, Any] = track["album"] if isinstance(track.get("album"), dict) else {}
    ids: dict[str, Any] = (
        track["external_ids"] if isinstance(track.get("external_ids"), dict) else {}
    )
    explicit = track.get("explicit")
    return TrackRecord(
        title=title,
        artists=_artists(track.get("artists")),
        album=text_of(album.get("name")),
        duration_ms=_int(track.get("duration_ms")),
        isrc=text_of(ids.get("isrc")),
        explicit=explicit if isinstance(explicit, bool) else None,
        album_artists=_artists(album.get("artists")),
        track_number=_int(track.get("track_number")),
        release_date=text_of(album.get("release_date")),
        source_id=uri,
        added_at=added_at,
    )


_API_ITEM_PREFIXES = ("tracks.item", "tracks.items.item", "items.item")


def read_spotify_api(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """Web API playlist JSON as saved by scripts and test fixtures."""
    collector = Collector("spotify-api-json", limits)
    capture = ObjectCapture()
    current: PlaylistRecord | None = None
    position = 0

    def root_playlist() -> PlaylistRecord:
        nonlocal current
        if current is None:
            current = collector.new_playlist(name_from_filename(filename))
        return current

    for prefix, event, value in json_events(source, limits, collector):
        if capture.active:
            item = capture.feed(event, value)
            if item is not PENDING:
                playlist = root_playlist()
                position += 1
                found = _api_item(item)
                if isinstance(found, TrackRecord):
                    collector.add_track(playlist, found)
                else:
                    collector.warn(f"Playlist {playlist.name!r}, item {position} {found}; skipped.")
            continue
        inner = prefix[len("playlists.item.") :] if prefix.startswith("playlists.item.") else None
        if prefix == "playlists.item" and event == "start_map":
            current = collector.new_playlist(f"Playlist {len(collector.playlists) + 1}")
            position = 0
        elif event == "start_map" and (inner or prefix) in _API_ITEM_PREFIXES:
            capture.start(event, value)
        elif (inner or prefix) == "name" and event == "string" and value.strip():
            root_playlist().name = value.strip()
        elif (inner or prefix) == "description" and event == "string":
            root_playlist().description = value.strip()
        elif (inner or prefix) == "uri" and event == "string":
            root_playlist().source_id = value.strip()
    if current is None:
        raise FormatError("This JSON holds no Spotify playlist or tracks.")
    return collector.result()
