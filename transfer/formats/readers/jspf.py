"""JSPF, the JSON form of XSPF (https://xspf.org/jspf), as ListenBrainz exports it.

{"playlist": {"title", "creator", "annotation", "identifier", "track": [{"title", "creator",
"album", "trackNum", "duration", "identifier": [...], "location": [...]}]}}. The fields mean
what they mean in XSPF (see xspf.py), including "urn:isrc:" identifiers.
"""

from __future__ import annotations

from typing import Any

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.jsonstream import PENDING, ObjectCapture, json_events, text_of
from transfer.formats.readers.xspf import TrackFields, identifiers, track_from_fields
from transfer.formats.records import ParseResult, PlaylistRecord


def _fields(item: dict[str, Any]) -> TrackFields:
    return TrackFields(
        title=text_of(item.get("title")),
        creator=text_of(item.get("creator")),
        album=text_of(item.get("album")),
        track_num=text_of(item.get("trackNum")),
        duration=text_of(item.get("duration")),
        identifiers=list(identifiers(item.get("identifier"))),
        locations=list(identifiers(item.get("location"))),
    )


def read_jspf(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("jspf", limits)
    capture = ObjectCapture()
    playlist: PlaylistRecord | None = None
    position = 0
    for prefix, event, value in json_events(source, limits, collector):
        if capture.active:
            item = capture.feed(event, value)
            if item is PENDING or playlist is None:
                continue
            position += 1
            where = f"Track {position}"
            if not isinstance(item, dict):
                collector.warn(f"{where} is not an object; skipped.")
                continue
            track = track_from_fields(_fields(item), collector, where)
            if track is not None:
                collector.add_track(playlist, track)
            continue
        if prefix == "playlist" and event == "start_map":
            playlist = collector.new_playlist(name_from_filename(filename))
        elif playlist is None:
            continue
        elif prefix == "playlist.track.item" and event == "start_map":
            capture.start(event, value)
        elif prefix == "playlist.title" and text_of(value):
            playlist.name = text_of(value)
        elif prefix == "playlist.annotation" and text_of(value):
            playlist.description = text_of(value)
        elif prefix == "playlist.identifier" and event == "string" and text_of(value):
            playlist.source_id = playlist.source_id or text_of(value)
    if playlist is None:
        raise FormatError('This JSON has no "playlist" object; it is not JSPF.')
    return collector.result()
