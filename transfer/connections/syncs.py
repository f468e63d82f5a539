"""Pausing a person's syncs that read from or write to a service they disconnected."""

from __future__ import annotations

from django.contrib.auth.models import User

from transfer.syncs.models import Sync
from transfer.syncs.services.sources import SourceRead


def syncs_pause_for_service(*, user: User, service: str, reason: str) -> int:
    """Pause every sync whose source or destination is ``service``; the reason is shown."""
    prefix = f"{service}_"
    from django.db.models import Q

    return Sync.objects.filter(
        Q(source_kind__startswith=prefix) | Q(destination__startswith=prefix),
        user=user,
        paused=False,
    ).update(paused=True, pause_reason=reason)


# A sync's source on Spotify or YouTube: the Sync.SourceKind value and how to read it.
SYNC_SOURCES = {"spotify_playlist", "spotify_liked", "youtube_playlist"}


def service_sync_read(*, user_id: int, source_kind: str, source_ref: str) -> SourceRead:
    """The source as it is now, each track keyed by the service's id (a change of title on
    the service keeps the key, as for Amazon sources)."""
    from transfer.connections.sources import service_read

    [playlist] = service_read(user_id=user_id, source=source_kind, refs=[source_ref])
    read = SourceRead(format=source_kind.partition("_")[0])
    read.pages = 1
    prefix = "s:" if source_kind.startswith("spotify_") else "y:"
    for record in playlist.tracks:
        read.add((prefix + record.source_id.rsplit(":", 1)[-1])[:64], record)
    return read
