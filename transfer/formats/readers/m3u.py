"""M3U and M3U8 playlists: extended (``#EXTM3U`` with ``#EXTINF:seconds,Artist - Title``) and
plain (one path or URL per line).

Directives read: ``#EXTINF`` (duration; IPTV-style key="value" attributes are skipped),
``#PLAYLIST:`` (the name), ``#EXTALB:`` (album) and ``#EXTART:`` (album artist). Other lines
starting with "#" are comments. An entry without an ``#EXTINF`` title is named from its file
name, "Artist - Title.mp3" or "01 - Artist - Title.flac". The location is kept as the
track's ``source_id``. An ``#EXTINF`` with no location line after it (our own export of tracks
that have no id) is still a track.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PureWindowsPath
from urllib.parse import unquote, urlsplit

from transfer.formats.collect import Collector, name_from_filename
from transfer.formats.decoding import (
    FALLBACK_ENCODINGS,
    Source,
    fallback_warning,
    limited_lines,
    open_text,
)
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.order import Pair
from transfer.formats.readers.text import orient
from transfer.formats.records import ParseResult, PlaylistRecord, TrackRecord
from transfer.formats.values import split_artist_title

_EXTINF = re.compile(
    r"^#EXTINF:\s*(?P<duration>[-+]?\d+(?:\.\d+)?)?"
    r"(?P<attributes>(?:\s+[\w-]+=(?:\"[^\"]*\"|\S+))*)\s*,(?P<text>.*)$",
    re.IGNORECASE,
)
# "01 - ", "01. ", "1.": a track number before the name. Not "99 Luftballons".
_TRACK_NUMBER = re.compile(r"^(?P<number>\d{1,3})(?:\s*\.\s*|\s*-\s+)(?P<rest>\S.*)$")
# "01 Title": a zero-padded number and a space, as rippers name files. Not "99 Luftballons".
_PADDED_NUMBER = re.compile(r"^(?P<number>0\d{1,2})\s+(?P<rest>\S.*)$")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


@dataclass(frozen=True, slots=True)
class _Info:
    line: int
    text: str
    duration_ms: int | None
    album: str = ""
    album_artist: str = ""


def location_name(location: str) -> str:
    """The file name's stem a location suggests, or "" for an id-like URI."""
    path = location
    if _URI_SCHEME.match(location) and not re.match(r"^[A-Za-z]:[\\/]", location):
        parts = urlsplit(location)
        if parts.scheme.lower() != "file" and not location[len(parts.scheme) + 1 :].startswith(
            "//"
        ):
            return ""  # spotify:track:..., urn:...: an id, not a name
        path = unquote(parts.path)
        name = PureWindowsPath(path).name
        if parts.scheme.lower() != "file" and not _EXTENSION.search(name):
            return ""  # https://www.youtube.com/watch?v=...: nothing to read
    name = PureWindowsPath(path).name
    return _EXTENSION.sub("", name).strip()


_LEADING_NUMBER = re.compile(r"^(\d{1,3})\s+(?=\S)")


def strip_track_numbers(playlist: PlaylistRecord) -> None:
    """Drop "12 " from titles when nearly every file name of the playlist starts so.

    One file called "99 Luftballons" keeps its number; a folder of "01 Intro", "02 Song"...
    (numbered without zero-padding past 9) are track numbers.
    """
    tracks = playlist.tracks
    numbered = [
        track.track_number is not None or bool(_LEADING_NUMBER.match(track.title))
        for track in tracks
    ]
    if len(tracks) < 3 or sum(numbered) < 0.8 * len(tracks):
        return
    for index, track in enumerate(tracks):
        found = _LEADING_NUMBER.match(track.title)
        if found and not track.artists:
            playlist.tracks[index] = replace(
                track,
                title=track.title[found.end() :],
                track_number=track.track_number or int(found.group(1)),
            )


def names_from_text(text: str) -> tuple[str, tuple[str, ...], int | None]:
    """(title, artists, track number) from "Artist - Title" or "01 - Artist - Title"."""
    number: int | None = None
    numbered = _TRACK_NUMBER.match(text) or _PADDED_NUMBER.match(text)
    if numbered:
        number, text = int(numbered["number"]), numbered["rest"]
    pair = split_artist_title(text)
    if pair is None:
        return text.strip(), (), number
    artist, title = pair
    return title, (artist,), number


def _extinf(line: str, number: int, collector: Collector) -> _Info:
    match = _EXTINF.match(line)
    if match is None:
        collector.warn("This #EXTINF line is not '#EXTINF:seconds,Artist - Title'.", number)
        text = line.split(",", 1)[1] if "," in line else ""
        return _Info(number, text.strip(), None)
    duration_ms: int | None = None
    if match["duration"]:
        seconds = float(match["duration"])
        # -1 (and 0) are how M3U says "unknown"; streams use them.
        duration_ms = round(seconds * 1000) if seconds > 0 else None
    return _Info(number, match["text"].strip(), duration_ms)


def _track(info: _Info | None, location: str, line: int) -> TrackRecord | None:
    title: str
    artists: tuple[str, ...]
    track_number: int | None
    if info is not None and info.text:
        # An #EXTINF title wins; it is "Artist - Title", never a numbered file name.
        pair = split_artist_title(info.text)
        title, artists, track_number = (
            (pair[1], (pair[0],), None) if pair else (info.text, (), None)
        )
    else:
        name = location_name(location)
        title, artists, track_number = names_from_text(name) if name else ("", (), None)
    if not title and not location:
        return None
    return TrackRecord(
        title=title,
        artists=artists,
        album=info.album if info is not None else "",
        album_artists=(info.album_artist,) if info is not None and info.album_artist else (),
        duration_ms=info.duration_ms if info is not None else None,
        track_number=track_number,
        source_id=location,
        line=info.line if info is not None else line,
    )


def read_m3u(
    source: Source, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    collector = Collector("m3u", limits)
    playlist: PlaylistRecord = collector.new_playlist(name_from_filename(filename))
    pending: _Info | None = None
    seen_anything = False
    pairs: list[Pair] = []
    split_at: dict[int, list[int]] = {}
    known_artists: set[str] = set()
    ours = False  # a "#PLAYLIST:" line: written by this app, or a tool as careful

    def add(track: TrackRecord | None, line: int, location: str = "") -> None:
        if track is None:
            collector.warn("This entry has no title and no location; it was skipped.", line)
            return
        if track.artists and len(track.artists) == 1:
            # Every artist here came from splitting "A - B" text; the order is decided later.
            pairs.append(Pair(track.artists[0], track.title, location))
            split_at.setdefault(id(playlist), []).append(len(playlist.tracks))
        if track.album_artists:
            known_artists.update(track.album_artists)
        collector.add_track(playlist, track)

    with open_text(source, limits=limits) as decoded:
        if decoded.encoding in FALLBACK_ENCODINGS:
            collector.warn(fallback_warning(decoded.encoding))
        for number, raw in enumerate(limited_lines(decoded.stream, limits), start=1):
            line = raw.strip()
            if not line:
                continue
            seen_anything = True
            if not line.startswith("#"):
                add(_track(pending, line, number), number, line)
                pending = None
                continue
            directive, _, value = line.partition(":")
            directive = directive.upper()
            if directive == "#EXTINF":
                if pending is not None:
                    add(_track(pending, "", pending.line), pending.line)
                pending = _extinf(line, number, collector)
            elif directive == "#PLAYLIST" and value.strip():
                playlist.name = value.strip()
                ours = True
            elif directive == "#EXTALB" and pending is not None:
                pending = replace(pending, album=value.strip())
            elif directive == "#EXTART" and pending is not None:
                pending = replace(pending, album_artist=value.strip())
    if pending is not None:
        add(_track(pending, "", pending.line), pending.line)
    if not seen_anything:
        raise FormatError("The file is empty.")
    if not ours:
        orient(collector, pairs, split_at, known_artists)
    return collector.result()
