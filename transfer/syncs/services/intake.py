"""Turning the person's choices on the "new sync" page into a sync.

A URL is fetched and read once before the sync is saved, so a wrong address, a private one or a
file we cannot read is said on the form rather than found by the first run an hour later.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from transfer.syncs.models import Sync
from transfer.syncs.services.sources import url_preview
from transfer.syncs.services.syncs import sync_create

LIBRARY_REF = "library"


def sync_create_from_form(
    *,
    user: User,
    data: dict[str, Any],
    playlist_names: dict[str, str],
    spotify_names: dict[str, str] | None = None,
) -> Sync:
    """Raises SyncError, FetchError or TransferError with a message for the person."""
    spotify_names = spotify_names or {}
    source = data["source"]
    if source == Sync.SourceKind.AMAZON_PLAYLIST:
        ref = data["playlist"]
        name = playlist_names.get(ref, "Amazon Music playlist")
    elif source == Sync.SourceKind.AMAZON_LIBRARY:
        ref, name = LIBRARY_REF, "Amazon Music library songs"
    elif source == Sync.SourceKind.SPOTIFY_LIKED:
        ref, name = "liked", "Spotify Liked Songs"
    elif source == Sync.SourceKind.SPOTIFY_PLAYLIST:
        ref = f"playlist:{data['spotify_playlist']}"
        name = spotify_names.get(data["spotify_playlist"], "Spotify playlist")
    else:
        ref = data["url"]
        name, _ = url_preview(ref)
    destination = data["destination"]
    destination_ref = ""
    if destination == Sync.Destination.EXISTING_PLAYLIST:
        destination_ref = data["existing_playlist"]
        destination_name = playlist_names.get(destination_ref, "")
    elif destination == Sync.Destination.SPOTIFY_EXISTING_PLAYLIST:
        destination_ref = data["existing_spotify_playlist"]
        destination_name = spotify_names.get(destination_ref, "")
    elif destination == Sync.Destination.LIBRARY_TRACKS:
        destination_name = "Library songs"
    elif destination == Sync.Destination.SPOTIFY_LIKED:
        destination_name = "Spotify Liked Songs"
    else:
        destination_name = data.get("destination_name") or name
    return sync_create(
        user=user,
        name=name,
        source_kind=source,
        source_ref=ref,
        destination=destination,
        destination_ref=destination_ref,
        destination_name=destination_name,
        schedule=data["schedule"],
        mode=data["mode"],
    )
