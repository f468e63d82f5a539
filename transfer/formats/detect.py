"""Which format a file is in, decided from its content; the file name only breaks ties.

People rename files ("export (1).txt"), and browsers send whatever name the file had, so the
first 64 KB of text decide: XML by its root element, JSON by the keys it uses, CSV by its
header, M3U by its directives or by lines that are paths. See README.md for the rules.
"""

from __future__ import annotations

import csv
import re

from transfer.formats.decoding import Source, peek_text
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.csvgeneric import (
    guess_mapping,
    is_own_header,
    normalise_header,
    sniff_delimiter,
)
from transfer.formats.readers.jsonstream import key_paths
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
    raise FormatError(
        f"This XML file's root element is <{root}>; only XSPF playlists and the iTunes or Apple "
        "Music Library.xml are read."
    )


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
    raise FormatError(
        "This JSON is not a playlist layout we know (JSPF, the Spotify data export's "
        "Playlist1.json or YourLibrary.json, or Spotify Web API playlist JSON)."
    )


def csv_format(header_line: str) -> str | None:
    """The CSV dialect a header line announces, or None if it is not a header we know."""
    header = next(csv.reader([header_line], delimiter=sniff_delimiter(header_line)), [])
    names = [normalise_header(name) for name in header]
    if not names:
        return None
    if names[0] == "playlist id" and ("channel id" in names or "time created" in names):
        return "youtube-takeout-legacy-csv"
    if "video id" in names and "song title" in names:
        return "youtube-music-library-csv"
    if ("track uri" in names or "spotify uri" in names) and "track name" in names:
        return "exportify-csv"
    if {"track name", "artist name", "playlist name"} <= set(names):
        return "tunemymusic-csv"
    if [name.strip() for name in header[:4]] == ["title", "artist", "album", "isrc"]:
        return "soundiiz-csv"
    guessed = guess_mapping(header)
    if "video id" in names and (guessed is None or guessed.title is None):
        return "youtube-takeout-csv"
    if is_own_header(header) or (guessed is not None and len(header) > 1):
        return "csv"
    return None


def _looks_like_locations(lines: list[str]) -> bool:
    entries = [line for line in lines if not line.startswith("#")]
    if not entries:
        return False
    hits = sum(1 for line in entries if _MEDIA.search(line) or _LOCATION.match(line))
    return hits >= 0.8 * len(entries)


def detect_format(
    data: Source, filename: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> str:
    """The format id (a key of FORMATS) of ``data``; ``FormatError`` if none fits."""
    head, _encoding = peek_text(data, limits=limits)
    text = head.lstrip("\ufeff \t\r\n")
    if not text.strip():
        raise FormatError("The file is empty.")
    extension = _extension(filename)
    if text.startswith("<"):
        return _xml_format(text)
    if text[0] in "{[":
        return _json_format(text, limits.max_depth)
    # The sample may end mid-line; leave that last line out unless it is the only one.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]
    if lines[0].upper().startswith(("#EXTM3U", "#EXTINF")):
        return "m3u"
    if lines[0].upper().startswith("#PLAYLIST:"):
        return "text"  # our text export; our M3U puts #EXTM3U first
    found = csv_format(lines[0])
    if found is not None:
        return found
    if extension in (".m3u", ".m3u8") or _looks_like_locations(lines):
        return "m3u"
    with_separator = sum(1 for line in lines if has_artist_title_separator(line))
    if with_separator * 2 >= len(lines):
        return "text"
    if extension == ".csv":
        return "csv"  # read_csv then says which columns it could not find
    if extension == ".txt" or with_separator:
        return "text"
    raise FormatError(
        "The file's format was not recognised. Supported: Exportify CSV, the Spotify data "
        "export (JSON), iTunes Library.xml, YouTube Takeout CSV, TuneMyMusic and Soundiiz CSV, "
        "any CSV with a header, M3U/M3U8, XSPF, JSPF and 'Artist - Title' text."
    )
