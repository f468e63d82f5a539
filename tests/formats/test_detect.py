"""Format detection from content; the file name only breaks ties."""

from __future__ import annotations

import pytest

from tests.formats.helpers import DATA, data
from transfer.formats import FORMATS, WRITERS, FormatError, detect_format

EXPECTED = {
    "exportify.csv": "exportify-csv",
    "exportify_2017.csv": "exportify-csv",
    "Playlist1.json": "spotify-playlists-json",
    "YourLibrary.json": "spotify-library-json",
    "spotify_api_excerpt.json": "spotify-api-json",
    "Library.xml": "itunes-xml",
    "Road Trip-videos.csv": "youtube-takeout-csv",
    "takeout_legacy.csv": "youtube-takeout-legacy-csv",
    "music library songs.csv": "youtube-music-library-csv",
    "tunemymusic.csv": "tunemymusic-csv",
    "soundiiz.csv": "soundiiz-csv",
    "spotify_flat_excerpt.csv": "csv",
    "ytmusic_flat_excerpt.csv": "csv",
    "playlist.m3u8": "m3u",
    "plain.m3u": "m3u",
    "playlist.xspf": "xspf",
    "playlist.jspf": "jspf",
    "playlist.txt": "text",
}


def test_every_sample_has_an_expectation() -> None:
    samples = {path.name for path in DATA.iterdir() if path.is_file() and path.name != "README.md"}
    assert samples == set(EXPECTED)


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_detects_each_sample(name: str, expected: str) -> None:
    assert detect_format(data(name), name) == expected


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_content_wins_over_a_wrong_name(name: str, expected: str) -> None:
    """Files renamed or saved as "download (1).txt" are still recognised."""
    assert detect_format(data(name), "download (1).txt") == expected
    assert detect_format(data(name), None) == expected


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"Queen - Bohemian Rhapsody\n", None, "text"),
        (b"Crosby, Stills & Nash - Teach Your Children\n", "a.csv", "text"),
        (b"Lebanese Blonde\nComfort Eagle\n", "songs.txt", "text"),
        (b"song,artist\nA,B\n", None, "csv"),
        (b"Title;Artist;Length\nA;B;3:00\n", None, "csv"),
        (b"Weird,Columns\n1,2\n", "mine.csv", "csv"),
        (b"Lebanese Blonde\n", "list.m3u", "m3u"),
        (b"#EXTINF:10,A - B\n/x.mp3\n", None, "m3u"),
        (b"\xef\xbb\xbf#EXTM3U\n", None, "m3u"),
        (b"/music/a.flac\n/music/b.mp3\n", None, "m3u"),
        ("Titre,Artiste\n".encode("utf-16"), "x.csv", "csv"),
        (
            b'<?xml version="1.0"?>\n<!-- c -->\n<x:playlist xmlns:x="http://xspf.org/ns/0/"/>',
            None,
            "xspf",
        ),
        (b'{"playlists": []}', None, "spotify-playlists-json"),
        (b"#PLAYLIST:Empty\n", None, "text"),
        (b'{"playlist": {"title": "x", "track": []}}', None, "jspf"),
    ],
)
def test_detection_rules(content: bytes, filename: str | None, expected: str) -> None:
    assert detect_format(content, filename) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"<html><body>hi</body></html>", "root element is <html>"),
        (b'{"hello": "world"}', "not a playlist layout we know"),
        (b"just some words\nwith no separators\n", "not recognised"),
    ],
)
def test_unrecognised(content: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        detect_format(content, "upload")


def test_registry_is_consistent() -> None:
    assert set(EXPECTED.values()) <= set(FORMATS)
    assert {fid for fid, info in FORMATS.items() if info.writable} == set(WRITERS)
    for format_id, info in FORMATS.items():
        assert info.id == format_id
        assert info.fields
