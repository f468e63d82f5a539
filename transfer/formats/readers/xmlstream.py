"""Safe, streaming XML for the XSPF and iTunes readers: defusedxml's SAX parser over our own
decoded text, with every refusal turned into a ``FormatError`` that names the line.

Entity declarations are refused outright (no playlist format needs them; they are how
"billion laughs" and external-entity (XXE) attacks work). An external DTD reference, such as
the one on top of every iTunes ``Library.xml``, is allowed but never fetched: fetching external
entities stays switched off, so the parser makes no network or file access.
"""

from __future__ import annotations

import re
import xml.sax
from xml.sax.handler import ContentHandler, feature_external_ges, feature_namespaces
from xml.sax.xmlreader import InputSource, Locator

from defusedxml.common import DefusedXmlException, EntitiesForbidden
from defusedxml.expatreader import DefusedExpatParser

from transfer.formats.collect import Collector
from transfer.formats.decoding import (
    FALLBACK_ENCODINGS,
    Source,
    fallback_warning,
    open_text,
    read_non_empty,
)
from transfer.formats.depth import DepthLimitedHandler
from transfer.formats.errors import FormatError
from transfer.formats.limits import Limits

# The markup must begin a line, or follow a few stray characters on the first line.
_MARKUP = re.compile(r"(?:^|\A[^\n<]{1,16})(<\?xml|<\?wpl|<plist|<playlist|<smil)", re.MULTILINE)


def markup_start(text: str) -> int | None:
    """Where the XML begins when something else comes first (a stray line, a byte)."""
    if text.lstrip().startswith("<"):
        return None
    found = _MARKUP.search(text[:4096])
    return found.start(1) if found else None


class LocatedHandler(ContentHandler):
    """A content handler that knows the line the parser is on."""

    def __init__(self) -> None:
        super().__init__()
        self._locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self._locator = locator

    def line(self) -> int | None:
        if self._locator is None:
            return None
        number = self._locator.getLineNumber()
        return number if isinstance(number, int) and number > 0 else None


def parse_xml(
    source: Source,
    handler: LocatedHandler,
    *,
    limits: Limits,
    collector: Collector,
    namespaces: bool,
) -> None:
    parser = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setFeature(feature_namespaces, namespaces)
    # Off by default in Python too; said here because the safety depends on it.
    parser.setFeature(feature_external_ges, False)
    parser.setContentHandler(DepthLimitedHandler(handler, limits.max_depth))
    with open_text(source, limits=limits) as decoded:
        if decoded.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(decoded.encoding))
        reader = read_non_empty(decoded.stream)
        reader.skip_to(markup_start(reader.peek()))
        input_source = InputSource()
        # Text, not bytes: the encoding was already decided, whatever the XML declaration says.
        input_source.setCharacterStream(reader)
        try:
            parser.parse(input_source)
        except EntitiesForbidden as exc:
            raise FormatError(
                f"The XML declares an entity ({exc.name!r}). Playlist files never need entity "
                "declarations and they can be used to attack the server (billion laughs, "
                "external entity reads), so the file was refused.",
                handler.line(),
            ) from exc
        except DefusedXmlException as exc:
            raise FormatError(
                f"The XML refers to something outside the file ({exc}); it was refused.",
                handler.line(),
            ) from exc
        except xml.sax.SAXParseException as exc:
            message = exc.getMessage()
            if message in ("no element found", "unclosed token"):
                raise FormatError(
                    "The XML ends before it is complete; the file may be truncated.",
                    exc.getLineNumber(),
                ) from exc
            raise FormatError(f"The XML is malformed: {message}.", exc.getLineNumber()) from exc
