"""iTunes / Apple Music ``Library.xml`` (File > Library > Export Library): an XML property list.

Its "Tracks" dict maps each Track ID to a dict of Name, Artist, Album Artist, Album, Total
Time (ms), Track Number, Year, Release Date, Explicit/Clean, Persistent ID, Location, Date
Added; its "Playlists" array holds dicts with Name and "Playlist Items" [{"Track ID": n}].

plistlib would build the whole library in memory and cannot say which line a problem is on,
so this reads the plist as a SAX stream (defusedxml, see xmlstream.py): each track dict
becomes a ``TrackRecord`` when it closes, and each playlist item is resolved as it is read.

The whole library comes first as a playlist named "Library" (songs only: podcasts, videos,
movies, TV shows and audiobooks are counted in a note and left out, here and in playlists).

Playlists left out, each with a reason:
- "Master" (the "Library" playlist): read from "Tracks" instead, as the "Library" above.
- "Distinguished Kind": built-in views (Music, Movies, TV Shows, Podcasts, Audiobooks,
  Purchased, Downloaded, Genius...), which the app manages itself.
- "Folder": a folder's items are the union of the playlists inside it, which come anyway.
Smart playlists made by the user are kept, as the tracks they held at export time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.xmlreader import AttributesImpl

from transfer.formats.collect import Collector
from transfer.formats.decoding import Source
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.xmlstream import LocatedHandler, parse_xml
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord

_SCALARS = {"string", "integer", "real", "date", "data", "true", "false", "key"}

# Each playlist's item list, whose entries are resolved as read rather than kept ("*" is any
# index). Tracks and Playlists themselves are handled the same way (see _streamed).
_PLAYLIST_ITEMS = ("Playlists", "*", "Playlist Items")


@dataclass(slots=True)
class _Frame:
    kind: str  # "dict" or "array"
    path: tuple[str, ...]
    line: int | None
    value: dict[str, Any] | list[Any] | None
    key: str | None = None
    count: int = 0


UNTITLED = "Untitled playlist"
LIBRARY = "Library"


@dataclass(slots=True)
class _Playlist:
    line: int | None
    record: PlaylistRecord | None = None
    skip: bool = False


def _matches(path: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    return len(path) == len(pattern) and all(
        p in ("*", k) for k, p in zip(path, pattern, strict=True)
    )


def _streamed(path: tuple[str, ...]) -> bool:
    """Containers whose children are handed over as they close rather than kept."""
    return path in (("Tracks",), ("Playlists",)) or _matches(path, _PLAYLIST_ITEMS)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def track_from_dict(entry: dict[str, Any], line: int | None) -> TrackRecord:
    artist, album_artist = _text(entry.get("Artist")), _text(entry.get("Album Artist"))
    release = _text(entry.get("Release Date"))
    year = _int(entry.get("Year"))
    explicit: bool | None = None
    if entry.get("Explicit") is True:
        explicit = True
    elif entry.get("Clean") is True:
        explicit = False
    return TrackRecord(
        title=_text(entry.get("Name")),
        artists=(artist,) if artist else (),
        album=_text(entry.get("Album")),
        duration_ms=_int(entry.get("Total Time")),
        explicit=explicit,
        album_artists=(album_artist,) if album_artist else (),
        track_number=_int(entry.get("Track Number")),
        # The full date when the library has one, else the year.
        release_date=release or (str(year) if year is not None else ""),
        source_id=_text(entry.get("Persistent ID")),
        added_at=_text(entry.get("Date Added")),
        line=line,
    )


class _Handler(LocatedHandler):
    def __init__(self, collector: Collector) -> None:
        super().__init__()
        self.collector = collector
        self.stack: list[_Frame] = []
        self.text: list[str] | None = None
        self.scalar_line: int | None = None
        self.root_seen = False
        self.tracks: dict[int, TrackRecord] = {}
        # Library order, music only; what else the library holds is counted by kind.
        self.songs: list[TrackRecord] = []
        self.not_music: dict[str, int] = {}
        self.not_music_ids: set[int] = set()
        self.playlist: _Playlist | None = None
        self.skipped: list[str] = []

    # -- SAX events -------------------------------------------------------------------------

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if not self.root_seen:
            if name != "plist":
                raise FormatError(
                    f"This XML is not an iTunes library: its root element is <{name}>.",
                    self.line(),
                )
            self.root_seen = True
            return
        if name in ("dict", "array"):
            path = self._child_path()
            self.stack.append(
                _Frame(
                    name,
                    path,
                    self.line(),
                    None if _streamed(path) else {} if name == "dict" else [],
                )
            )
            if len(path) == 2 and path[0] == "Playlists":
                self.playlist = _Playlist(self.line())
        elif name in _SCALARS:
            self.text = []
            self.scalar_line = self.line()

    def characters(self, content: str) -> None:
        if self.text is not None:
            self.text.append(content)

    def endElement(self, name: str) -> None:
        if name in ("dict", "array"):
            frame = self.stack.pop()
            self._complete(frame.value, frame.line)
        elif name == "key":
            if self.stack and self.stack[-1].kind == "dict":
                self.stack[-1].key = "".join(self.text or [])
            self.text = None
        elif name in _SCALARS:
            value = self._scalar(name, "".join(self.text or []))
            self.text = None
            if self.stack:
                self._complete(value, self.scalar_line)

    # -- building ---------------------------------------------------------------------------

    def _child_path(self) -> tuple[str, ...]:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if parent.kind == "dict":
            return (*parent.path, parent.key or "")
        return (*parent.path, str(parent.count))

    def _scalar(self, name: str, text: str) -> Any:
        if name == "integer":
            try:
                return int(text.strip())
            except ValueError:
                self.collector.warn(f"{text!r} is not an integer; left out.", self.scalar_line)
                return None
        if name == "real":
            try:
                return float(text.strip())
            except ValueError:
                return None
        if name in ("true", "false"):
            return name == "true"
        # string, date and data stay text; data (artwork, smart rules) is never used.
        return text

    def _complete(self, value: Any, line: int | None) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        parent.count += 1
        if parent.path == ("Tracks",):
            self._track(parent.key or "", value, line)
        elif parent.path == ("Playlists",):
            self._playlist_done(value)
        elif _matches(parent.path, _PLAYLIST_ITEMS):
            self._item(value, line)
        elif isinstance(parent.value, dict):
            parent.value[parent.key or ""] = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        if parent.kind == "dict":
            parent.key = None

    def _track(self, key: str, value: Any, line: int | None) -> None:
        if not isinstance(value, dict):
            return
        track_id = _int(value.get("Track ID"))
        if track_id is None:
            try:
                track_id = int(key)
            except ValueError:
                self.collector.warn(f"Track {key!r} has no numeric Track ID; skipped.", line)
                return
        track = track_from_dict(value, line)
        self.tracks[track_id] = track
        kind = not_music(value)
        if kind is None:
            self.songs.append(track)
        else:
            self.not_music[kind] = self.not_music.get(kind, 0) + 1
            self.not_music_ids.add(track_id)

    def _playlist_so_far(self) -> dict[str, Any]:
        """The keys read so far of the playlist whose items are being read."""
        frame = self.stack[-2] if len(self.stack) >= 2 else None
        return frame.value if frame is not None and isinstance(frame.value, dict) else {}

    def _item(self, value: Any, line: int | None) -> None:
        current = self.playlist
        if current is None or current.skip or not isinstance(value, dict):
            return
        if current.record is None:
            # iTunes writes Name, Master and Distinguished Kind before the items, so the
            # playlist can be judged now and its tracks counted against the limit at once.
            so_far = self._playlist_so_far()
            if _left_out(so_far):
                current.skip = True
                return
            current.record = self.collector.new_playlist(
                _text(so_far.get("Name")) or UNTITLED, line=current.line
            )
        track_id = _int(value.get("Track ID"))
        if track_id in self.not_music_ids:
            return
        track = self.tracks.get(track_id) if track_id is not None else None
        if track is None:
            self.collector.warn(
                f"The playlist refers to track {track_id}, which the library does not list; "
                "skipped.",
                line,
            )
            return
        self.collector.add_track(current.record, track)

    def _playlist_done(self, value: Any) -> None:
        current, self.playlist = self.playlist, None
        if current is None or not isinstance(value, dict):
            return
        name = _text(value.get("Name")) or UNTITLED
        if _left_out(value):
            self.skipped.append(name)
            if current.record is not None:
                # Only if a marker came after the items, which iTunes itself never writes.
                self.collector.remove_playlist(current.record)
            return
        record = current.record or self.collector.new_playlist(name, line=current.line)
        record.name = name
        record.description = _text(value.get("Description"))
        record.source_id = _text(value.get("Playlist Persistent ID"))


_NOT_MUSIC_FLAGS = (
    ("Podcast", "podcast episodes"),
    ("iTunes U", "iTunes U items"),
    ("Movie", "movies"),
    ("TV Show", "TV episodes"),
    ("Music Video", "music videos"),
    ("Has Video", "videos"),
)


def not_music(entry: dict[str, Any]) -> str | None:
    """What a library item is when it is not a song (a podcast, a video...), else None."""
    for flag, label in _NOT_MUSIC_FLAGS:
        if entry.get(flag) is True:
            return label
    kind = _text(entry.get("Kind")).lower()
    if "book" in kind:
        return "audiobooks"
    return None


def _left_out(playlist: dict[str, Any]) -> bool:
    """The library itself, a built-in view or a folder (see the module docstring)."""
    return (
        playlist.get("Master") is True
        or "Distinguished Kind" in playlist
        or playlist.get("Folder") is True
    )


def read_itunes(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("itunes-xml", limits)
    handler = _Handler(collector)
    parse_xml(source, handler, limits=limits, collector=collector, namespaces=False)
    # The whole library, songs only, first: beside the playlists, not instead of them.
    library = collector.new_playlist(LIBRARY)
    collector.playlists.insert(0, collector.playlists.pop())
    for track in handler.songs:
        collector.add_track(library, track)
    if handler.not_music:
        listed = ", ".join(f"{count:,} {label}" for label, count in handler.not_music.items())
        collector.warn(
            f"Left out {listed}: only songs are transferred (from the library and from playlists)."
        )
    if handler.skipped:
        names = ", ".join(repr(name) for name in handler.skipped[:10])
        more = f" and {len(handler.skipped) - 10} more" if len(handler.skipped) > 10 else ""
        collector.warn(
            f"Left out {len(handler.skipped)} built-in playlists and folders ({names}{more}); "
            "their tracks are the whole library or come with the playlists inside them."
        )
    return collector.result()
