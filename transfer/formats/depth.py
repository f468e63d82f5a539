"""Nesting depth limits for untrusted JSON and XML, checked before the parser sees the data.

ijson keeps the "prefix" of every open level ("item.item.item..."), so its memory grows with
the square of the nesting depth: a 200 KB upload of nothing but ``[`` reached 7 GB. No playlist
format nests deeper than a handful of levels, so ``JsonDepthGuard`` scans each chunk of text
for brackets (outside strings, across chunk boundaries) and stops at ``Limits.max_depth``
before the chunk is handed to ijson; its cost is one regex pass and constant memory. XML is
read with a streaming SAX parser whose own memory is linear in depth, but the readers build a
container per level, so ``DepthLimitedHandler`` counts elements the same way.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

from transfer.formats.errors import FormatError

_OUTSIDE_STRING = re.compile(r'[\[\]{}"]')
_INSIDE_STRING = re.compile(r'["\\]')


def too_deep(kind: str, max_depth: int, line: int | None = None) -> FormatError:
    return FormatError(
        f"The {kind} nests more than {max_depth} levels deep; no playlist file does, so it was "
        "refused.",
        line,
    )


class JsonDepthGuard:
    """Tracks the bracket depth of JSON text fed to it chunk by chunk."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.depth = 0
        self.line = 1
        self._in_string = False
        self._escaped = False

    def feed(self, text: str) -> None:
        """Raise FormatError as soon as the text opens more than ``max_depth`` levels."""
        pos, end = 0, len(text)
        if self._escaped and end:
            pos, self._escaped = 1, False
        while pos < end:
            if self._in_string:
                match = _INSIDE_STRING.search(text, pos)
                if match is None:
                    break
                pos = match.end()
                if match.group() == "\\":
                    if pos >= end:
                        self._escaped = True
                        break
                    pos += 1
                else:
                    self._in_string = False
                continue
            match = _OUTSIDE_STRING.search(text, pos)
            if match is None:
                break
            pos = match.end()
            char = match.group()
            if char == '"':
                self._in_string = True
            elif char in "[{":
                self.depth += 1
                if self.depth > self.max_depth:
                    line = self.line + text.count("\n", 0, pos)
                    raise too_deep("JSON", self.max_depth, line)
            else:
                self.depth -= 1
        self.line += text.count("\n")


def check_json_depth(text: str, max_depth: int) -> None:
    JsonDepthGuard(max_depth).feed(text)


class DepthLimitedHandler(ContentHandler):
    """Passes every SAX event on to ``inner``, refusing elements deeper than ``max_depth``."""

    def __init__(self, inner: Any, max_depth: int) -> None:
        super().__init__()
        self._inner = inner
        self._max_depth = max_depth
        self._depth = 0

    def _enter(self) -> None:
        self._depth += 1
        if self._depth > self._max_depth:
            line = self._inner.line() if hasattr(self._inner, "line") else None
            raise too_deep("XML", self._max_depth, line)

    def setDocumentLocator(self, locator: Locator) -> None:
        self._inner.setDocumentLocator(locator)

    def startDocument(self) -> None:
        self._inner.startDocument()

    def endDocument(self) -> None:
        self._inner.endDocument()

    def startPrefixMapping(self, prefix: str | None, uri: str) -> None:
        self._inner.startPrefixMapping(prefix, uri)

    def endPrefixMapping(self, prefix: str | None) -> None:
        self._inner.endPrefixMapping(prefix)

    def startElement(self, name: str, attrs: Any) -> None:
        self._enter()
        self._inner.startElement(name, attrs)

    def endElement(self, name: str) -> None:
        self._depth -= 1
        self._inner.endElement(name)

    def startElementNS(self, name: Any, qname: Any, attrs: Any) -> None:
        self._enter()
        self._inner.startElementNS(name, qname, attrs)

    def endElementNS(self, name: Any, qname: Any) -> None:
        self._depth -= 1
        self._inner.endElementNS(name, qname)

    def characters(self, content: str) -> None:
        self._inner.characters(content)

    def ignorableWhitespace(self, whitespace: str) -> None:
        self._inner.ignorableWhitespace(whitespace)

    def processingInstruction(self, target: str, data: str) -> None:
        self._inner.processingInstruction(target, data)

    def skippedEntity(self, name: str) -> None:
        self._inner.skippedEntity(name)
