"""A sync's source on Spotify or YouTube, read again for each run of the sync."""

from __future__ import annotations

from transfer.formats.records import TrackRecord

# The Sync.SourceKind values whose source is another service.
SYNC_SOURCES = {"spotify_playlist", "spotify_liked", "youtube_playlist"}


def service_sync_read(
    *, user_id: int, source_kind: str, source_ref: str
) -> list[tuple[str, TrackRecord]]:
    """The source as it is now, in order, each track keyed by the service's id (a change of
    title on the service keeps the key, as for Amazon sources)."""
    from transfer.connections.sources import service_read

    [playlist] = service_read(user_id=user_id, source=source_kind, refs=[source_ref])
    prefix = "s:" if source_kind.startswith("spotify_") else "y:"
    return [
        ((prefix + record.source_id.rsplit(":", 1)[-1])[:64], record) for record in playlist.tracks
    ]
