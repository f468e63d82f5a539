"""Writers, and the round trip: export then import gives the same tracks in the same order,
for the fields each format carries (FORMATS[...].fields; README.md lists what each drops)."""

# Real titles use curly apostrophes and dashes; they are the point of these tests.
# ruff: noqa: RUF001

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.formats.helpers import PROPERTY, data
from transfer.formats import (
    FORMATS,
    WRITERS,
    PlaylistRecord,
    TrackRecord,
    detect_format,
    filename_for,
    read_any,
    write,
    write_zip,
)
from transfer.formats.values import has_artist_title_separator

# Any text a person could type, minus what no format can hold: control characters, line and
# paragraph separators, unassigned code points and lone surrogates. A byte order mark is left
# out because a text file may legitimately start with one.
_CHARS = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cn"), exclude_characters="\ufeff"
)
# Real strings that trip parsers: commas, quotes, separators, escapes, XML and M3U syntax.
_TRICKY = st.sampled_from(
    [
        "Tyler, The Creator",
        'THE "DEEP"',
        "Orgasm Addict - 2001 Remastered Version",
        "AC\\DC",
        "a;b",
        "<&>",
        "#EXTINF:1,x",
        "Don’t",
        "Sigur Rós – Hoppípolla",
        "=1+2",
        "  padded  ",
    ]
)
_TEXT = st.one_of(st.text(_CHARS, max_size=25), _TRICKY).map(str.strip)
_NON_EMPTY = _TEXT.filter(bool)
_IDS = st.one_of(
    st.just(""),
    st.from_regex(r"spotify:track:[A-Za-z0-9]{22}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_-]{11}", fullmatch=True),
    st.from_regex(r"file:///music/[a-z0-9%._/-]{1,30}\.mp3", fullmatch=True),
)
_ISRC = st.one_of(st.just(""), st.from_regex(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}", fullmatch=True))


def _tracks(*, line_safe: bool = False) -> st.SearchStrategy[TrackRecord]:
    artists = st.lists(_NON_EMPTY, max_size=3).map(tuple)
    if line_safe:
        # M3U and text put "Artist - Title" on one line: the artist text must not itself hold
        # a separator, nor start like a list number ("1. "), and there must be an artist.
        artists = (
            st.lists(_NON_EMPTY, min_size=1, max_size=3)
            .map(tuple)
            .filter(lambda names: not has_artist_title_separator(f" {', '.join(names)} "))
            .filter(lambda names: not re.match(r"\d{1,4}[.)]\s", names[0]))
        )
    return st.builds(
        TrackRecord,
        title=_NON_EMPTY,
        artists=artists,
        album=_TEXT,
        duration_ms=st.one_of(st.none(), st.integers(0, 10**8)),
        isrc=_ISRC,
        explicit=st.one_of(st.none(), st.booleans()),
        album_artists=st.lists(_NON_EMPTY, max_size=2).map(tuple),
        track_number=st.one_of(st.none(), st.integers(0, 999)),
        release_date=_TEXT,
        source_id=_IDS,
        added_at=_TEXT,
    )


def _playlist(tracks: st.SearchStrategy[TrackRecord], min_tracks: int = 0) -> Any:
    return st.builds(
        PlaylistRecord,
        name=_NON_EMPTY,
        tracks=st.lists(tracks, min_size=min_tracks, max_size=6),
        description=_TEXT,
        source_id=_IDS,
    )


def _seconds(ms: int | None) -> int | None:
    """What M3U keeps of a duration: whole seconds, with 0 meaning unknown."""
    if not ms or round(ms / 1000) <= 0:
        return None
    return round(ms / 1000) * 1000


def _project(format_id: str, track: TrackRecord) -> tuple[Any, ...]:
    """The fields ``format_id`` carries, in the form it carries them."""
    fields = FORMATS[format_id].fields
    values: list[Any] = []
    for name in fields:
        value = getattr(track, name)
        if name == "artists" and format_id in ("m3u", "xspf", "jspf", "text"):
            value = track.artist_text  # one artist string
        elif name == "album_artists" and format_id == "m3u":
            value = ", ".join(track.album_artists)
        elif name == "duration_ms" and format_id == "m3u":
            value = _seconds(track.duration_ms)
        values.append(value)
    return tuple(values)


def _check_round_trip(format_id: str, playlists: list[PlaylistRecord]) -> None:
    written = write(format_id, playlists)
    filename = filename_for(format_id, "Exported")
    assert detect_format(written, filename) == format_id
    result = read_any(written, filename)
    assert result.format == format_id
    assert [[_project(format_id, t) for t in p.tracks] for p in result.playlists] == [
        [_project(format_id, t) for t in p.tracks] for p in playlists
    ]


@given(
    st.lists(_playlist(_tracks(), min_tracks=1), min_size=1, max_size=3, unique_by=lambda p: p.name)
)
@PROPERTY
def test_csv_round_trip(playlists: list[PlaylistRecord]) -> None:
    _check_round_trip("csv", playlists)
    result = read_any(write("csv", playlists), "x.csv")
    assert [p.name for p in result.playlists] == [p.name for p in playlists]


@given(_playlist(_tracks(), min_tracks=1))
@PROPERTY
def test_exportify_round_trip(playlist: PlaylistRecord) -> None:
    _check_round_trip("exportify-csv", [playlist])


@given(_playlist(_tracks(line_safe=True)))
@PROPERTY
def test_m3u_round_trip(playlist: PlaylistRecord) -> None:
    _check_round_trip("m3u", [playlist])
    assert read_any(write("m3u", playlist), "x.m3u8").playlists[0].name == playlist.name


@given(_playlist(_tracks(), min_tracks=1))
@PROPERTY
def test_xspf_round_trip(playlist: PlaylistRecord) -> None:
    _check_round_trip("xspf", [playlist])
    [back] = read_any(write("xspf", playlist), "x.xspf").playlists
    assert (back.name, back.description, back.source_id) == (
        playlist.name,
        playlist.description,
        playlist.source_id,
    )


@given(_playlist(_tracks()))
@PROPERTY
def test_jspf_round_trip(playlist: PlaylistRecord) -> None:
    _check_round_trip("jspf", [playlist])
    [back] = read_any(write("jspf", playlist), "x.jspf").playlists
    assert (back.name, back.description, back.source_id) == (
        playlist.name,
        playlist.description,
        playlist.source_id,
    )


@given(
    st.lists(_playlist(_tracks(line_safe=True)), min_size=1, max_size=3, unique_by=lambda p: p.name)
)
@PROPERTY
def test_text_round_trip(playlists: list[PlaylistRecord]) -> None:
    _check_round_trip("text", playlists)
    result = read_any(write("text", playlists), "x.txt")
    assert [p.name for p in result.playlists] == [p.name for p in playlists]


@pytest.mark.parametrize(
    "name", ["exportify.csv", "Playlist1.json", "Library.xml", "playlist.m3u8"]
)
@pytest.mark.parametrize("format_id", sorted(WRITERS))
def test_real_samples_survive_every_writer(name: str, format_id: str) -> None:
    source = read_any(data(name), name)
    playlist = next(p for p in source.playlists if p.tracks)
    back = read_any(write(format_id, playlist), filename_for(format_id, playlist.name))
    assert [t.title for t in back.playlists[0].tracks] == [t.title for t in playlist.tracks]


def test_m3u_output() -> None:
    playlist = PlaylistRecord(
        name="Night\nDrive",
        tracks=[
            TrackRecord(
                title="Give Me a Try",
                artists=("The Wombats",),
                album="Glitterbug (Deluxe Edition)",
                duration_ms=228470,
                source_id="/music/a.mp3",
            ),
            TrackRecord(title="Comfort Eagle", artists=("CAKE",)),
        ],
    )
    assert write("m3u", playlist).decode() == (
        "#EXTM3U\n#PLAYLIST:Night Drive\n"
        "#EXTINF:228,The Wombats - Give Me a Try\n#EXTALB:Glitterbug (Deluxe Edition)\n"
        "/music/a.mp3\n"
        "#EXTINF:-1,CAKE - Comfort Eagle\n"
    )


def test_csv_output_opens_in_excel_as_utf8() -> None:
    written = write("csv", PlaylistRecord(name="x", tracks=[TrackRecord(title="Don’t")]))
    assert written.startswith(b"\xef\xbb\xbfPlaylist,Title,Artists,")


def test_xspf_output_is_namespaced_and_drops_what_xml_cannot_hold() -> None:
    written = write("xspf", PlaylistRecord(name="a\x01b", tracks=[TrackRecord(title="t\x0bu")]))
    assert b'<playlist xmlns="http://xspf.org/ns/0/" version="1">' in written
    assert read_any(written, "x.xspf").playlists[0].tracks[0].title == "tu"


def test_single_playlist_formats_refuse_several() -> None:
    playlists = [PlaylistRecord(name="a"), PlaylistRecord(name="b")]
    with pytest.raises(ValueError, match="use write_zip"):
        write("xspf", playlists)
    with pytest.raises(ValueError, match="Cannot write 'docx'"):
        write("docx", playlists)
    with pytest.raises(ValueError, match="no playlist"):
        write("csv", [])


def test_write_zip_one_file_per_playlist() -> None:
    playlists = [
        PlaylistRecord(name="Road/Trip", tracks=[TrackRecord(title="a", artists=("A",))]),
        PlaylistRecord(name="road/trip", tracks=[TrackRecord(title="b", artists=("B",))]),
        PlaylistRecord(name="..", tracks=[]),
    ]
    with zipfile.ZipFile(io.BytesIO(write_zip("m3u", playlists))) as archive:
        names = archive.namelist()
        assert names == ["Road_Trip.m3u8", "road_trip (2).m3u8", "playlist.m3u8"]
        back = read_any(archive.read(names[1]), names[1])
    assert back.playlists[0].name == "road/trip"
    assert back.playlists[0].tracks[0].title == "b"
