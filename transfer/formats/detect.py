"""Which format a file is in, decided from its content; the file name only breaks ties.

People rename files ("export (1).txt"), and browsers send whatever name the file had, so the
first 64 KB of text decide: XML by its root element, JSON by the keys it uses, CSV by its
header, M3U by its directives or by lines that are paths. See README.md for the rules.
"""

from __future__ import annotations

import csv
import re

from transfer.formats.archives import is_zip
from transfer.formats.decoding import Source, peek_text
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.apple import is_apple_playlist_header
from transfer.formats.readers.csvgeneric import (
    DELIMITERS,
    csv_records,
    guess_mapping,
    is_own_header,
    normalise_header,
    sniff_delimiter,
)
from transfer.formats.readers.exportify import is_exportify_header, looks_like_exportify_rows
from transfer.formats.readers.jsonstream import key_paths
from transfer.formats.readers.youtube import (
    is_playlist_block,
    is_takeout_library,
    is_takeout_playlist,
)
from transfer.formats.values import has_artist_title_separator

_XML_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_MEDIA = re.compile(
    r"\.(mp3|m4a|m4p|aac|flac|ogg|oga|opus|wav|wma|aif|aiff|alac|ape|mp4|webm|mka)$", re.I
)
_LOCATION = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://|[A-Za-z]:[\\/]|/|\\\\|\.{1,2}[\\/])")


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return "." + filename.rsplit(".", 1)[1].lower()


# The markup must begin a line, or follow a few stray characters on the first line.
_XML_START = re.compile(r"(?:^|\A[^\n<]{1,16})(<\?xml|<\?wpl|<plist|<playlist|<smil)", re.MULTILINE)


def xml_start(text: str) -> int | None:
    """Where the XML begins: 0, or after junk some tools put first (a stray byte, a log line)."""
    if text.startswith("<"):
        return 0
    found = _XML_START.search(text[:4096])
    return found.start(1) if found else None


def _xml_format(text: str) -> str:
    # Skip the declaration, comments and the DOCTYPE: the first real tag is the root.
    body = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", "", text, flags=re.S)
    match = _XML_ROOT.search(body)
    if match is None:
        raise FormatError("This XML file has no root element.")
    root = match.group(1).rsplit(":", 1)[-1]
    if root == "plist":
        return "itunes-xml"
    if root == "playlist":
        return "xspf"
    if root.lower() == "smil":
        return "wpl"
    raise FormatError(
        f"This XML file's root element is <{root}>; the XML playlists read are XSPF, Windows "
        "Media Player (.wpl) and the iTunes or Apple Music Library.xml."
    )


_LISTENING_HISTORY = {"item.endTime", "item.msPlayed", "item.ts", "item.ms_played"}


def _json_format(text: str, max_depth: int) -> str:
    paths = key_paths(text, max_depth=max_depth)
    if any(path == "playlist" or path.startswith("playlist.") for path in paths):
        return "jspf"
    if any(path.startswith("playlists.item.items") for path in paths):
        return "spotify-playlists-json"
    if any(path.startswith("playlists.item.tracks") for path in paths):
        return "spotify-api-json"
    library_keys = {"tracks.item.artist", "tracks.item.uri", "bannedTracks", "shows", "episodes"}
    if paths & library_keys and "tracks.item.track.name" not in paths:
        return "spotify-library-json"
    api_keys = ("tracks.items", "tracks.item.track.", "items.item.track", "items.item.added_at")
    if any(path.startswith(api_keys) for path in paths):
        return "spotify-api-json"
    if "playlists" in paths:
        return "spotify-playlists-json"
    if {"item.Container Type", "item.Playlist Item Identifiers"} & paths:
        return "apple-privacy-playlists-json"
    if {"item.Track Identifier", "item.Content Type", "item.Apple Music Track Identifier"} & paths:
        return "apple-privacy-json"
    if any(path.startswith("data.item.") for path in paths):
        return "soundiiz-json"
    if paths & _LISTENING_HISTORY:
        raise FormatError(
            "This is a listening history (Spotify's StreamingHistory or endsong file), not a "
            "playlist or library; upload Playlist1.json or YourLibrary.json instead."
        )
    top = sorted({path.split(".")[0] for path in paths if path})[:8]
    keys = f" (its keys: {', '.join(top)})" if top else ""
    raise FormatError(
        f"This JSON is not a playlist layout we know{keys}. JSON read: JSPF, the Spotify data "
        "export's Playlist1.json and YourLibrary.json, Spotify Web API playlists, Apple's "
        "privacy export (Apple Music Library Tracks.json) and Soundiiz JSON."
    )


def csv_format(rows: list[list[str]]) -> str | None:
    """The CSV dialect a header (and the rows after it) announces, or None if unknown."""
    if not rows:
        return None
    header, sample = rows[0], rows[1:]
    names = [normalise_header(name) for name in header]
    if not names:
        return None
    if is_playlist_block(rows):
        return "youtube-playlist-csv"
    if names[0] == "playlist id" and ("channel id" in names or "time created" in names):
        return "youtube-takeout-legacy-csv"
    if is_exportify_header(header) or looks_like_exportify_rows(sample):
        return "exportify-csv"
    if ("video id" in names and "song title" in names) or is_takeout_library(header, sample):
        return "youtube-music-library-csv"
    if {"track name", "artist name", "playlist name"} <= set(names):
        return "tunemymusic-csv"
    if [name.strip() for name in header[:4]] == ["title", "artist", "album", "isrc"]:
        return "soundiiz-csv"
    if is_apple_playlist_header(header):
        return "apple-playlist-txt"
    guessed = guess_mapping(header)
    if "video id" in names and (guessed is None or guessed.title is None):
        return "youtube-takeout-csv"
    if is_takeout_playlist(header, sample):
        return "youtube-takeout-csv"
    if is_own_header(header) or (guessed is not None and len(header) > 1):
        return "csv"
    return None


def _csv_rows(lines: list[str]) -> list[list[str]]:
    delimiter = sniff_delimiter(lines[0])
    try:
        records = csv_records(iter(line + "\n" for line in lines[:60]), delimiter, lambda *_: None)
        return [row for _line, row in records]
    except FormatError:
        return [next(csv.reader([lines[0]], delimiter=delimiter), [])]


def _looks_like_locations(lines: list[str]) -> bool:
    entries = [line for line in lines if not line.startswith("#")]
    if not entries:
        return False
    hits = sum(1 for line in entries if _MEDIA.search(line) or _LOCATION.match(line))
    return hits >= 0.8 * len(entries)


def _head_bytes(data: Source) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data[:4])
    if not data.seekable():
        return b""
    start = data.tell()
    head = data.read(4)
    data.seek(start)
    return head


def detect_format(
    data: Source, filename: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> str:
    """The format id (a key of FORMATS) of ``data``; ``FormatError`` if none fits."""
    if is_zip(_head_bytes(data)):
        return "zip"
    head, _encoding = peek_text(data, limits=limits)
    text = head.lstrip("\ufeff \t\r\n")
    if not text.strip():
        raise FormatError("The file is empty.")
    extension = _extension(filename)
    start = xml_start(text)
    if start is not None:
        return _xml_format(text[start:])
    if text[0] in "{[" and not text.lower().startswith("[playlist]"):
        return _json_format(text, limits.max_depth)
    # The sample may end mid-line; leave that last line out unless it is the only one.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]
    if lines[0].upper().startswith(("#EXTM3U", "#EXTINF")):
        return "m3u"
    if lines[0].upper().startswith("#PLAYLIST:"):
        return "text"  # our text export; our M3U puts #EXTM3U first
    if lines[0].lower() == "[playlist]" or extension == ".pls":
        return "pls"
    found = csv_format(_csv_rows(lines))
    if found is not None:
        return found
    if extension in (".m3u", ".m3u8") or _looks_like_locations(lines):
        return "m3u"
    with_separator = sum(1 for line in lines if has_artist_title_separator(line))
    if with_separator * 2 >= len(lines):
        return "text"
    if extension == ".csv" and not any(d in line for line in lines for d in DELIMITERS):
        return "text"  # a ".csv" of one value a line: a list of titles
    if extension == ".csv":
        return "csv"  # read_csv then says which columns it could not find
    if extension == ".txt" or with_separator:
        return "text"
    raise FormatError(
        "The file's format was not recognised. Supported: Exportify CSV, the Spotify data "
        "export (JSON), iTunes Library.xml, Apple's privacy export and Export Playlist text, "
        "YouTube Takeout CSV, TuneMyMusic and Soundiiz CSV or JSON, any CSV with a header, "
        "M3U/M3U8, PLS, WPL, XSPF, JSPF and 'Artist - Title' text, or a ZIP of these."
    )
