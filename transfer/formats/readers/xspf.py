"""XSPF ("spiff", https://xspf.org/spec) playlists, read with defusedxml's streaming parser.

Per track: ``title``, ``creator`` (the artist, one string), ``album``, ``trackNum``,
``duration`` (milliseconds), ``identifier`` and ``location``. XSPF has no ISRC element; an
identifier "urn:isrc:CODE" (or "isrc:CODE") carries one, which is how our writer stores it.
The first other identifier is the track's ``source_id``, else the first location. A track
with only a location is named from its file name, as in M3U ("Artist - Title.mp3").
Elements inside ``<extension>`` and ``<meta>`` are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.xmlreader import AttributesNSImpl

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.m3u import location_name, names_from_text
from transfer.formats.readers.xmlstream import LocatedHandler, parse_xml
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord
from transfer.formats.values import parse_track_number

XSPF_NAMESPACE = "http://xspf.org/ns/0/"
ISRC_PREFIXES = ("urn:isrc:", "isrc:")


def isrc_of(identifier: str) -> str | None:
    lowered = identifier.lower()
    for prefix in ISRC_PREFIXES:
        if lowered.startswith(prefix):
            return identifier[len(prefix) :].strip()
    return None


@dataclass(slots=True)
class TrackFields:
    """One XSPF or JSPF track's fields as text, before conversion."""

    line: int | None = None
    title: str = ""
    creator: str = ""
    album: str = ""
    track_num: str = ""
    duration: str = ""
    identifiers: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)


def track_from_fields(fields: TrackFields, collector: Collector, where: str) -> TrackRecord | None:
    """The track these fields describe; ``where`` names it in warnings ("item 3")."""
    isrc = ""
    source_id = ""
    for identifier in fields.identifiers:
        code = isrc_of(identifier)
        if code is not None:
            isrc = isrc or code
        elif not source_id:
            source_id = identifier
    if not source_id and fields.locations:
        source_id = fields.locations[0]
    if not (fields.title or isrc or source_id):
        collector.warn(f"{where} has no title, identifier or location; skipped.", fields.line)
        return None
    duration_ms: int | None = None
    if fields.duration:
        # The spec says a non-negative integer of milliseconds; some tools write 228470.0.
        try:
            duration_ms = round(float(fields.duration))
            if duration_ms < 0:
                raise ValueError(fields.duration)
        except ValueError:
            collector.warn(
                f"{where}: duration {fields.duration!r} is not milliseconds; left out.",
                fields.line,
            )
            duration_ms = None
    track_number: int | None = None
    try:
        track_number = parse_track_number(fields.track_num)
    except ValueError as exc:
        collector.warn(f"{where}: the {exc}; left out.", fields.line)
    title = fields.title
    artists: tuple[str, ...] = (fields.creator,) if fields.creator else ()
    if not title and fields.locations:
        # Only a file: its name is the title, "Artist - Title.mp3" as in M3U.
        stem = location_name(fields.locations[0])
        named, named_artists, named_number = names_from_text(stem) if stem else ("", (), None)
        title, artists = named, artists or named_artists
        track_number = track_number if track_number is not None else named_number
    return TrackRecord(
        title=title,
        artists=artists,
        album=fields.album,
        duration_ms=duration_ms,
        isrc=isrc,
        track_number=track_number,
        source_id=source_id,
        line=fields.line,
    )


_TRACK_TEXT = {"title", "creator", "album", "trackNum", "duration", "identifier", "location"}
_PLAYLIST_TEXT = {"title", "annotation", "identifier", "location"}


class _Handler(LocatedHandler):
    def __init__(self, collector: Collector, default_name: str) -> None:
        super().__init__()
        self.collector = collector
        self.default_name = default_name
        self.playlist: PlaylistRecord | None = None
        self.path: list[str] = []
        self.text: list[str] | None = None
        self.track: TrackFields | None = None
        self.tracks_seen = 0

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        namespace, local = name
        if not self.path:
            if local != "playlist" or namespace not in (None, "", XSPF_NAMESPACE):
                raise FormatError(
                    f"This XML is not an XSPF playlist: its root element is <{local}>.",
                    self.line(),
                )
            self.playlist = self.collector.new_playlist(self.default_name, line=self.line())
        if namespace not in (None, "", XSPF_NAMESPACE):
            local = "{foreign}"
        self.path.append(local)
        if self.path == ["playlist", "trackList", "track"]:
            self.tracks_seen += 1
            self.track = TrackFields(line=self.line())
        elif self._field() is not None:
            self.text = []

    def _field(self) -> str | None:
        """The field whose text the current element holds, if we read it."""
        path = self.path
        if (
            len(path) == 4
            and path[:3] == ["playlist", "trackList", "track"]
            and path[3] in _TRACK_TEXT
        ):
            return path[3]
        if len(path) == 2 and path[0] == "playlist" and path[1] in _PLAYLIST_TEXT:
            return path[1]
        return None

    def characters(self, content: str) -> None:
        if self.text is not None:
            self.text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        field_name = self._field()
        if field_name is not None and self.text is not None:
            self._store(field_name, "".join(self.text).strip())
            self.text = None
        if self.path == ["playlist", "trackList", "track"] and self.track is not None:
            assert self.playlist is not None
            found = track_from_fields(self.track, self.collector, f"Track {self.tracks_seen}")
            if found is not None:
                self.collector.add_track(self.playlist, found)
            self.track = None
        self.path.pop()

    def _store(self, name: str, value: str) -> None:
        if self.track is not None and len(self.path) == 4:
            track = self.track
            # Identifier and location repeat; every other element counts once, the first.
            if name == "identifier" and value:
                track.identifiers.append(value)
            elif name == "location" and value:
                track.locations.append(value)
            elif name == "trackNum":
                track.track_num = track.track_num or value
            elif name not in ("identifier", "location") and not getattr(track, name):
                setattr(track, name, value)
            return
        playlist = self.playlist
        if playlist is None or not value:
            return
        if name == "title":
            playlist.name = value
        elif name == "annotation":
            playlist.description = value
        elif not playlist.source_id:
            playlist.source_id = value


def read_xspf(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("xspf", limits)
    handler = _Handler(collector, name_from_filename(filename))
    parse_xml(source, handler, limits=limits, collector=collector, namespaces=True)
    return collector.result()


def identifiers(value: object) -> Sequence[str]:
    """JSPF allows a string or a list of strings where XSPF repeats an element."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []
