"""Streaming JSON for the JSON readers: ijson events from a decoded file, one item built at a
time, and parse errors that name the line.

ijson reads the file incrementally, so a reader can stop at the track limit of a 50 MB export
without first building every object in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from transfer.formats.collect import Collector
from transfer.formats.decoding import (
    FALLBACK_ENCODINGS,
    PrefixedReader,
    Source,
    decode_text,
    fallback_warning,
    open_text,
    read_non_empty,
)
from transfer.formats.depth import JsonDepthGuard, check_json_depth
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits

Event = tuple[str, str, Any]


class _Utf8Reader:
    """ijson wants bytes; our decoded text goes back to it as UTF-8 whatever the file used.

    Each chunk passes the depth guard first, so a deeply nested file is refused before ijson's
    memory can grow with its depth.
    """

    def __init__(self, reader: PrefixedReader, limits: Limits) -> None:
        self._reader = reader
        self._guard = JsonDepthGuard(limits.max_depth)

    def read(self, size: int = -1) -> bytes:
        text = self._reader.read(size)
        self._guard.feed(text)
        return text.encode("utf-8", "surrogatepass")


def _error_for(source: Source, start: int | None, limits: Limits) -> FormatError:
    """Re-parse with the json module, whose errors carry a line number; only on failure."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        if start is None:
            return FormatError("The file is not valid JSON.")
        source.seek(start)
        data = source.read(limits.max_bytes + 1)
    text, _encoding = decode_text(data, limits=limits)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            return FormatError(
                "The JSON ends before it is complete; the file may be truncated.", exc.lineno
            )
        return FormatError(f"The file is not valid JSON: {exc.msg}.", exc.lineno)
    return FormatError("The file is not valid JSON.")


def json_events(source: Source, limits: Limits, collector: Collector) -> Iterator[Event]:
    """(prefix, event, value) triples as ``ijson.parse`` gives them, for the whole file."""
    start = _tell(source)
    with open_text(source, limits=limits) as decoded:
        if decoded.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(decoded.encoding))
        reader = _Utf8Reader(read_non_empty(decoded.stream), limits)
        try:
            yield from ijson.parse(reader, use_float=True)
        except ijson.JSONError as exc:
            raise _error_for(source, start, limits) from exc


def _tell(source: Source) -> int | None:
    if isinstance(source, bytes | bytearray | memoryview):
        return 0
    stream: BinaryIO = source
    return stream.tell() if stream.seekable() else None


class ObjectCapture:
    """Builds one JSON value from the events between its start and its end."""

    def __init__(self) -> None:
        self._builder: Any = None
        self._depth = 0

    @property
    def active(self) -> bool:
        return self._builder is not None

    def start(self, event: str, value: Any) -> None:
        self._builder = ijson.ObjectBuilder()
        self._depth = 0
        self.feed(event, value)

    def feed(self, event: str, value: Any) -> Any:
        """The finished value once its closing event arrives, else the ``PENDING`` marker."""
        self._builder.event(event, value)
        if event in ("start_map", "start_array"):
            self._depth += 1
        elif event in ("end_map", "end_array"):
            self._depth -= 1
        if self._depth > 0:
            return PENDING
        finished = self._builder.value
        self._builder = None
        return finished


PENDING = object()


def key_paths(
    text: str, max_events: int = 5_000, max_depth: int = DEFAULT_LIMITS.max_depth
) -> set[str]:
    """Dotted key paths ("playlists.item.name") seen in the start of a JSON document.

    For format detection on a sample: the sample usually ends mid-document, which is fine.
    """
    check_json_depth(text, max_depth)
    found: set[str] = set()
    events = ijson.parse(text.encode("utf-8", "surrogatepass"))
    try:
        for count, (prefix, event, value) in enumerate(events):
            if count >= max_events:
                break
            if event == "map_key":
                found.add(f"{prefix}.{value}" if prefix else str(value))
    except ijson.JSONError:
        pass
    return found


def text_of(value: Any) -> str:
    """A JSON string field with surrounding spaces trimmed; numbers as written; else ""."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""
