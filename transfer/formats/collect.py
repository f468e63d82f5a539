"""What every reader uses to build its ``ParseResult`` while enforcing the limits as it goes.

Readers hand tracks over one at a time, so the track and playlist limits stop a reader at the
first row past them rather than after the whole file has been parsed.
"""

from __future__ import annotations

from pathlib import PureWindowsPath

from transfer.formats.errors import FormatError
from transfer.formats.limits import Limits
from transfer.formats.records import ParseResult, PlaylistRecord, Problem, TrackRecord

DEFAULT_PLAYLIST_NAME = "Imported playlist"


def name_from_filename(filename: str | None, default: str = DEFAULT_PLAYLIST_NAME) -> str:
    """The playlist name a file's own name suggests: "Road Trip.m3u8" gives "Road Trip"."""
    if not filename:
        return default
    # PureWindowsPath splits on both "/" and "\", which browsers may send either of.
    stem = PureWindowsPath(filename).stem.strip()
    return stem or default


class Collector:
    def __init__(self, format_id: str, limits: Limits) -> None:
        self.format = format_id
        self.limits = limits
        self.playlists: list[PlaylistRecord] = []
        self.problems: list[Problem] = []
        self._by_name: dict[str, PlaylistRecord] = {}
        self._track_count = 0
        self._unshown_problems = 0
        # Passed on to the ParseResult (see records.py).
        self.columns: tuple[str, ...] = ()
        self.fed_by: dict[str, str] = {}
        self.order = ""
        self.order_reason = ""
        self.artist_separator = ""

    def warn(self, message: str, line: int | None = None) -> None:
        if len(self.problems) < self.limits.max_problems:
            self.problems.append(Problem(message, line, "warning"))
        else:
            self._unshown_problems += 1

    def new_playlist(
        self, name: str, *, description: str = "", source_id: str = "", line: int | None = None
    ) -> PlaylistRecord:
        if len(self.playlists) >= self.limits.max_playlists:
            raise FormatError(
                f"The file has more than {self.limits.max_playlists:,} playlists, the most one "
                "import may hold.",
                line,
            )
        playlist = PlaylistRecord(name=name, description=description, source_id=source_id)
        self.playlists.append(playlist)
        self._by_name.setdefault(name, playlist)
        return playlist

    def playlist_named(self, name: str, line: int | None = None) -> PlaylistRecord:
        """The playlist of that exact name, made on first use (files with a playlist column)."""
        found = self._by_name.get(name)
        return found if found is not None else self.new_playlist(name, line=line)

    def add_track(self, playlist: PlaylistRecord, track: TrackRecord) -> None:
        if self._track_count >= self.limits.max_tracks:
            raise FormatError(
                f"The file has more than {self.limits.max_tracks:,} tracks, the most one import "
                "may hold; split it into smaller files.",
                track.line,
            )
        self._track_count += 1
        playlist.tracks.append(track)

    def remove_playlist(self, playlist: PlaylistRecord) -> None:
        """Take back a playlist a reader found out too late it should leave out."""
        self.playlists = [p for p in self.playlists if p is not playlist]
        if self._by_name.get(playlist.name) is playlist:
            del self._by_name[playlist.name]
        self._track_count -= len(playlist.tracks)

    def result(self) -> ParseResult:
        problems = list(self.problems)
        if self._unshown_problems:
            problems.append(
                Problem(f"{self._unshown_problems:,} more warnings like these were not listed.")
            )
        if self._track_count == 0:
            problems.append(Problem("The file holds no tracks."))
        return ParseResult(
            format=self.format,
            playlists=self.playlists,
            problems=problems,
            columns=self.columns,
            fed_by=dict(self.fed_by),
            order=self.order,
            order_reason=self.order_reason,
            artist_separator=self.artist_separator,
        )
