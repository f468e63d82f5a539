"""The layouts real exports come in, each in a small file made from the exporter's own source:
Exportify's every header set and language, Takeout in any language, "Title - Artist" lists,
PLS, WPL, Apple's exports, ZIP archives and what makes an archive unsafe."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from transfer.formats import (
    ArchiveLimits,
    FormatError,
    detect_format,
    read_any,
    read_each,
)


def pairs(result: object) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.title, t.artists) for p in result.playlists for t in p.tracks]  # type: ignore[attr-defined]


# -- Exportify --------------------------------------------------------------------------------

# watsonbox/exportify src/i18n/locales/{es,ja,fr}/translation.json, "track" section.
SPANISH = (
    '"URI de la canción","Nombre de la canción","URI(s) del artista","Nombre(s) del artista",'
    '"URI del álbum","Nombre del álbum"\n'
    '"spotify:track:1","Bésame Mucho","spotify:artist:a, spotify:artist:b",'
    '"Consuelo Velázquez, Andrea Bocelli","spotify:album:x","Amor"\n'
)
JAPANESE = (
    '"トラックURI","トラック名","アーティストURI","アーティスト名","アルバムURI","アルバム名",'
    '"トラックの長さ（ミリ秒）"\n'  # noqa: RUF001 (Exportify's own header)
    '"spotify:track:2","夜に駆ける","spotify:artist:c","YOASOBI","spotify:album:y",'
    '"THE BOOK","261013"\n'
)


@pytest.mark.parametrize("text", [SPANISH, JAPANESE], ids=["es", "ja"])
def test_exportify_headers_in_other_languages(text: str) -> None:
    result = read_any(text.encode(), "lista.csv")
    assert result.format == "exportify-csv"
    assert result.fed_by["title"] in ("Nombre de la canción", "トラック名")
    [track] = result.playlists[0].tracks
    assert track.source_id.startswith("spotify:track:")
    assert track.title in ("Bésame Mucho", "夜に駆ける")


def test_exportify_in_a_language_we_do_not_list_is_read_by_its_rows() -> None:
    header = ",".join(f'"Spalte {i}"' for i in range(9))
    row = (
        '"spotify:track:9","Song","spotify:artist:1, spotify:artist:2","A\\, B, C",'
        '"spotify:album:1","Album","spotify:artist:1","A\\, B","2020"'
    )
    result = read_any(f"{header}\n{row}\n".encode(), "x.csv")
    assert result.format == "exportify-csv"
    assert pairs(result) == [("Song", ("A, B", "C"))]


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        # watsonbox 2015: "Name", not "Track Name".
        (
            '"Spotify URI","Name","Artist Name","Album Name","Added By","Added At"\n'
            '"spotify:track:1","Roxanne","The Police","Outlandos","me","2015-05-01"\n',
            [("Roxanne", ("The Police",))],
        ),
        # pavelkomarov 2019-2024: "Spotify ID" and "Artist IDs", artists joined by ",".
        (
            "Spotify ID,Artist IDs,Track Name,Album Name,Artist Name(s),Release Date\n"
            "4uLU6hMCjMI75M1A2tKUQC,1,Never Gonna Give You Up,Whenever,Rick Astley,1987\n"
            "5,2,Under Pressure,Hot Space,Queen,David Bowie,1981\n",
            [("Never Gonna Give You Up", ("Rick Astley",)), ("Under Pressure", ("Queen",))],
        ),
        # pavelkomarov September 2024: no id column at all.
        (
            'Track Name,Album Name,Artist Name(s),Release Date\n"Get Lucky","RAM","Daft Punk,'
            'Pharrell Williams",2013\n',
            [("Get Lucky", ("Daft Punk", "Pharrell Williams"))],
        ),
        # pavelkomarov since July 2025: ";" between artists, commas kept in names.
        (
            'Track URI,Track Name,Album Name,Artist Name(s)\nspotify:track:1,"Earth","X",'
            '"Earth, Wind & Fire;Tyler, The Creator"\nspotify:track:2,"Y","Z","Solo"\n',
            [("Earth", ("Earth, Wind & Fire", "Tyler, The Creator")), ("Y", ("Solo",))],
        ),
    ],
    ids=["2015", "spotify-id", "no-id", "semicolon"],
)
def test_every_exportify_layout(csv_text: str, expected: list[object]) -> None:
    result = read_any(csv_text.encode(), "playlist.csv")
    assert result.format == "exportify-csv"
    assert pairs(result)[: len(expected)] == expected


def test_an_excel_resaved_exportify_file() -> None:
    # Excel in a European locale: a byte order mark, ";" as delimiter, TRUE/FALSE, m/d/yyyy.
    text = (
        "\ufeffTrack URI;Track Name;Artist Name(s);Album Name;Album Release Date;Explicit\r\n"
        "spotify:track:1;Song;A\\, B, C;Album;3/7/2019;TRUE\r\n"
    )
    result = read_any(text.encode("utf-8"), "excel.csv")
    assert result.format == "exportify-csv"
    [track] = result.playlists[0].tracks
    assert (track.artists, track.explicit, track.release_date) == (("A, B", "C"), True, "3/7/2019")


def test_several_byte_order_marks_and_mixed_line_ends() -> None:
    text = b"\xef\xbb\xbf" * 3 + b"Title,Artist\r\nOne,A\rTwo,B\nThree,C\r\n"
    result = read_any(text, "x.csv")
    assert result.fed_by["title"] == "Title"
    assert pairs(result) == [("One", ("A",)), ("Two", ("B",)), ("Three", ("C",))]


# -- YouTube --------------------------------------------------------------------------------


def test_a_takeout_playlist_is_recognised_by_its_rows_whatever_the_header_language() -> None:
    # The header's words change with the account's language; the rows do not.
    text = (
        "Spalte A,Spalte B\n"
        "dQw4w9WgXcQ,2023-12-07T15:57:57+00:00\n9bZkp7q19f0,2023-12-08T10:00:00+00:00\n"
    )
    result = read_any(text.encode(), "Favoriten-videos.csv")
    assert result.format == "youtube-takeout-csv"
    tracks = result.playlists[0].tracks
    assert [(t.source_id, t.title, t.needs_resolution) for t in tracks] == [
        ("dQw4w9WgXcQ", "", True),
        ("9bZkp7q19f0", "", True),
    ]
    assert "only video ids" in result.problems[0].message


def test_tunemymusic_rows_copied_from_youtube_are_split() -> None:
    text = (
        "Track name,Artist name,Album,Playlist name,Type,ISRC,Youtube - id\n"
        "Daft Punk - Get Lucky (Official Audio),,,Mix,Playlist,,5NV6Rdv1a3I\n"
        "Yesterday,The Beatles,Help!,Mix,Playlist,GBAYE0601477,\n"
    )
    result = read_any(text.encode(), "tmm.csv")
    assert pairs(result) == [
        ("Get Lucky (Official Audio)", ("Daft Punk",)),
        ("Yesterday", ("The Beatles",)),
    ]


# -- "Artist - Title" or "Title - Artist" ---------------------------------------------------


def test_folder_names_say_which_side_is_the_artist() -> None:
    m3u = (
        "#EXTM3U\n#EXTINF:200,Paranoid Android - Radiohead\n"
        "D:\\Music\\Radiohead\\OK Computer\\02 Paranoid Android.mp3\n"
        "#EXTINF:180,Karma Police - Radiohead\nD:\\Music\\Radiohead\\OK Computer\\06.mp3\n"
        "#EXTINF:240,Teardrop - Massive Attack\nD:\\Music\\Massive Attack\\Mezzanine\\t.mp3\n"
    )
    result = read_any(m3u.encode(), "mix.m3u")
    assert result.order == "title-artist"
    assert "folder" in result.order_reason
    assert pairs(result)[0] == ("Paranoid Android", ("Radiohead",))


def test_the_side_that_repeats_is_the_artist() -> None:
    text = "\n".join(
        [
            "1. Yellow - Coldplay",
            "2. Clocks - Coldplay",
            "3. Fix You - Coldplay",
            "4. Creep - Radiohead",
            "5. Nude - Radiohead",
            "6. Hurt - Johnny Cash",
        ]
    )
    result = read_any(text.encode(), "list.txt")
    assert result.order == "title-artist"
    assert pairs(result)[:2] == [("Yellow", ("Coldplay",)), ("Clocks", ("Coldplay",))]


def test_without_evidence_the_order_is_artist_title_and_a_person_can_swap_it() -> None:
    text = b"Queen - Bohemian Rhapsody\nABBA - Waterloo\n"
    assert pairs(read_any(text, "a.txt")) == [
        ("Bohemian Rhapsody", ("Queen",)),
        ("Waterloo", ("ABBA",)),
    ]
    assert pairs(read_any(text, "a.txt", swap_title_artist=True)) == [
        ("Queen", ("Bohemian Rhapsody",)),
        ("ABBA", ("Waterloo",)),
    ]


# -- Player playlists -----------------------------------------------------------------------


def test_pls() -> None:
    pls = (
        b"[playlist]\nFile1=C:\\Music\\Queen - Innuendo.mp3\nTitle1=Innuendo\nLength1=390\n"
        b"File2=http://radio.example/stream\nTitle2=Radio Paradise\nLength2=-1\n"
        b"NumberOfEntries=2\nVersion=2\n"
    )
    assert detect_format(pls, "x.pls") == "pls"
    result = read_any(pls, "Favourites.pls")
    first, second = result.playlists[0].tracks
    assert (first.title, first.artists, first.duration_ms, first.line) == (
        "Innuendo",
        ("Queen",),
        390_000,
        2,
    )
    assert (second.title, second.duration_ms) == ("Radio Paradise", None)


def test_a_pls_file_is_not_taken_for_json() -> None:
    # "[playlist]" starts like a JSON array.
    result = read_any(b"[playlist]\nNumberOfEntries=0\n", "upload")
    assert result.format == "pls"
    assert [p.message for p in result.problems] == ["The file holds no tracks."]


def test_wpl() -> None:
    wpl = (
        b'<?wpl version="1.0"?>\n<smil><head><title>Road</title></head><body><seq>\n'
        b'<media src="..\\Music\\Blur\\Parklife\\03 Blur - Parklife.mp3" tid="{1}"/>\n'
        b'<media src="Song 2.wma"/>\n</seq></body></smil>\n'
    )
    result = read_any(wpl, "road.wpl")
    assert result.format == "wpl"
    assert result.playlists[0].name == "Road"
    assert pairs(result) == [("Parklife", ("Blur",)), ("Song 2", ())]


def test_xspf_tracks_with_only_a_location_are_named_from_the_file() -> None:
    xspf = (
        b'<?xml version="1.0"?><playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>'
        b"<track><location>file:///music/Portishead%20-%20Roads.flac</location></track>"
        b"</trackList></playlist>"
    )
    assert pairs(read_any(xspf, "x.xspf")) == [("Roads", ("Portishead",))]


def test_junk_before_the_xml_declaration_is_skipped() -> None:
    xml = b'Exported by a tool\r\n<?xml version="1.0"?>\n<playlist xmlns="http://xspf.org/ns/0/"><trackList><track><title>T</title><creator>A</creator></track></trackList></playlist>'
    result = read_any(xml, "x.xspf")
    assert pairs(result) == [("T", ("A",))]
    assert result.playlists[0].tracks[0].line == 3


# -- Apple ------------------------------------------------------------------------------------

APPLE_TRACKS = [
    {
        "Content Type": "Song",
        "Track Identifier": 11,
        "Title": "Hey Jude",
        "Artist": "The Beatles",
        "Album": "1",
        "Track Duration": 431000,
        "Apple Music Track Identifier": 1441164430,
    },
    {"Content Type": "Video", "Track Identifier": 12, "Title": "A video", "Artist": "X"},
    {"Content Type": "Song", "Track Identifier": 13, "Title": "Heroes", "Artist": "David Bowie"},
]
APPLE_PLAYLISTS = [
    {
        "Container Type": "Playlist",
        "Container Identifier": 7,
        "Title": "Road",
        "Playlist Item Identifiers": [13, 11, 99],
    },
    {"Container Type": "Folder", "Title": "A folder"},
]


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_apple_library_tracks_json() -> None:
    data = json.dumps(APPLE_TRACKS, indent=2, separators=(",", " : ")).encode()
    result = read_any(data, "Apple Music Library Tracks.json")
    assert result.format == "apple-privacy-json"
    assert pairs(result) == [("Hey Jude", ("The Beatles",)), ("Heroes", ("David Bowie",))]
    assert "1 video" in result.problems[0].message


def test_apple_privacy_zip_gives_library_and_playlists() -> None:
    # Apple nests zips: the export holds Apple_Media_Services.zip, which holds *.json.zip.
    inner = zipped(
        {
            "Apple_Media_Services/Apple Music Activity/Apple Music Library Tracks.json.zip": zipped(
                {"Apple Music Library Tracks.json": json.dumps(APPLE_TRACKS).encode()}
            ),
            "Apple_Media_Services/Apple Music Activity/Apple Music Library Playlists.json.zip": (
                zipped({"Apple Music Library Playlists.json": json.dumps(APPLE_PLAYLISTS).encode()})
            ),
        }
    )
    export = zipped({"Apple Media Services information/Apple_Media_Services.zip": inner})
    [read] = read_each(export, "Apple Media Services information.zip")
    names = [p.name for p in read.result.playlists]
    assert names == ["Library", "Road"]
    assert [t.title for t in read.result.playlists[1].tracks] == ["Heroes", "Hey Jude"]
    assert any("1 items are not in the library" in p.message for p in read.result.problems)


def test_apple_export_playlist_text() -> None:
    header = (
        "Name\tArtist\tComposer\tAlbum\tGrouping\tGenre\tSize\tTime\tTrack Number\tYear\tLocation"
    )
    row = "Waterloo\tABBA\t\tWaterloo\t\tPop\t1\t168\t1\t1974\tC:\\m\\w.m4a"
    data = ("\r".join([header, row]) + "\r").encode("utf-16")
    result = read_any(data, "Mix.txt")
    assert result.format == "apple-playlist-txt"
    [track] = result.playlists[0].tracks
    assert (track.title, track.artists, track.duration_ms) == ("Waterloo", ("ABBA",), 168_000)


def test_apple_playlists_alone_say_what_to_upload() -> None:
    with pytest.raises(FormatError, match=r"together with 'Apple Music Library Tracks\.json'"):
        read_any(json.dumps(APPLE_PLAYLISTS).encode(), "Apple Music Library Playlists.json")


def test_soundiiz_json() -> None:
    data = {
        "data": [
            {
                "title": "Hurt",
                "artist": "Johnny Cash",
                "album": "American IV",
                "isrc": "USUM70300839",
            }
        ]
    }
    result = read_any(json.dumps(data).encode(), "Soundiiz.json")
    assert result.format == "soundiiz-json"
    assert pairs(result) == [("Hurt", ("Johnny Cash",))]


# -- Archives -------------------------------------------------------------------------------

PLAYLIST1 = json.dumps(
    {
        "playlists": [
            {
                "name": "Gym",
                "items": [
                    {
                        "track": {
                            "trackName": "Eye of the Tiger",
                            "artistName": "Survivor",
                            "albumName": "x",
                            "trackUri": "spotify:track:1",
                        }
                    }
                ],
            }
        ]
    }
).encode()
HISTORY = json.dumps(
    [{"endTime": "2024-01-01 10:00", "artistName": "A", "trackName": "B", "msPlayed": 1000}]
).encode()


def test_a_spotify_account_zip_reads_each_playlist_file_and_skips_the_rest() -> None:
    archive = zipped(
        {
            "MyData/Playlist1.json": PLAYLIST1,
            "MyData/StreamingHistory0.json": HISTORY,
            "MyData/ReadMeFirst.pdf": b"%PDF",
        }
    )
    files = read_each(archive, "my_spotify_data.zip")
    assert [f.name for f in files] == ["MyData/Playlist1.json"]
    assert pairs(files[0].result) == [("Eye of the Tiger", ("Survivor",))]
    assert (
        "StreamingHistory0.json: This is a listening history" in files[0].result.problems[0].message
    )
    assert read_any(archive, "my_spotify_data.zip").format == "zip"


MUSIC = "Takeout/YouTube and YouTube Music/music (library and uploads)"


def test_a_takeout_zip() -> None:
    archive = zipped(
        {
            "Takeout/YouTube and YouTube Music/playlists/Road-videos.csv": (
                b"Video ID,Playlist Video Creation Timestamp\n"
                b"dQw4w9WgXcQ,2024-01-01T10:00:00+00:00\n"
            ),
            f"{MUSIC}/music library songs.csv": (
                b"Video ID,Song Title,Album Title,Artist Name 1\nabcdefghijk,Song,Album,Artist\n"
            ),
        }
    )
    files = read_each(archive, "takeout-20240101.zip")
    assert {f.result.format for f in files} == {"youtube-takeout-csv", "youtube-music-library-csv"}


@pytest.mark.parametrize(
    ("files", "limits", "message"),
    [
        (
            {f"a{i}.csv": b"x" for i in range(6)},
            ArchiveLimits(max_entries=5),
            "more than 5 entries",
        ),
        ({"../../etc/passwd.csv": b"Title\nx\n"}, ArchiveLimits(), "points outside the archive"),
        ({"/abs.csv": b"Title\nx\n"}, ArchiveLimits(), "points outside the archive"),
        ({"bomb.csv": b"Title\n" + b"a" * 3_000_000}, ArchiveLimits(max_ratio=50), "zip bomb"),
        (
            {"big.csv": b"Title\n" + b"a" * 3_000_000},
            ArchiveLimits(max_total_bytes=1_000_000),
            "allowance",
        ),
    ],
    ids=["entries", "dotdot", "absolute", "ratio", "total"],
)
def test_unsafe_archives_are_refused(
    files: dict[str, bytes], limits: ArchiveLimits, message: str
) -> None:
    with pytest.raises(FormatError, match=message):
        read_each(zipped(files), "x.zip", archive_limits=limits)


def test_archives_nested_too_deep_are_refused() -> None:
    data = zipped({"a.csv": b"Title\nx\n"})
    for _ in range(4):
        data = zipped({"inner.zip": data})
    with pytest.raises(FormatError, match="nests archives more than 3 deep"):
        read_each(data, "x.zip")


def test_an_archive_without_playlists_says_what_it_holds() -> None:
    with pytest.raises(FormatError, match="no playlist or library file"):
        read_each(zipped({"notes.txt": b""}), "x.zip")
