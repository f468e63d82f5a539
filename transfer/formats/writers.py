"""Writing playlists to files: our CSV, Exportify-compatible CSV, M3U8, XSPF, JSPF and text.

Each writer's output reads back through our own reader to the same tracks in the same order,
for the fields that format carries (see README.md; the round-trip tests check exactly those).
Line-based formats (M3U8, text) cannot hold a line break inside a field, so breaks become
spaces. XSPF cannot hold characters XML 1.0 forbids (most control characters), so those are
dropped.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from transfer.formats.readers.csvgeneric import OWN_ARTIST_SEPARATOR, OWN_COLUMNS
from transfer.formats.readers.spotify import EXPORTIFY_ARTIST_SEPARATOR
from transfer.formats.readers.text import PLAYLIST_DIRECTIVE
from transfer.formats.readers.xspf import XSPF_NAMESPACE
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.formats.spreadsheet import neutralise
from transfer.formats.values import join_escaped

Playlists = PlaylistRecord | Sequence[PlaylistRecord]

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


def _flag(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _csv_bytes(rows: Sequence[Sequence[str]], *, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    # Excel only opens UTF-8 CSV as UTF-8 when it starts with a byte order mark.
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def write_csv(playlists: Sequence[PlaylistRecord]) -> bytes:
    """Our CSV: the OWN_COLUMNS header, one row per track, several playlists in one file."""
    rows: list[list[str]] = [list(OWN_COLUMNS)]
    for playlist in playlists:
        for track in playlist.tracks:
            rows.append(
                [
                    playlist.name,
                    track.title,
                    join_escaped(track.artists, OWN_ARTIST_SEPARATOR, OWN_ARTIST_SEPARATOR + " "),
                    track.album,
                    join_escaped(
                        track.album_artists, OWN_ARTIST_SEPARATOR, OWN_ARTIST_SEPARATOR + " "
                    ),
                    _number(track.duration_ms),
                    track.isrc,
                    _flag(track.explicit),
                    _number(track.track_number),
                    track.release_date,
                    track.source_id,
                    track.added_at,
                ]
            )
    return _csv_bytes(rows, bom=True)


EXPORTIFY_COLUMNS = (
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
)


def write_exportify(playlist: PlaylistRecord) -> bytes:
    """Exportify's 2020-2023 columns; the ones we have no data for stay empty."""
    rows: list[list[str]] = [list(EXPORTIFY_COLUMNS)]
    for track in playlist.tracks:
        values = {
            "Track URI": track.source_id,
            "Track Name": track.title,
            "Artist Name(s)": join_escaped(track.artists, EXPORTIFY_ARTIST_SEPARATOR, also=";"),
            "Album Name": track.album,
            "Album Artist Name(s)": join_escaped(
                track.album_artists, EXPORTIFY_ARTIST_SEPARATOR, also=";"
            ),
            "Album Release Date": track.release_date,
            "Track Number": _number(track.track_number),
            "Track Duration (ms)": _number(track.duration_ms),
            "Explicit": _flag(track.explicit),
            "ISRC": track.isrc,
            "Added At": track.added_at,
        }
        rows.append([values.get(column, "") for column in EXPORTIFY_COLUMNS])
    return _csv_bytes(rows, bom=False)


def _artist_title(track: TrackRecord) -> str:
    title = one_line(track.title)
    artist = one_line(track.artist_text)
    return f"{artist} - {title}" if artist else title


def write_m3u(playlist: PlaylistRecord) -> bytes:
    """Extended M3U in UTF-8 (M3U8); a track without a source id gets no location line."""
    lines = ["#EXTM3U", f"#PLAYLIST:{one_line(playlist.name)}"]
    for track in playlist.tracks:
        seconds = round(track.duration_ms / 1000) if track.duration_ms else -1
        lines.append(f"#EXTINF:{seconds},{_artist_title(track)}")
        if track.album:
            lines.append(f"#EXTALB:{one_line(track.album)}")
        if track.album_artists:
            lines.append(f"#EXTART:{one_line(', '.join(track.album_artists))}")
        if track.source_id:
            lines.append(one_line(track.source_id))
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_text(playlists: Sequence[PlaylistRecord]) -> bytes:
    """ "Artist - Title" lines under a "#PLAYLIST:Name" line per playlist."""
    blocks = []
    for playlist in playlists:
        lines = [f"{PLAYLIST_DIRECTIVE}{one_line(playlist.name)}"]
        lines.extend(_artist_title(track) for track in playlist.tracks)
        blocks.append("\n".join(lines))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def write_xspf(playlist: PlaylistRecord) -> bytes:
    ET.register_namespace("", XSPF_NAMESPACE)

    def sub(parent: ET.Element, tag: str, text: str) -> None:
        if text:
            ET.SubElement(parent, f"{{{XSPF_NAMESPACE}}}{tag}").text = _xml_text(text)

    root = ET.Element(f"{{{XSPF_NAMESPACE}}}playlist", {"version": "1"})
    sub(root, "title", playlist.name)
    sub(root, "annotation", playlist.description)
    sub(root, "identifier", playlist.source_id)
    track_list = ET.SubElement(root, f"{{{XSPF_NAMESPACE}}}trackList")
    for track in playlist.tracks:
        element = ET.SubElement(track_list, f"{{{XSPF_NAMESPACE}}}track")
        # Element order follows the XSPF spec.
        sub(element, "identifier", track.source_id)
        sub(element, "identifier", f"urn:isrc:{track.isrc}" if track.isrc else "")
        sub(element, "title", track.title)
        sub(element, "creator", track.artist_text)
        sub(element, "album", track.album)
        sub(element, "trackNum", _number(track.track_number))
        sub(element, "duration", _number(track.duration_ms))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    out = io.BytesIO()
    tree.write(out, encoding="UTF-8", xml_declaration=True)
    return out.getvalue() + b"\n"


def write_jspf(playlist: PlaylistRecord) -> bytes:
    tracks: list[dict[str, Any]] = []
    for track in playlist.tracks:
        entry: dict[str, Any] = {"title": track.title}
        if track.artists:
            entry["creator"] = track.artist_text
        if track.album:
            entry["album"] = track.album
        if track.track_number is not None:
            entry["trackNum"] = track.track_number
        if track.duration_ms is not None:
            entry["duration"] = track.duration_ms
        identifiers = [track.source_id] if track.source_id else []
        if track.isrc:
            identifiers.append(f"urn:isrc:{track.isrc}")
        if identifiers:
            entry["identifier"] = identifiers
        tracks.append(entry)
    body: dict[str, Any] = {"title": playlist.name}
    if playlist.description:
        body["annotation"] = playlist.description
    if playlist.source_id:
        body["identifier"] = playlist.source_id
    body["track"] = tracks
    return (json.dumps({"playlist": body}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class WriterInfo:
    extension: str
    media_type: str
    # False: one playlist per file; several go through write_zip.
    many_playlists: bool
    write: Callable[[Sequence[PlaylistRecord]], bytes]


def _single(
    writer: Callable[[PlaylistRecord], bytes],
) -> Callable[[Sequence[PlaylistRecord]], bytes]:
    def write_one(playlists: Sequence[PlaylistRecord]) -> bytes:
        return writer(playlists[0])

    return write_one


WRITERS: dict[str, WriterInfo] = {
    "csv": WriterInfo(".csv", "text/csv; charset=utf-8", True, write_csv),
    "exportify-csv": WriterInfo(".csv", "text/csv; charset=utf-8", False, _single(write_exportify)),
    "m3u": WriterInfo(".m3u8", "audio/x-mpegurl; charset=utf-8", False, _single(write_m3u)),
    "xspf": WriterInfo(".xspf", "application/xspf+xml", False, _single(write_xspf)),
    "jspf": WriterInfo(".jspf", "application/json", False, _single(write_jspf)),
    "text": WriterInfo(".txt", "text/plain; charset=utf-8", True, write_text),
}


def _as_list(playlists: Playlists) -> list[PlaylistRecord]:
    return [playlists] if isinstance(playlists, PlaylistRecord) else list(playlists)


def _writer(format_id: str) -> WriterInfo:
    try:
        return WRITERS[format_id]
    except KeyError:
        known = ", ".join(WRITERS)
        raise ValueError(f"Cannot write {format_id!r}; the formats written are {known}.") from None


def write(format_id: str, playlists: Playlists) -> bytes:
    """One file of ``format_id``. Formats holding one playlist refuse several: see write_zip."""
    info = _writer(format_id)
    items = _as_list(playlists)
    if not items:
        raise ValueError("There is no playlist to write.")
    if len(items) > 1 and not info.many_playlists:
        raise ValueError(
            f"{format_id} holds one playlist per file; use write_zip for {len(items)} playlists."
        )
    return info.write(items)


_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def filename_for(format_id: str, playlist_name: str) -> str:
    """A file name safe on every common file system: "Road Trip.m3u8"."""
    stem = _UNSAFE_FILENAME.sub("_", playlist_name).strip(" .")[:100] or "playlist"
    return stem + _writer(format_id).extension


def write_zip(format_id: str, playlists: Playlists) -> bytes:
    """A ZIP with one ``format_id`` file per playlist (names made unique)."""
    _writer(format_id)
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for playlist in _as_list(playlists):
            name = filename_for(format_id, playlist.name)
            stem, dot, extension = name.rpartition(".")
            counter = 2
            while name.lower() in used:
                name = f"{stem} ({counter}){dot}{extension}"
                counter += 1
            used.add(name.lower())
            archive.writestr(name, write(format_id, playlist))
    return out.getvalue()
