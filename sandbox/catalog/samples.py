"""Export files of other services, for the demo to import into the sandbox.

Each file is written the way its service writes it (column names, quoting, date formats) and
holds a mix of: songs the generated catalog has (Billboard hits present in every catalog of at
least 10,000 tracks, whatever the seed), tracks of the real Spotify and YouTube Music fixtures
(also in the catalog, the Spotify ones with their real ISRCs), the service's own spelling of
names ("Beyoncé", "feat." in the title, "- Remastered"), and a few tracks no catalog has.
Pure: ``build_samples`` returns file names and contents; the command writes them.
"""

from __future__ import annotations

import csv
import io
import json
import plistlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from xml.sax.saxutils import escape

from sandbox.catalog import sources
from sandbox.catalog.credits import CreditSplitter, join_names, known_solo_names
from sandbox.catalog.generate import CatalogGenerator
from sandbox.catalog.ids import stable_hash
from sandbox.catalog.records import ArtistRecord, TrackRecord

# How other services spell some names that the charts print without accents.
_SERVICE_SPELLING = {
    "Beyonce": "Beyoncé",
    "Michael Buble": "Michael Bublé",
    "Celine Dion": "Céline Dion",
    "Sinead O'Connor": "Sinéad O'Connor",
    "Bjork": "Björk",
    "Motley Crue": "Mötley Crüe",
    "Blue Oyster Cult": "Blue Öyster Cult",
    "Jose Feliciano": "José Feliciano",
    "Ricky Martin": "Ricky Martin",
}
# Tracks no catalog holds: the importer must report them as not found.
MISSING = (
    ("Velvet Thunder Over Lisbon", "The Imaginary Orchestra", "Songs Nobody Recorded", 214),
    ("Kitchen Floor Lullaby", "Mara Quill", "Paper Lanterns", 187),
    ("Last Tram To Nowhere", "Northbound Static", "Tramlines", 242),
)
SAMPLE_SEEDS = (0, 1, 2)
SAMPLE_SIZE = 10_000
_EPOCH = datetime(2024, 5, 4, 18, 30, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SampleTrack:
    """One song as another service lists it."""

    title: str
    artists: tuple[str, ...]
    album: str
    album_artist: str
    duration: int
    isrc: str
    explicit: bool
    release_date: str
    service_id: str


def _spelled(name: str) -> str:
    return _SERVICE_SPELLING.get(name, name)


def _clean_title(title: str) -> str:
    # Other services flag explicit content instead of writing it into the title.
    for suffix in (" [Explicit]", " [Clean]"):
        title = title.removesuffix(suffix)
    return title


def _stable_works() -> list[tuple[str, TrackRecord, tuple[str, ...]]]:
    """Original recordings of Billboard songs that every sample-sized catalog holds."""
    per_seed: list[dict[str, tuple[TrackRecord, tuple[str, ...]]]] = []
    for seed in SAMPLE_SEEDS:
        names: dict[int, str] = {}
        found: dict[str, tuple[TrackRecord, tuple[str, ...]]] = {}
        for record in CatalogGenerator(SAMPLE_SIZE, seed).records():
            if isinstance(record, ArtistRecord):
                names[record.id] = record.name
            elif (
                isinstance(record, TrackRecord)
                and record.version in ("", "explicit")
                and record.isrc_synthetic
                and record.work not in found
            ):
                found[record.work] = (record, tuple(names[i] for i in record.artist_ids))
        per_seed.append(found)
    common = set(per_seed[0]).intersection(*per_seed[1:])
    chosen = [(work, *per_seed[0][work]) for work in common]
    chosen.sort(key=lambda item: (-item[1].popularity, item[0]))
    return chosen


@cache
def _splitter() -> CreditSplitter:
    return CreditSplitter(
        known_solo_names(
            [s.credit for s in sources.chart_songs()]
            + [a.credit for a in sources.chart_albums()]
            + [r.artist for r in sources.classic_rock_songs()]
        )
    )


def _from_catalog(track: TrackRecord, artists: tuple[str, ...], rng: random.Random) -> SampleTrack:
    """The song as a streaming service lists it: guests in the title and in the artist list,
    whichever way this catalog happens to print it."""
    credit, _, chart_title = track.work.partition("\x1f")
    split = _splitter().split(credit)
    title = _clean_title(chart_title)
    if split.featured and "feat" not in title.lower():
        title = f"{title} (feat. {join_names(split.featured)})"
    names = tuple(_spelled(n) for n in (split.artists or artists))
    return SampleTrack(
        title=title,
        artists=names,
        album=_clean_title(track.album_title),
        album_artist=names[0],
        duration=track.duration + rng.choice((0, 0, 1, -1)),
        isrc=track.isrc,
        explicit=track.explicit,
        release_date=track.release_date.isoformat() if track.release_date else "",
        service_id=f"{stable_hash(track.work) % 10**22:022d}",
    )


def _fixture_tracks() -> list[SampleTrack]:
    tracks = []
    for fixture in sources.spotify_fixture() + sources.ytmusic_fixture():
        tracks.append(
            SampleTrack(
                title=fixture.title,
                artists=tuple(
                    a.strip() for a in re.split(r",\s*(?:&\s*)?", fixture.artists) if a.strip()
                ),
                album=fixture.album,
                album_artist=fixture.album_artists,
                duration=(fixture.duration_ms or 0) // 1000,
                isrc=fixture.isrc,
                explicit=fixture.explicit,
                release_date=fixture.release_date,
                service_id=fixture.service_id,
            )
        )
    return tracks


def _missing() -> list[SampleTrack]:
    return [
        SampleTrack(title, (artist,), album, artist, seconds, "", False, "2019-06-07", "")
        for title, artist, album, seconds in MISSING
    ]


def _csv(rows: Iterable[Iterable[object]], bom: bool = False, quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n"
    )
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def exportify_csv(tracks: list[SampleTrack]) -> str:
    header: list[object] = [
        "Track URI",
        "Track Name",
        "Artist URI(s)",
        "Artist Name(s)",
        "Album URI",
        "Album Name",
        "Album Artist URI(s)",
        "Album Artist Name(s)",
        "Album Release Date",
        "Album Image URL",
        "Disc Number",
        "Track Number",
        "Track Duration (ms)",
        "Track Preview URL",
        "Explicit",
        "Popularity",
        "ISRC",
        "Added By",
        "Added At",
    ]
    rows: list[list[object]] = [header]
    for number, track in enumerate(tracks):
        uri = f"spotify:track:{_spotify_id(track)}"
        rows.append(
            [
                uri,
                track.title,
                ",".join(f"spotify:artist:{_spotify_id(track, a)}" for a in track.artists),
                ",".join(track.artists),
                f"spotify:album:{_spotify_id(track, track.album)}",
                track.album,
                f"spotify:artist:{_spotify_id(track, track.album_artist)}",
                track.album_artist,
                track.release_date,
                f"https://i.scdn.co/image/ab67616d0000b273{stable_hash(track.album):016x}"
                f"{stable_hash(track.album_artist):08x}"[:64],
                1,
                1 + number % 12,
                track.duration * 1000 + number % 997,
                "",
                "true" if track.explicit else "false",
                40 + stable_hash(track.title) % 50,
                track.isrc,
                "spotify:user:alice.demo",
                (_EPOCH + timedelta(hours=number * 5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            ]
        )
    return _csv(rows, quote_all=True)


def _spotify_id(track: SampleTrack, salt: str = "") -> str:
    if not salt and len(track.service_id) == 22 and not track.service_id.isdigit():
        return track.service_id
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    number = stable_hash(f"{track.title}:{track.artists}:{salt}") * 2**64 + stable_hash(salt)
    chars = []
    for _ in range(22):
        number, index = divmod(number, 62)
        chars.append(alphabet[index])
    return "".join(chars)


def spotify_account_json(playlists: list[tuple[str, list[SampleTrack]]]) -> str:
    """``Playlist1.json`` from Spotify's "Download your data" account export."""
    items_by_playlist = []
    for index, (name, tracks) in enumerate(playlists):
        items: list[dict[str, object]] = [
            {
                "track": {
                    "trackName": t.title,
                    "artistName": t.artists[0],
                    "albumName": t.album,
                    "trackUri": f"spotify:track:{_spotify_id(t)}",
                },
                "episode": None,
                "audiobook": None,
                "localTrack": None,
                "addedDate": (_EPOCH + timedelta(days=number)).date().isoformat(),
            }
            for number, t in enumerate(tracks)
        ]
        if index == 0:
            # Account exports mix in podcast episodes and local files; importers must skip them.
            items.insert(
                3,
                {
                    "track": None,
                    "episode": {
                        "episodeName": "Why Chart Hits Got Shorter",
                        "showName": "The Daily Groove",
                        "episodeUri": "spotify:episode:4rOoJ6Egrf8K2IrywzwOMk",
                    },
                    "audiobook": None,
                    "localTrack": None,
                    "addedDate": "2024-05-06",
                },
            )
            items.append(
                {
                    "track": None,
                    "episode": None,
                    "audiobook": None,
                    "localTrack": {"uri": "spotify:local:Unknown+Artist::Voice+Memo+12:94"},
                    "addedDate": "2024-06-01",
                }
            )
        items_by_playlist.append(
            {
                "name": name,
                "lastModifiedDate": (_EPOCH + timedelta(days=40 + index)).date().isoformat(),
                "items": items,
                "description": None if index else "Windows down, volume up.",
                "numberOfFollowers": index * 3,
            }
        )
    return json.dumps({"playlists": items_by_playlist}, indent=2, ensure_ascii=False) + "\n"


def itunes_library_xml(library: list[SampleTrack], playlists: list[tuple[str, list[int]]]) -> str:
    """An iTunes/Music ``Library.xml`` property list with a few playlists."""
    tracks: dict[str, dict[str, object]] = {}
    for number, t in enumerate(library):
        track_id = 1001 + 2 * number
        entry: dict[str, object] = {
            "Track ID": track_id,
            "Name": t.title,
            "Artist": _credit(t, " & "),
            "Album Artist": t.album_artist,
            "Album": t.album,
            "Kind": "Apple Music AAC audio file",
            "Size": 7_000_000 + t.duration * 1000,
            "Total Time": t.duration * 1000 + 317,
            "Disc Number": 1,
            "Track Number": 1 + number % 11,
            "Date Modified": (_EPOCH - timedelta(days=200 - number)).replace(tzinfo=None),
            "Date Added": (_EPOCH - timedelta(days=300 - number)).replace(tzinfo=None),
            "Play Count": 3 + stable_hash(t.title) % 40,
            "Persistent ID": f"{stable_hash(t.title + t.album):016X}",
            "Track Type": "Remote",
            "Apple Music": True,
        }
        if t.release_date[:4].isdigit():
            entry["Year"] = int(t.release_date[:4])
        if t.explicit:
            entry["Explicit"] = True
        tracks[str(track_id)] = entry
    plist_playlists: list[dict[str, object]] = [
        {
            "Name": "Library",
            "Description": "",
            "Master": True,
            "Playlist ID": 2001,
            "Playlist Persistent ID": "5A1B3C9D7E0F2468",
            "Visible": False,
            "All Items": True,
            "Playlist Items": [{"Track ID": 1001 + 2 * n} for n in range(len(library))],
        },
        {
            "Name": "Music",
            "Description": "",
            "Playlist ID": 2004,
            "Playlist Persistent ID": "0F1E2D3C4B5A6978",
            "Distinguished Kind": 4,
            "Music": True,
            "All Items": True,
            "Playlist Items": [{"Track ID": 1001 + 2 * n} for n in range(len(library))],
        },
    ]
    for index, (name, members) in enumerate(playlists):
        plist_playlists.append(
            {
                "Name": name,
                "Description": "",
                "Playlist ID": 2100 + index,
                "Playlist Persistent ID": f"{stable_hash(name):016X}",
                "All Items": True,
                "Playlist Items": [{"Track ID": 1001 + 2 * n} for n in members],
            }
        )
    library_plist = {
        "Major Version": 1,
        "Minor Version": 1,
        "Application Version": "1.4.5.7",
        "Date": _EPOCH.replace(tzinfo=None),
        "Features": 5,
        "Show Content Ratings": True,
        "Library Persistent ID": "D1E2A3D4B5E6E7F8",
        "Music Folder": "file:///Users/alice/Music/Music/Media.localized/",
        "Tracks": tracks,
        "Playlists": plist_playlists,
    }
    text = plistlib.dumps(library_plist, fmt=plistlib.FMT_XML, sort_keys=False).decode()
    return text.replace("-//Apple//DTD PLIST 1.0//EN", "-//Apple Computer//DTD PLIST 1.0//EN")


def youtube_takeout_csv(video_ids: list[str]) -> str:
    """``playlists/<name>-videos.csv`` from Google Takeout (the format since 2023)."""
    rows: list[list[object]] = [["Video ID", "Playlist Video Creation Timestamp"]]
    for number, video_id in enumerate(video_ids):
        stamp = _EPOCH + timedelta(minutes=97 * number, seconds=number % 60)
        rows.append([video_id, stamp.isoformat()])
    return _csv(rows)


def youtube_takeout_legacy_csv(title: str, video_ids: list[str]) -> str:
    """The older Takeout playlist file: a playlist block, a blank line, then the videos."""
    created = _EPOCH - timedelta(days=700)
    lines = [
        [
            "Playlist Id",
            "Channel Id",
            "Time Created",
            "Time Updated",
            "Title",
            "Description",
            "Visibility",
        ],
        [
            "PLx7ZbT1pA5iZ3vV9W3eEw8cX0qL2nKk1Q",
            "UC4m1vV2xQxVwYy0E2bB8n3A",
            created.strftime("%Y-%m-%d %H:%M:%S UTC"),
            _EPOCH.strftime("%Y-%m-%d %H:%M:%S UTC"),
            title,
            "",
            "Private",
        ],
        [],
        ["Video Id", "Time Added"],
    ]
    for number, video_id in enumerate(video_ids):
        added = created + timedelta(days=3 * number, minutes=number)
        lines.append([video_id, added.strftime("%Y-%m-%d %H:%M:%S UTC")])
    return _csv(lines)


def tunemymusic_csv(groups: list[tuple[str, str, list[SampleTrack]]]) -> str:
    """A TuneMyMusic export: several playlists (and favourites) in one file, with a BOM."""
    rows: list[list[object]] = [
        ["Track name", "Artist name", "Album", "Playlist name", "Type", "ISRC", "Spotify - id"]
    ]
    for playlist, kind, tracks in groups:
        for t in tracks:
            rows.append(
                [t.title, ", ".join(t.artists), t.album, playlist, kind, t.isrc, _spotify_id(t)]
            )
    return _csv(rows, bom=True, quote_all=True)


def _credit(track: SampleTrack, joiner: str) -> str:
    # Players that write one artist field name the guests only once, in the title.
    if "feat" in track.title.lower():
        return track.artists[0]
    return joiner.join(track.artists)


def m3u8(name: str, tracks: list[SampleTrack]) -> str:
    lines = ["#EXTM3U", f"#PLAYLIST:{name}"]
    for number, t in enumerate(tracks, start=1):
        artist = _credit(t, ", ")
        lines.append(f"#EXTINF:{t.duration},{artist} - {t.title}")
        lines.append(f"Music/{t.album_artist}/{t.album}/{number:02d} {t.title}.m4a")
    return "\n".join(lines) + "\n"


def xspf(name: str, tracks: list[SampleTrack]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
        f"  <title>{escape(name)}</title>",
        "  <creator>Alice</creator>",
        "  <trackList>",
    ]
    for t in tracks:
        lines += [
            "    <track>",
            f"      <location>file:///home/alice/Music/{escape(t.album_artist)}/"
            f"{escape(t.title)}.flac</location>",
            f"      <title>{escape(t.title)}</title>",
            f"      <creator>{escape(_credit(t, ', '))}</creator>",
            f"      <album>{escape(t.album)}</album>",
            f"      <duration>{t.duration * 1000}</duration>",
            "    </track>",
        ]
    lines += ["  </trackList>", "</playlist>"]
    return "\n".join(lines) + "\n"


def plain_text(tracks: list[SampleTrack]) -> str:
    return "".join(f"{_credit(t, ' & ')} - {t.title}\n" for t in tracks)


def build_samples() -> dict[str, str]:
    """File name -> contents of every sample file."""
    rng = random.Random(20_240_504)
    works = _stable_works()
    catalog = [_from_catalog(track, names, rng) for _, track, names in works[:160]]
    fixtures = _fixture_tracks()
    spotify_real = [t for t in fixtures if t.isrc]
    youtube_real = [t for t in fixtures if not t.isrc]
    missing = _missing()

    def mix(count: int, real: list[SampleTrack], real_count: int, offset: int) -> list[SampleTrack]:
        picked = catalog[offset : offset + count] + real[:real_count] + missing[:1]
        rng.shuffle(picked)
        return picked

    road_trip = mix(22, spotify_real, 6, 0)
    road_trip.append(road_trip[4])  # playlists can hold a song twice
    files = {
        "exportify_road_trip.csv": exportify_csv(road_trip),
        "spotify_Playlist1.json": spotify_account_json(
            [("Summer Hits", mix(16, spotify_real[6:], 3, 22)), ("Evening", catalog[38:48])]
        ),
    }
    library = mix(28, spotify_real[9:], 4, 48)
    files["itunes_Library.xml"] = itunes_library_xml(
        library, [("Workout Mix", list(range(0, 28, 2))), ("Favourites", [3, 7, 11, 19, 23])]
    )
    video_ids = [t.service_id for t in youtube_real[:40]]
    files["youtube_music_takeout_liked-videos.csv"] = youtube_takeout_csv(video_ids)
    files["youtube_music_takeout_legacy.csv"] = youtube_takeout_legacy_csv(
        "Throwbacks", video_ids[10:30]
    )
    files["tunemymusic_export.csv"] = tunemymusic_csv(
        [
            ("Favorite Songs", "Favorite", mix(10, youtube_real[40:], 3, 80)),
            ("Gym", "Playlist", mix(12, spotify_real[13:], 2, 90)),
        ]
    )
    files["road_trip.m3u8"] = m3u8("Road Trip", mix(14, youtube_real[60:], 2, 102))
    files["late_night.xspf"] = xspf("Late Night", mix(12, spotify_real[15:], 2, 116))
    files["artist_title.txt"] = plain_text(mix(20, youtube_real[80:], 3, 128))
    return files
