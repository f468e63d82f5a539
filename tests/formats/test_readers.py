"""Each reader on a sample of its format (tests/formats/data, see README.md there)."""

# Real titles use curly apostrophes and dashes; they are the point of these tests.
# ruff: noqa: RUF001

from __future__ import annotations

import io

import pytest

from tests.formats.helpers import data
from transfer.formats import ColumnMapping, FormatError, TrackRecord, read_any, read_csv
from transfer.formats.readers.m3u import read_m3u


def titles(result_tracks: list[TrackRecord]) -> list[str]:
    return [track.title for track in result_tracks]


def test_exportify_current_layout() -> None:
    result = read_any(data("exportify.csv"), "exportify.csv")
    assert result.format == "exportify-csv"
    [playlist] = result.playlists
    assert playlist.name == "exportify"
    first = playlist.tracks[0]
    assert first == TrackRecord(
        title="Give Me a Try",
        artists=("The Wombats",),
        album="Glitterbug (Deluxe Edition)",
        duration_ms=228470,
        isrc="GBAHT1400473",
        explicit=False,
        album_artists=("The Wombats",),
        track_number=2,
        release_date="2015-04-14",
        source_id="spotify:track:0gohFCf3LlExQw41BfajZg",
        added_at="2023-02-03T18:03:31Z",
        line=2,
    )
    # Curly apostrophes and " - 2001 Remastered Version" stay as Spotify wrote them.
    assert playlist.tracks[1].title == "Don’t Be So Hard On Yourself"
    assert playlist.tracks[2].title == "Orgasm Addict - 2001 Remastered Version"
    assert playlist.tracks[2].explicit is True
    assert playlist.tracks[3].artists == ("Zedd", "Maren Morris", "Grey")
    assert playlist.tracks[4].artists == ("Tyler, The Creator", "Playboi Carti")
    assert not result.problems


def test_exportify_2017_layout() -> None:
    result = read_any(data("exportify_2017.csv"), "Liked Songs.csv")
    assert result.format == "exportify-csv"
    [playlist] = result.playlists
    assert playlist.name == "Liked Songs"
    assert playlist.tracks[0].source_id == "spotify:track:2qQCU22yQXKjhytKUBxa59"
    assert playlist.tracks[0].artists == ("CAKE",)
    assert playlist.tracks[0].duration_ms == 220202


def test_spotify_account_playlists() -> None:
    result = read_any(data("Playlist1.json"), "Playlist1.json")
    assert result.format == "spotify-playlists-json"
    first, empty = result.playlists
    assert (first.name, first.description) == ("Raid the Data Center", "Songs for long nights")
    assert titles(first.tracks) == [
        "Give Me a Try",
        "Ever Fallen In Love (With Someone You Shouldn't've)",
        "Don’t Be So Hard On Yourself",
    ]
    assert first.tracks[0].source_id == "spotify:track:0gohFCf3LlExQw41BfajZg"
    assert first.tracks[0].added_at == "2023-02-03"
    local = first.tracks[1]
    assert (local.artists, local.album, local.duration_ms) == (
        ("Buzzcocks",),
        "Singles Going Steady",
        160000,
    )
    assert empty.name == "Empty one"
    assert empty.tracks == []
    assert [str(p) for p in result.problems] == [
        "Playlist 'Raid the Data Center', item 2 is a podcast episode; skipped."
    ]


def test_spotify_library() -> None:
    result = read_any(data("YourLibrary.json"), "YourLibrary.json")
    assert result.format == "spotify-library-json"
    [liked] = result.playlists
    assert liked.name == "Liked Songs"
    assert liked.tracks[0] == TrackRecord(
        title="Under The Pressure",
        artists=("The War On Drugs",),
        album="Lost In The Dream",
        source_id="spotify:track:5j58jhAFzAy0keSuQYsQBn",
    )
    assert "albums (1)" in result.problems[0].message


def test_spotify_web_api_fixture() -> None:
    result = read_any(data("spotify_api_excerpt.json"), "fixture.json")
    assert result.format == "spotify-api-json"
    [playlist] = result.playlists
    assert playlist.name == "Raid the Data Center"
    assert playlist.source_id == "spotify:playlist:68QlHDwCiXfhodLpS72iOx"
    last = playlist.tracks[-1]
    assert last.title == "Orgasm Addict - 2001 Remastered Version"
    assert (last.isrc, last.explicit, last.duration_ms) == ("GBAYE0100698", True, 122960)
    assert last.album_artists == ("Buzzcocks",)


def test_spotify_web_api_page_of_items() -> None:
    page = (
        b'{"href": "x", "items": [{"added_at": "2023-01-01T00:00:00Z", "track": {"name": "Go!",'
        b' "artists": [{"name": "Public Service Broadcasting"}], "album": {"name": "The Race For'
        b' Space"}, "duration_ms": 252720, "explicit": false, "external_ids": {"isrc":'
        b' "GBSZF1400173"}, "uri": "spotify:track:5xYZXIgVAND5sWjN8G0hID"}}, {"track": null}]}'
    )
    result = read_any(page, "page.json")
    assert result.format == "spotify-api-json"
    [playlist] = result.playlists
    assert playlist.name == "page"
    assert [t.isrc for t in playlist.tracks] == ["GBSZF1400173"]
    assert "removed from Spotify" in result.problems[0].message


def test_itunes_library() -> None:
    result = read_any(data("Library.xml"), "Library.xml")
    assert result.format == "itunes-xml"
    names = [playlist.name for playlist in result.playlists]
    # The whole library comes first; the Master playlist, Music (Distinguished Kind) and the
    # folder Mixes are left out.
    assert names == ["Library", "Punk & More", "Recently Added", "Nothing yet"]
    library = result.playlists.pop(0)
    assert len(library.tracks) == len({t.source_id for t in library.tracks})
    assert "Comfort Eagle" in [t.title for t in library.tracks]
    punk = result.playlists[0]
    assert punk.description == "Loud things"
    assert punk.source_id == "AAAA000000000004"
    oh, eagle = punk.tracks
    assert (oh.title, oh.explicit, oh.release_date) == (
        "Oh Shit - 2001 Remastered Version",
        True,
        "2001-09-10T12:00:00Z",
    )
    assert eagle == TrackRecord(
        title="Comfort Eagle",
        artists=("CAKE",),
        album="Comfort Eagle",
        duration_ms=220202,
        album_artists=("CAKE",),
        track_number=7,
        release_date="2001",
        source_id="3E3F0A1B2C3D4E5F",
        added_at="2011-03-01T16:28:36Z",
        line=13,
    )
    assert result.playlists[1].tracks[0].title == "Don’t Be So Hard On Yourself"
    assert result.playlists[1].tracks[0].explicit is False
    messages = [str(problem) for problem in result.problems]
    assert messages[0].startswith("line 100: The playlist refers to track 9999")
    assert "'Library', 'Music', 'Mixes'" in messages[1]


def test_youtube_takeout_ids_only() -> None:
    result = read_any(data("Road Trip-videos.csv"), "Road Trip-videos.csv")
    assert result.format == "youtube-takeout-csv"
    [playlist] = result.playlists
    assert playlist.name == "Road Trip"
    assert [(t.title, t.source_id) for t in playlist.tracks] == [
        ("", "B1V1varByWI"),
        ("", "8Y8fDsU0hX8"),
        ("", "rYPQtWOcGmQ"),
    ]
    assert playlist.tracks[0].added_at == "2024-03-02T10:11:12+00:00"
    assert "only video ids" in result.problems[0].message


def test_youtube_takeout_legacy() -> None:
    result = read_any(data("takeout_legacy.csv"), "takeout_legacy.csv")
    assert result.format == "youtube-takeout-legacy-csv"
    [playlist] = result.playlists
    assert (playlist.name, playlist.description, playlist.source_id) == (
        "Old Favourites",
        "Songs from 2019",
        "PLa1b2c3d4e5f6g7h8",
    )
    assert [(t.source_id, t.line) for t in playlist.tracks] == [
        ("3_R4ulvg8OY", 5),
        ("0VP_LezQ-QE", 6),
    ]
    assert "only video ids" in result.problems[0].message


def test_youtube_music_library_songs() -> None:
    result = read_any(data("music library songs.csv"), "music library songs.csv")
    assert result.format == "youtube-music-library-csv"
    tracks = result.playlists[0].tracks
    assert tracks[0].artists == ("Zedd", "Maren Morris", "Grey")
    assert tracks[1].album == 'THE "DEEP"'
    assert tracks[2].source_id == "KsULjOCYdnY"


def test_tunemymusic_splits_playlists() -> None:
    result = read_any(data("tunemymusic.csv"), "tunemymusic.csv")
    assert result.format == "tunemymusic-csv"
    assert [(p.name, len(p.tracks)) for p in result.playlists] == [
        ("Raid the Data Center", 3),
        ("Liked Songs", 1),
    ]
    first = result.playlists[0].tracks[0]
    assert (first.isrc, first.source_id) == ("GBAHT1400473", "0gohFCf3LlExQw41BfajZg")
    # Rows keep their file order within each playlist.
    assert [t.line for t in result.playlists[0].tracks] == [2, 3, 5]


def test_soundiiz_semicolons() -> None:
    result = read_any(data("soundiiz.csv"), "soundiiz.csv")
    assert result.format == "soundiiz-csv"
    tracks = result.playlists[0].tracks
    assert [t.isrc for t in tracks] == ["USAT20101113", "USGF19714213", ""]
    assert tracks[2].title == "Fantastic; Vol. 2"
    assert tracks[2].album == "Fantastic, Vol. 2.10"


def test_flattened_fixtures_by_guessed_mapping() -> None:
    spotify = read_any(data("spotify_flat_excerpt.csv"), "flat.csv")
    assert spotify.format == "csv"
    [playlist] = spotify.playlists
    assert playlist.name == "Raid the Data Center"  # from its "playlist" column
    track = playlist.tracks[0]
    assert (track.duration_ms, track.explicit, track.source_id, track.track_number) == (
        228470,
        False,
        "0gohFCf3LlExQw41BfajZg",
        2,
    )
    youtube = read_any(data("ytmusic_flat_excerpt.csv"), "yt.csv")
    tracks = youtube.playlists[0].tracks
    assert tracks[0].duration_ms == 83000  # "1:23"
    middle = next(t for t in tracks if t.title == "The Middle")
    # One artist string: a guessed mapping never splits artists.
    assert middle.artists == ("Zedd, Maren Morris & Grey",)
    assert tracks[-1].album == ""
    assert not youtube.problems


def test_user_mapping_without_header() -> None:
    text = "Comfort Eagle;CAKE;3:40\nGo!;Public Service Broadcasting;252\n"
    mapping = ColumnMapping(title=0, artist=1, duration=2, delimiter=";", has_header=False)
    result = read_any(text.encode(), "mine.csv", mapping=mapping)
    assert [(t.title, t.artists, t.duration_ms, t.line) for t in result.playlists[0].tracks] == [
        ("Comfort Eagle", ("CAKE",), 220000, 1),
        ("Go!", ("Public Service Broadcasting",), 252000, 2),
    ]


def test_user_mapping_by_name_with_artist_separator() -> None:
    text = "Song,Who,Secs\nThe Middle,Zedd / Maren Morris / Grey,184\n"
    mapping = ColumnMapping(title="song", artist="WHO", duration="Secs", artist_separator="/")
    result = read_csv(text.encode(), mapping)
    [track] = result.playlists[0].tracks
    assert track.artists == ("Zedd", "Maren Morris", "Grey")
    assert track.duration_ms == 184000


def test_user_mapping_names_a_missing_column() -> None:
    with pytest.raises(FormatError, match="no column 'Length'; it has 'Song', 'Who'") as info:
        read_csv(b"Song,Who\nA,B\n", ColumnMapping(title="Song", duration="Length"))
    assert info.value.line == 1


def test_mapping_needs_something_to_match_on() -> None:
    with pytest.raises(ValueError, match="title, ISRC or source id"):
        ColumnMapping(artist="Artist")
    with pytest.raises(ValueError, match="must be an index"):
        ColumnMapping(title="Title", has_header=False)


def test_m3u_extended() -> None:
    result = read_any(data("playlist.m3u8"), "playlist.m3u8")
    assert result.format == "m3u"
    [playlist] = result.playlists
    assert playlist.name == "Night Drive"
    assert [(t.artists, t.title, t.duration_ms) for t in playlist.tracks] == [
        (("The Wombats",), "Give Me a Try", 228000),
        (("Buzzcocks",), "Orgasm Addict - 2001 Remastered Version", 123000),
        (("Zedd, Maren Morris & Grey",), "The Middle", None),
        (("Sneaker Pimps",), "Spin Spin Sugar", None),
    ]
    assert playlist.tracks[0].album == "Glitterbug (Deluxe Edition)"
    assert playlist.tracks[0].source_id == "/music/The Wombats/Glitterbug/02 Give Me a Try.mp3"
    assert [t.line for t in playlist.tracks] == [3, 6, 8, 11]


def test_m3u_plain_paths_use_file_names() -> None:
    result = read_any(data("plain.m3u"), "plain.m3u")
    tracks = result.playlists[0].tracks
    assert [(t.artists, t.title, t.track_number) for t in tracks] == [
        (("CAKE",), "Comfort Eagle", None),
        (("Buzzcocks",), "Orgasm Addict", 1),
        (("Alex Lahey",), "Don’t Be So Hard On Yourself", None),
        (("Dan Bay",), "Tenerife", None),
    ]


def test_m3u_ids_and_stream_urls_have_no_title() -> None:
    text = "spotify:track:0gohFCf3LlExQw41BfajZg\nhttps://www.youtube.com/watch?v=rYPQtWOcGmQ\n"
    result = read_m3u(text.encode(), filename="ids.m3u")
    assert [(t.title, t.source_id) for t in result.playlists[0].tracks] == [
        ("", "spotify:track:0gohFCf3LlExQw41BfajZg"),
        ("", "https://www.youtube.com/watch?v=rYPQtWOcGmQ"),
    ]


def test_m3u_bad_extinf_is_a_warning() -> None:
    text = "#EXTM3U\n#EXTINF:abc,CAKE - Comfort Eagle\n/a.mp3\n#EXTINF:99 Luftballons\n/b.mp3\n"
    result = read_m3u(text.encode())
    assert [(t.title, t.line) for t in result.playlists[0].tracks] == [
        ("Comfort Eagle", 2),
        ("b", 4),
    ]
    assert [p.line for p in result.problems] == [2, 4]


def test_xspf() -> None:
    result = read_any(data("playlist.xspf"), "playlist.xspf")
    assert result.format == "xspf"
    [playlist] = result.playlists
    assert (playlist.name, playlist.description) == (
        "Raid the Data Center",
        "Exported from a desktop player",
    )
    first, second, third = playlist.tracks
    assert (first.track_number, first.duration_ms, first.line) == (2, 228470, 6)
    assert first.source_id == "file:///music/The%20Wombats/Give%20Me%20a%20Try.mp3"
    assert (second.source_id, second.isrc) == (
        "spotify:track:3K6mPAaaOWaDDR0l0OjhOE",
        "GBAYE0100698",
    )
    assert second.title == "Orgasm Addict - 2001 Remastered Version"  # not the extension's
    assert third.duration_ms is None
    assert [str(p) for p in result.problems] == [
        "line 22: Track 3: duration 'oops' is not milliseconds; left out."
    ]


def test_xspf_without_namespace_and_in_utf16() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<playlist version="1"><trackList>'
        "<track><title>Hoppípolla</title><creator>Sigur Rós</creator></track>"
        "</trackList></playlist>"
    )
    result = read_any(xml.encode("utf-16"), "x.xspf")
    assert result.playlists[0].tracks[0].artists == ("Sigur Rós",)


def test_jspf() -> None:
    result = read_any(data("playlist.jspf"), "playlist.jspf")
    assert result.format == "jspf"
    [playlist] = result.playlists
    assert playlist.source_id.startswith("https://listenbrainz.org/playlist/")
    first, second = playlist.tracks
    assert first.source_id.startswith("https://musicbrainz.org/recording/")
    assert first.duration_ms == 228470
    assert (second.isrc, second.source_id, second.track_number) == ("USSM10104614", "", 7)


def test_text() -> None:
    result = read_any(data("playlist.txt"), "playlist.txt")
    assert result.format == "text"
    [playlist] = result.playlists
    assert [(t.artists, t.title) for t in playlist.tracks] == [
        (("The Wombats",), "Give Me a Try"),
        (("Buzzcocks",), "Orgasm Addict - 2001 Remastered Version"),
        (("Alex Lahey",), "Don’t Be So Hard On Yourself"),
        ((), "Lebanese Blonde"),
    ]
    assert [str(p) for p in result.problems] == [
        "line 5: No ' - ' between artist and title; the whole line is taken as the title."
    ]


def test_text_with_several_playlists() -> None:
    text = "#PLAYLIST:One\nA - a\n\n#PLAYLIST:Two\nB - b\nC - c\n"
    result = read_any(text.encode(), "two.txt")
    assert [(p.name, titles(p.tracks)) for p in result.playlists] == [
        ("One", ["a"]),
        ("Two", ["b", "c"]),
    ]


def test_reader_accepts_a_file_object() -> None:
    stream = io.BytesIO(data("tunemymusic.csv"))
    result = read_any(stream, "tunemymusic.csv")
    assert result.track_count == 4
    assert not stream.closed
