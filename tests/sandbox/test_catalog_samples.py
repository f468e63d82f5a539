"""The committed export files of other services: current, well-formed, and importable."""

from __future__ import annotations

import csv
import io
import json
import plistlib
import re
from pathlib import Path

import pytest
from defusedxml import ElementTree

from sandbox.catalog.generate import CatalogGenerator
from sandbox.catalog.records import TrackRecord
from sandbox.catalog.samples import MISSING, build_samples

SAMPLES = Path(__file__).resolve().parents[2] / "sandbox" / "data" / "samples"


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    return build_samples()


def _rows(name: str) -> list[dict[str, str]]:
    text = (SAMPLES / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_committed_files_are_what_the_generator_writes(built):
    committed = {p.name for p in SAMPLES.iterdir() if p.is_file()}
    assert committed == set(built)
    for name, text in built.items():
        assert (SAMPLES / name).read_text(encoding="utf-8") == text, name


def test_exportify_has_its_columns_and_isrcs():
    rows = _rows("exportify_road_trip.csv")
    assert list(rows[0])[:4] == ["Track URI", "Track Name", "Artist URI(s)", "Artist Name(s)"]
    assert "ISRC" in rows[0]
    assert all(r["Track URI"].startswith("spotify:track:") for r in rows)
    assert sum(bool(r["ISRC"]) for r in rows) >= len(rows) - 2
    assert len({r["Track URI"] for r in rows}) < len(rows)  # one song is in it twice


def test_the_spotify_account_export_mixes_in_episodes_and_local_files():
    playlists = json.loads((SAMPLES / "spotify_Playlist1.json").read_text())["playlists"]
    assert [p["name"] for p in playlists] == ["Summer Hits", "Evening"]
    items = playlists[0]["items"]
    assert any(i["episode"] for i in items)
    assert any(i["localTrack"] for i in items)
    assert {"trackName", "artistName", "albumName", "trackUri"} <= set(items[0]["track"])


def test_the_itunes_library_is_a_property_list_with_playlists():
    library = plistlib.loads((SAMPLES / "itunes_Library.xml").read_bytes())
    names = [p["Name"] for p in library["Playlists"]]
    assert names[:2] == ["Library", "Music"]
    assert "Workout Mix" in names
    workout = next(p for p in library["Playlists"] if p["Name"] == "Workout Mix")
    for item in workout["Playlist Items"]:
        track = library["Tracks"][str(item["Track ID"])]
        assert track["Name"]
        assert track["Artist"]
        assert track["Total Time"] > 0


def test_youtube_takeout_files_hold_video_ids():
    current = _rows("youtube_music_takeout_liked-videos.csv")
    assert list(current[0]) == ["Video ID", "Playlist Video Creation Timestamp"]
    assert all(len(r["Video ID"]) == 11 for r in current)
    legacy = (SAMPLES / "youtube_music_takeout_legacy.csv").read_text().splitlines()
    assert legacy[0].startswith("Playlist Id,Channel Id")
    assert legacy[3] == "Video Id,Time Added"


def test_tunemymusic_m3u8_xspf_and_text():
    rows = _rows("tunemymusic_export.csv")
    assert list(rows[0]) == [
        "Track name", "Artist name", "Album", "Playlist name", "Type", "ISRC", "Spotify - id"
    ]  # fmt: skip
    assert {r["Playlist name"] for r in rows} == {"Favorite Songs", "Gym"}
    m3u = (SAMPLES / "road_trip.m3u8").read_text().splitlines()
    assert m3u[0] == "#EXTM3U"
    assert sum(line.startswith("#EXTINF:") for line in m3u) == 17
    root = ElementTree.fromstring((SAMPLES / "late_night.xspf").read_bytes())
    tracks = root.findall(".//{http://xspf.org/ns/0/}track")
    assert len(tracks) == 15
    lines = (SAMPLES / "artist_title.txt").read_text().splitlines()
    assert all(" - " in line for line in lines)


def _song(title: str) -> str:
    # The catalog prints a guest in the title or in the credit, depending on the seed.
    return re.sub(r" [(\[]feat\. [^)\]]*[)\]]| \[(Explicit|Clean)\]", "", title)


def test_chart_songs_in_the_samples_exist_in_catalogs_of_any_seed():
    titles = {
        _song(r.title)
        for r in CatalogGenerator(10_000, seed=7).records()
        if isinstance(r, TrackRecord)
    }
    exported = [_song(r["Track Name"]) for r in _rows("exportify_road_trip.csv")]
    missing = {title for title, *_ in MISSING}
    absent = [t for t in exported if t not in titles and t not in missing]
    assert absent == []
    assert any(t in missing for t in exported)
