"""Is "A - B" "Artist - Title" or "Title - Artist"? Decided once per file, from evidence.

Most lists put the artist first, but some tools and many hand-made lists do the opposite, and
one file is always consistent. The evidence, strongest first:

1. Folder names: a location like ".../Radiohead/OK Computer/Airbag - Radiohead.mp3" names the
   artist in a folder; whichever side equals a folder name is the artist.
2. Artists named elsewhere in the file (M3U ``#EXTART``, for instance).
3. Which side repeats: a playlist holds several songs by one artist far more often than two
   songs of one title, so the side with more repeated values is the artist.

Without evidence the order stays "Artist - Title", and files this app wrote (they carry a
"#PLAYLIST:" line) are always "Artist - Title". The person can swap it on the preview.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import PureWindowsPath

from transfer.formats.records import PlaylistRecord, TrackRecord

ARTIST_TITLE = "artist-title"
TITLE_ARTIST = "title-artist"


@dataclass(frozen=True, slots=True)
class Pair:
    """One "A - B" text as split: ``left`` was taken as the artist, ``right`` as the title."""

    left: str
    right: str
    location: str = ""


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _folders(location: str) -> set[str]:
    if not location or "/" not in location.replace("\\", "/"):
        return set()
    parts = PureWindowsPath(location.replace("/", "\\")).parts[:-1]
    return {_fold(part) for part in parts[-3:] if part.strip()}


def decide(pairs: Sequence[Pair], known_artists: Iterable[str] = ()) -> tuple[str, str]:
    """(ARTIST_TITLE or TITLE_ARTIST, the reason in words) for one file's pairs."""
    if not pairs:
        return ARTIST_TITLE, ""
    left_votes = right_votes = 0
    for pair in pairs:
        folders = _folders(pair.location)
        if _fold(pair.left) in folders:
            left_votes += 1
        if _fold(pair.right) in folders:
            right_votes += 1
    if left_votes != right_votes:
        return (
            (ARTIST_TITLE, "the folder names match the first part")
            if left_votes > right_votes
            else (TITLE_ARTIST, "the folder names match the second part")
        )
    known = {_fold(name) for name in known_artists if name.strip()}
    if known:
        left_known = sum(1 for pair in pairs if _fold(pair.left) in known)
        right_known = sum(1 for pair in pairs if _fold(pair.right) in known)
        if left_known != right_known:
            return (
                (ARTIST_TITLE, "artists named elsewhere in the file come first")
                if left_known > right_known
                else (TITLE_ARTIST, "artists named elsewhere in the file come second")
            )
    if len(pairs) >= 4:
        left_repeats = len(pairs) - len({_fold(pair.left) for pair in pairs})
        right_repeats = len(pairs) - len({_fold(pair.right) for pair in pairs})
        # Strict: a playlist of covers repeats titles too, so only a clear pattern counts.
        if left_repeats == 0 and right_repeats >= max(3, len(pairs) // 3):
            return TITLE_ARTIST, "the second part repeats across lines, as artists do"
    return ARTIST_TITLE, ""


def swapped(track: TrackRecord) -> TrackRecord:
    """Title and artist exchanged (all artists become the title, the title one artist)."""
    return replace(track, title=track.artist_text, artists=(track.title,) if track.title else ())


def apply(playlists: Sequence[PlaylistRecord], indexes: dict[int, list[int]]) -> None:
    """Swap the tracks at ``indexes`` ({id(playlist): [track index]}) in place."""
    for playlist in playlists:
        for index in indexes.get(id(playlist), ()):
            playlist.tracks[index] = swapped(playlist.tracks[index])
