"""Reading a transfer's source from Spotify or YouTube, and resolving YouTube Takeout files.

Sources are named like the jobs' ``source_kind``: ``spotify_playlist``, ``spotify_liked``,
``spotify_albums``, ``youtube_playlist``; a playlist source's refs are ``playlist:<id>``.
"""

from __future__ import annotations

from collections.abc import Sequence

from transfer.formats.readers.youtube import IDS_ONLY
from transfer.formats.records import ParseResult, PlaylistRecord, Problem

SOURCE_LABELS = {
    "spotify_playlist": "Spotify",
    "spotify_liked": "Spotify",
    "spotify_albums": "Spotify",
    "youtube_playlist": "YouTube",
}


def service_read(*, user_id: int, source: str, refs: Sequence[str]) -> list[PlaylistRecord]:
    if source.startswith("spotify_"):
        from transfer.spotify.sources import spotify_read

        if source == "spotify_liked":
            refs = ["liked"]
        elif source == "spotify_albums":
            refs = ["albums"]
        return [spotify_read(user_id=user_id, ref=ref) for ref in refs]
    from transfer.youtube.sources import youtube_read

    return [youtube_read(user_id=user_id, ref=ref) for ref in refs]


def resolve_video_ids(*, user_id: int | None, parsed: ParseResult) -> ParseResult:
    """Give a YouTube Takeout file's id-only rows their titles and channels (videos.list).

    Through the person's YouTube connection, else the server's API key; without either the
    rows stay as they were (the reader already warned that they have no titles).
    """
    if not any(not t.title.strip() and t.source_id for p in parsed.playlists for t in p.tracks):
        return parsed
    from transfer.youtube.services import youtube_resolve_ids

    for playlist in parsed.playlists:
        resolved, missing = youtube_resolve_ids(user_id=user_id, records=playlist.tracks)
        playlist.tracks = [t for t in resolved if t.title.strip()]
        if missing:
            parsed.problems.append(
                Problem(
                    f"{len(missing)} video(s) are no longer on YouTube and were left out: "
                    + ", ".join(missing[:10]),
                )
            )
    if not any(p.tracks for p in parsed.playlists):
        return parsed
    # The reader's "these rows have only video ids" warnings are answered now.
    parsed.problems = [p for p in parsed.problems if p.message != IDS_ONLY]
    return parsed
