"""Encoding detection: byte order marks, UTF-16 without one, UTF-8, cp1252 and Latin-1."""

# Real titles use curly apostrophes and dashes; they are the point of these tests.
# ruff: noqa: RUF001

from __future__ import annotations

import io
from typing import Any

import pytest

from transfer.formats import FormatError, Limits, decode_text, read_any
from transfer.formats.decoding import open_text, peek_text

TEXT = "Title,Artist\nDon’t Be So Hard On Yourself,Alex Lahey\nHoppípolla,Sigur Rós\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_unicode_encodings_decode_exactly(encoded: bytes, encoding: str) -> None:
    text, found = decode_text(encoded)
    assert (text, found) == (TEXT, encoding)


def test_cp1252_fallback_keeps_curly_quotes() -> None:
    text, found = decode_text(TEXT.encode("cp1252"))
    assert (text, found) == (TEXT, "cp1252")


def test_latin1_when_cp1252_has_no_such_byte() -> None:
    # 0x81 is undefined in cp1252; Latin-1 maps every byte.
    text, found = decode_text(b"Caf\xe9 \x81,Artist\n")
    assert found == "latin-1"
    assert text == "Café \x81,Artist\n"


def test_fallback_is_reported_as_a_warning() -> None:
    result = read_any(TEXT.encode("cp1252"), "x.csv")
    assert result.playlists[0].tracks[0].title == "Don’t Be So Hard On Yourself"
    assert any("Windows-1252" in problem.message for problem in result.problems)


def test_bom_without_valid_text_is_an_error() -> None:
    with pytest.raises(FormatError, match="not valid UTF-8 at byte"):
        decode_text(b"\xef\xbb\xbfok\xff\xfe\xfd")


def test_truncated_utf16_is_an_error() -> None:
    with pytest.raises(FormatError, match="not valid UTF-16"):
        decode_text(TEXT.encode("utf-16-le")[:-1])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest of a zip", "ZIP archive"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"ID3\x04\x00", "MP3"),
        (b"bplist00\x00\x01", "binary property list"),
        (b"abc\x00\x01\x02\x03\x00\x00\x00\xff" * 3, "binary data"),
    ],
)
def test_binary_files_are_named(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        decode_text(data)


def test_size_limit_is_checked_first() -> None:
    with pytest.raises(FormatError, match=r"11 bytes; the largest file accepted is 10 bytes"):
        decode_text(b"x" * 11, limits=Limits(max_bytes=10))


def test_streams_are_read_and_left_open() -> None:
    stream = io.BytesIO(TEXT.encode("utf-16"))
    with open_text(stream) as decoded:
        assert decoded.stream.read() == TEXT
    assert not stream.closed
    stream.seek(0)
    assert peek_text(stream, size=10)[1] == "utf-16"
    assert stream.tell() == 0


def test_oversized_stream_is_refused_without_reading_it_all() -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            view = memoryview(buffer)
            view[:] = b"a" * len(view)
            return len(view)

    stream = io.BufferedReader(Endless())
    with pytest.raises(FormatError, match="largest file accepted is 1,000 bytes"):
        read_any(stream, "x.txt", limits=Limits(max_bytes=1000))


def test_utf16_without_bom_in_another_script() -> None:
    text = "曲名,アーティスト\n夜に駆ける,YOASOBI\n群青,YOASOBI\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_text(text.encode(encoding)) == (text, encoding)
