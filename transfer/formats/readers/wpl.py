"""Windows Media Player playlists (.wpl, also Zune's .zpl): SMIL XML.

<?wpl version="1.0"?><smil><head><title>Name</title></head><body><seq>
<media src="path" .../></seq></body></smil>. WMP writes only file locations, so titles and
artists come from the file names, as in M3U.
"""

from __future__ import annotations

from xml.sax.xmlreader import AttributesImpl

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.m3u import location_name, names_from_text, strip_track_numbers
from transfer.formats.readers.xmlstream import LocatedHandler, parse_xml
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord


class _Handler(LocatedHandler):
    def __init__(self, collector: Collector, default_name: str) -> None:
        super().__init__()
        self.collector = collector
        self.default_name = default_name
        self.path: list[str] = []
        self.playlist: PlaylistRecord | None = None
        self.title: list[str] | None = None

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if not self.path:
            if name.lower() != "smil":
                raise FormatError(
                    f"This XML is not a Windows Media Player playlist: its root is <{name}>.",
                    self.line(),
                )
            self.playlist = self.collector.new_playlist(self.default_name, line=self.line())
        self.path.append(name.lower())
        if self.path == ["smil", "head", "title"]:
            self.title = []
        elif self.path[-1] == "media" and "body" in self.path:
            assert self.playlist is not None
            location = (attrs.get("src") or "").strip()
            if not location:
                self.collector.warn("A <media> element has no src; skipped.", self.line())
                return
            stem = location_name(location)
            title, artists, number = names_from_text(stem) if stem else ("", (), None)
            self.collector.add_track(
                self.playlist,
                TrackRecord(
                    title=title,
                    artists=artists,
                    track_number=number,
                    source_id=location,
                    line=self.line(),
                ),
            )

    def characters(self, content: str) -> None:
        if self.title is not None:
            self.title.append(content)

    def endElement(self, name: str) -> None:
        if self.title is not None and self.path == ["smil", "head", "title"]:
            text = "".join(self.title).strip()
            if text and self.playlist is not None:
                self.playlist.name = text
            self.title = None
        self.path.pop()


def read_wpl(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("wpl", limits)
    handler = _Handler(collector, name_from_filename(filename))
    parse_xml(source, handler, limits=limits, collector=collector, namespaces=False)
    for playlist in collector.playlists:
        strip_track_numbers(playlist)
    return collector.result()
