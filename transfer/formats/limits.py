"""Size limits that keep one uploaded file from exhausting a web worker.

Every reader checks these while it streams, so it stops at the first row past a limit instead
of parsing the whole file first. The defaults suit a person's library; an operator can raise
them per call.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    # Checked before any parsing, so a huge upload costs no decoding work.
    max_bytes: int = 50 * 1024 * 1024
    # Tracks across all playlists of one file (a big personal library is ~30k).
    max_tracks: int = 100_000
    max_playlists: int = 1_000
    # Only line-based formats (CSV, M3U, text): minified JSON or XML may be one long line.
    max_line_length: int = 64 * 1024
    # Past this many warnings the rest are counted, not kept, so a file of a million bad rows
    # cannot build a million Problem objects.
    max_problems: int = 1_000
    # Nesting of JSON arrays/objects and XML elements (playlist formats need under ten): deeper
    # input is refused before the parser sees it, as parsers' memory grows with depth.
    max_depth: int = 64

    def __post_init__(self) -> None:
        for name in (
            "max_bytes",
            "max_tracks",
            "max_playlists",
            "max_line_length",
            "max_problems",
            "max_depth",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")


DEFAULT_LIMITS = Limits()
