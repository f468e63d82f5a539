"""Turning uploaded bytes into text: which encoding a file is in, and a stream that decodes it.

Exports come from many tools: Excel writes UTF-16 or cp1252, Windows tools add a UTF-8 byte
order mark, old M3U files are Latin-1. We detect, in this order:

1. a byte order mark (UTF-32, UTF-8, UTF-16);
2. UTF-16 without a mark, from the pattern of NUL bytes in ASCII-heavy text;
3. valid UTF-8;
4. Windows-1252 (cp1252), and Latin-1 for the five bytes cp1252 leaves undefined.

The whole input is checked once with an incremental decoder (no copy of the text is kept), so
readers can then decode it as a stream without a decoding error half-way through.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits

# What every reader accepts: the upload's bytes, or a binary file object (Django's UploadedFile).
Source = bytes | BinaryIO

_CHUNK = 1 << 20
_SNIFF = 4096

# Longest marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Files people upload by mistake; naming them beats "not a playlist".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive: extract it and upload the playlist file inside"),
    (b"\x1f\x8b", "a gzip archive: extract it and upload the playlist file inside"),
    (b"%PDF", "a PDF document, not a playlist"),
    (b"ID3", "an MP3 audio file, not a playlist"),
    (b"fLaC", "a FLAC audio file, not a playlist"),
    (b"OggS", "an Ogg audio file, not a playlist"),
    (b"bplist", "a binary property list: export the library as XML (File > Library > Export)"),
)

LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with byte order mark",
    "utf-16": "UTF-16 with byte order mark",
    "utf-16-le": "UTF-16 little-endian without byte order mark",
    "utf-16-be": "UTF-16 big-endian without byte order mark",
    "utf-32": "UTF-32 with byte order mark",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}

# Encodings that cannot be told apart from each other by content; text read with them may
# have wrong accented letters, so readers warn.
FALLBACK_ENCODINGS = frozenset({"cp1252", "latin-1"})


@dataclass(frozen=True, slots=True)
class DecodedText:
    stream: TextIO
    encoding: str


def fallback_warning(encoding: str) -> str:
    return (
        f"The file is not UTF-8 or UTF-16; it was read as {LABELS.get(encoding, encoding)}. "
        "Check that accented letters look right."
    )


def _binary(source: Source, limits: Limits) -> BinaryIO:
    """A seekable binary stream positioned at 0, after checking the size limit."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        _check_size(len(data), limits)
        return io.BytesIO(data)
    if source.seekable():
        start = source.tell()
        size = source.seek(0, io.SEEK_END) - start
        source.seek(start)
        _check_size(size, limits)
        return source
    # A pipe or socket: buffer it, but never more than the limit allows.
    data = source.read(limits.max_bytes + 1)
    _check_size(len(data), limits)
    return io.BytesIO(data)


def _check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise FormatError(
            f"The file is {size:,} bytes; the largest file accepted is {limits.max_bytes:,} bytes."
        )


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 puts a NUL beside every ASCII character, always on the same side of the pair.

    Even text in another script has ASCII commas, digits and line breaks, so a tenth of the
    characters is enough; NULs on both sides mean some other binary data.
    """
    sample = head[: len(head) - len(head) % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    enough, stray = max(1, pairs // 10), pairs // 100
    if odd_nuls >= enough and even_nuls <= stray:
        return "utf-16-le"
    if even_nuls >= enough and odd_nuls <= stray:
        return "utf-16-be"
    return None


def _decodes(stream: BinaryIO, encoding: str, start: int) -> int | None:
    """None when the whole stream decodes; else the byte offset of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = start
    stream.seek(start)
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset + max(exc.start, 0)
    finally:
        stream.seek(start)
    return None


def sniff_encoding(stream: BinaryIO) -> str:
    """Pick the encoding of a seekable binary stream (read to the end once, then rewound)."""
    start = stream.tell()
    head = stream.read(_SNIFF)
    stream.seek(start)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise FormatError(f"This is {what}.")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            bad = _decodes(stream, encoding, start)
            if bad is not None:
                raise FormatError(
                    f"The file starts with a {LABELS[encoding]} mark but is not valid "
                    f"{LABELS[encoding].split(' ')[0]} at byte {bad:,}; it may be truncated "
                    "or damaged."
                )
            return encoding
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        bad = _decodes(stream, utf16, start)
        if bad is not None:
            raise FormatError(
                f"The file looks like UTF-16 text but is not valid UTF-16 at byte {bad:,}; it "
                "may be truncated or damaged."
            )
        return utf16
    if b"\x00" in head:
        raise FormatError("The file contains binary data (NUL bytes); it is not a playlist.")
    if _decodes(stream, "utf-8", start) is None:
        return "utf-8"
    if _decodes(stream, "cp1252", start) is None:
        return "cp1252"
    return "latin-1"


def skip_repeated_marks(stream: BinaryIO, encoding: str) -> None:
    """Step over byte order marks after the first: some tools add one on every re-save.

    The codec consumes exactly one mark itself, so the stream is left on the last one.
    """
    marks = {"utf-8-sig": (codecs.BOM_UTF8,), "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)}
    start = stream.tell()
    head = stream.read(_SNIFF)
    stream.seek(start)
    for mark in marks.get(encoding, ()):
        count = 0
        while head.startswith(mark * (count + 1)):
            count += 1
        if count > 1:
            stream.seek(start + len(mark) * (count - 1))
            return


@contextmanager
def open_text(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, newline: str | None = None
) -> Iterator[DecodedText]:
    """Decode ``source`` as a text stream; the caller's own file object is left open."""
    binary = _binary(source, limits)
    encoding = sniff_encoding(binary)
    skip_repeated_marks(binary, encoding)
    # A BOM is consumed by these codecs themselves, so the text never starts with U+FEFF.
    text = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline=newline)
    try:
        yield DecodedText(text, encoding)
    finally:
        # Detach so closing (or collecting) the wrapper does not close the caller's file.
        text.detach()


def decode_text(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> tuple[str, str]:
    """The whole text of ``data`` and the encoding used (see the module docstring)."""
    with open_text(data, limits=limits) as decoded:
        return decoded.stream.read(), decoded.encoding


def peek_text(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, size: int = 64 * 1024
) -> tuple[str, str]:
    """The first ``size`` characters (about), for format detection; the source is rewound."""
    binary = _binary(source, limits)
    start = binary.tell()
    try:
        encoding = sniff_encoding(binary)
        skip_repeated_marks(binary, encoding)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        # final=False holds back a character cut in half at the end of the sample.
        return decoder.decode(binary.read(size)), encoding
    finally:
        binary.seek(start)


def limited_lines(stream: TextIO, limits: Limits) -> Iterator[str]:
    """Physical lines, refusing one longer than the limit before it is read whole."""
    number = 0
    while True:
        # Two spare characters so a full-length line still has room for its "\r\n".
        line = stream.readline(limits.max_line_length + 2)
        if not line:
            return
        number += 1
        if len(line.rstrip("\r\n")) > limits.max_line_length:
            raise FormatError(
                f"The line is longer than {limits.max_line_length:,} characters; this is not a "
                "playlist file, or the limit is too low for it.",
                number,
            )
        yield line


class PrefixedReader:
    """A text stream whose first part was read (to check it) and is handed back first."""

    def __init__(self, first: str, stream: TextIO) -> None:
        self._first: str | None = first
        self._stream = stream

    def read(self, size: int = -1) -> str:
        if size == 0:
            return ""  # ijson reads nothing once to learn whether it gets bytes or text
        if self._first is not None:
            first, self._first = self._first, None
            if first:
                return first
        return self._stream.read(size)

    def close(self) -> None:
        """The stream belongs to ``open_text``, which detaches it; nothing to close here."""

    def peek(self) -> str:
        return self._first or ""

    def skip_to(self, marker_at: int | None) -> None:
        """Drop text some tools put before the markup; its line breaks stay, so lines count true.

        The XML declaration must start the document, so when line breaks are kept it goes too
        (the text is already decoded; its encoding attribute means nothing here).
        """
        if not marker_at or self._first is None:
            return
        junk, rest = self._first[:marker_at], self._first[marker_at:]
        breaks = junk.count("\n")
        if breaks and rest.startswith("<?xml"):
            end = rest.find("?>")
            rest = rest[end + 2 :] if end >= 0 else rest
        self._first = "\n" * breaks + rest


def read_non_empty(stream: TextIO) -> PrefixedReader:
    """The stream, after refusing one that holds nothing but whitespace."""
    first = stream.read(64 * 1024)
    if not first.strip():
        raise FormatError("The file is empty.")
    return PrefixedReader(first, stream)
