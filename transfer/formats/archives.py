"""ZIP archives as people download them: Spotify's account data, Google Takeout, Apple's
privacy export. Every playlist or library file inside is read as its own file.

Nothing is extracted to disk; members are read into memory one at a time, and only as far as
the budgets below allow, because a zip's declared sizes can lie. Refused with a clear error:
too many entries, too much uncompressed data in total, a member that inflates more than
``max_ratio`` times (a zip bomb), archives nested deeper than Apple's own export needs
(a zip in a zip in a zip), and member names that climb out of the archive ("../", "/etc").

Apple's export names playlist items only by number, so its ``Apple Music Library
Playlists.json`` is read together with ``Apple Music Library Tracks.json`` from the same
archive, giving one result: the library and the playlists.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from transfer.formats.collect import Collector
from transfer.formats.errors import FormatError
from transfer.formats.limits import DEFAULT_LIMITS, Limits
from transfer.formats.readers.apple import add_apple_playlists, library_tracks
from transfer.formats.records import ParseResult

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_READABLE = {
    ".csv",
    ".json",
    ".xml",
    ".m3u",
    ".m3u8",
    ".xspf",
    ".jspf",
    ".pls",
    ".wpl",
    ".zpl",
    ".txt",
}
APPLE_TRACKS = "apple music library tracks.json"
APPLE_PLAYLISTS = "apple music library playlists.json"


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    max_entries: int = 5_000
    # Uncompressed bytes read from all members, nested archives included.
    max_total_bytes: int = 200 * 1024 * 1024
    # Uncompressed / compressed size of one member; text compresses about 5-15 times.
    max_ratio: int = 200
    # Apple's export: a zip holding a zip holding "...json.zip".
    max_depth: int = 3


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


@dataclass(slots=True)
class MemberResult:
    """One file of the archive, read; ``name`` is its path inside the archive."""

    name: str
    result: ParseResult
    # The member's own bytes, so it can be read again (another column mapping, say).
    data: bytes = b""


@dataclass(slots=True)
class ArchiveResult:
    files: list[MemberResult] = field(default_factory=list)
    # (member path, why it was not read): files that are not playlists, mostly.
    skipped: list[tuple[str, str]] = field(default_factory=list)


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC


class _Budget:
    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.entries = 0
        self.total = 0


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not (
        path.is_absolute()
        or ".." in path.parts
        or (path.parts and path.parts[0].endswith(":"))
        or "\x00" in name
    )


def _member_bytes(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, limits: Limits, where: str
) -> bytes:
    ceiling = min(limits.max_bytes, budget.limits.max_total_bytes - budget.total)
    if info.file_size > ceiling:
        raise FormatError(
            f"{where} is {info.file_size:,} bytes uncompressed, more than the archive's "
            f"remaining allowance ({max(ceiling, 0):,} bytes)."
        )
    with archive.open(info) as member:
        data = member.read(ceiling + 1)
    if len(data) > ceiling:
        raise FormatError(f"{where} holds more data than its header says; refused as unsafe.")
    if (
        info.compress_size
        and len(data) > 1024 * 1024
        and len(data) / info.compress_size > budget.limits.max_ratio
    ):
        raise FormatError(
            f"{where} inflates {len(data) // info.compress_size:,} times; this looks like a "
            "zip bomb and was refused."
        )
    budget.total += len(data)
    return data


def _walk(
    data: bytes,
    prefix: str,
    depth: int,
    budget: _Budget,
    limits: Limits,
    visit: Callable[[str, bytes], None],
) -> None:
    if depth > budget.limits.max_depth:
        raise FormatError(
            f"{prefix or 'The archive'} nests archives more than {budget.limits.max_depth} "
            "deep; refused."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FormatError(f"{prefix or 'The file'} is a damaged ZIP archive ({exc}).") from exc
    with archive:
        for info in archive.infolist():
            budget.entries += 1
            if budget.entries > budget.limits.max_entries:
                raise FormatError(
                    f"The archive has more than {budget.limits.max_entries:,} entries; refused."
                )
            name = info.filename
            if not _safe_name(name):
                raise FormatError(
                    f"The archive has an entry named {name!r}, which points outside the "
                    "archive; refused as unsafe."
                )
            if info.is_dir():
                continue
            path = PurePosixPath(name)
            if path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            where = f"{prefix}{name}"
            suffix = path.suffix.lower()
            if suffix == ".zip":
                inner = _member_bytes(archive, info, budget, limits, where)
                _walk(inner, f"{where}/", depth + 1, budget, limits, visit)
            elif suffix in _READABLE:
                visit(where, _member_bytes(archive, info, budget, limits, where))


def read_archive(
    data: bytes,
    *,
    limits: Limits = DEFAULT_LIMITS,
    archive_limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
    read: Callable[[bytes, str], ParseResult],
) -> ArchiveResult:
    """Every playlist file in the archive, read with ``read(data, name)`` (``read_any``)."""
    found = ArchiveResult()
    apple: dict[str, tuple[str, bytes]] = {}

    def visit(where: str, member: bytes) -> None:
        base = PurePosixPath(where).name.lower()
        if base in (APPLE_TRACKS, APPLE_PLAYLISTS):
            apple[base] = (where, member)
            return
        try:
            result = read(member, PurePosixPath(where).name)
            found.files.append(MemberResult(where, result, member))
        except FormatError as exc:
            found.skipped.append((where, exc.message))

    _walk(data, "", 1, _Budget(archive_limits), limits, visit)
    if APPLE_TRACKS in apple:
        where, tracks_data = apple[APPLE_TRACKS]
        collector = Collector("apple-privacy-json", limits)
        tracks = library_tracks(tracks_data, limits, collector)
        if APPLE_PLAYLISTS in apple:
            add_apple_playlists(apple[APPLE_PLAYLISTS][1], tracks, limits, collector)
        # Read again from the tracks file alone, it gives the library without the playlists.
        found.files.append(MemberResult(where, collector.result(), tracks_data))
    elif APPLE_PLAYLISTS in apple:
        found.skipped.append(
            (apple[APPLE_PLAYLISTS][0], "it names tracks by number and the tracks file is missing")
        )
    if not found.files:
        listed = "; ".join(f"{name} ({why})" for name, why in found.skipped[:5])
        raise FormatError(
            "The archive holds no playlist or library file we can read"
            + (f": {listed}" if listed else " (it has no CSV, JSON, XML or playlist files).")
        )
    return found
