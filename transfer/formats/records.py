"""The records every reader produces and every writer consumes.

A ``TrackRecord`` is one track as a file (or Amazon) describes it, before any matching. Readers
keep the source's own strings exactly; normalising them is the matcher's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TrackRecord:
    title: str
    artists: tuple[str, ...] = ()
    album: str = ""
    duration_ms: int | None = None
    isrc: str = ""
    # None when the source does not say; True/False when it does.
    explicit: bool | None = None
    album_artists: tuple[str, ...] = ()
    track_number: int | None = None
    release_date: str = ""
    # The source service's id for the track (Spotify URI, YouTube video id, Amazon ASIN, path).
    source_id: str = ""
    added_at: str = ""
    # Where the track stands in its file (1-based line or row), for error messages and review.
    line: int | None = None
    # The file names the track only by an id nobody can search by text (a YouTube video id
    # in ``source_id``); it needs looking up first (see transfer/youtube) before matching.
    needs_resolution: bool = False

    @property
    def artist_text(self) -> str:
        return ", ".join(self.artists)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in an input file, located precisely enough for a person to fix it."""

    message: str
    line: int | None = None
    # "error" stops the import; "warning" skips a row and goes on.
    severity: str = "warning"

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"


@dataclass(slots=True)
class PlaylistRecord:
    name: str
    tracks: list[TrackRecord] = field(default_factory=list)
    description: str = ""
    source_id: str = ""


@dataclass(slots=True)
class ParseResult:
    format: str
    playlists: list[PlaylistRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Table formats: the header as read, and which header column fed which field ("title",
    # "artist", "album", "duration", "isrc"...), so a person can check and change it.
    columns: tuple[str, ...] = ()
    fed_by: dict[str, str] = field(default_factory=dict)
    # "Artist - Title" text: the order the reader chose from the file's evidence, and why.
    order: str = ""
    order_reason: str = ""
    # Table formats: what separates several artists in one cell ("" when kept whole).
    artist_separator: str = ""

    @property
    def track_count(self) -> int:
        return sum(len(p.tracks) for p in self.playlists)
