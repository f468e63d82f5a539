"""A sync's source on Spotify or YouTube, read again for each run of the sync."""

from __future__ import annotations

from transfer.connections.tokens import ServiceReconnectRequired
from transfer.formats.records import TrackRecord
from transfer.spotify.errors import SpotifyForbiddenError
from transfer.youtube.errors import YouTubeForbiddenError

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


# -- Spotify and YouTube as a sync's destination ------------------------------------------------

# The Sync.Destination values that write to another service, and the service each writes to.
SYNC_DESTINATIONS = {
    "spotify_new_playlist": "spotify",
    "spotify_existing_playlist": "spotify",
    "spotify_liked": "spotify",
    "youtube_new_playlist": "youtube",
}
SERVICE_NAMES = {"spotify": "Spotify", "youtube": "YouTube"}
# Refusals that waiting does not change (a missing scope, a playlist one may not edit): the sync
# pauses with the service's words. (YouTube's quotaExceeded is not one: it is waited out.)
SERVICE_REFUSALS: tuple[type[SpotifyForbiddenError | YouTubeForbiddenError], ...] = (
    SpotifyForbiddenError,
    YouTubeForbiddenError,
)


class SyncDestinationGone(Exception):
    """The sync's playlist on the service was deleted there."""

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.service = SERVICE_NAMES.get(service, service)


YOUTUBE_WRITE_SCOPES = frozenset(
    {
        "https://www.googleapis.com/auth/youtube",
        "https://www.googleapis.com/auth/youtube.force-ssl",
    }
)
READ_ONLY_GRANT = (
    "YouTube was connected for reading only. Connect it again on your account page, allowing "
    "this app to manage your YouTube playlists, then resume this sync."
)


class ServiceWriteNotAllowed(ServiceReconnectRequired):
    """Connected, but the grant only reads (YouTube's ``youtube.readonly``)."""


def service_write_check(*, user_id: int, destination: str) -> None:
    """Raise ServiceReconnectRequired unless the person's grant can write to the destination.

    Database only: a sync pauses with the reason before it reads or matches anything, instead
    of failing its transfer at the first write.
    """
    from transfer.connections.models import ServiceConnection
    from transfer.spotify.models import SpotifyConnection
    from transfer.youtube.models import GoogleConnection

    service = SYNC_DESTINATIONS.get(destination, "")
    if not service:
        return
    name = SERVICE_NAMES[service]
    model: type[ServiceConnection] = SpotifyConnection if service == "spotify" else GoogleConnection
    row = model._default_manager.filter(user_id=user_id).values("status", "status_detail", "scopes")
    found = row.first()
    if found is None:
        raise ServiceReconnectRequired(name, f"You have not connected {name} yet.")
    if found["status"] != ServiceConnection.Status.ACTIVE:
        raise ServiceReconnectRequired(name, found["status_detail"] or "Connect it again.")
    if service == "youtube" and not YOUTUBE_WRITE_SCOPES & set(found["scopes"] or []):
        raise ServiceWriteNotAllowed(name, READ_ONLY_GRANT)


def youtube_can_write(scopes: list[str] | None) -> bool:
    return bool(YOUTUBE_WRITE_SCOPES & set(scopes or []))


def sync_playlist_marker(sync_id: str) -> str:
    """The description of a sync's own playlist on Spotify or YouTube: it finds the playlist
    again when the answer to its create was lost (neither service's create is idempotent)."""
    return f"Kept in sync by Music Transfer ({sync_id})"


def spotify_sync_playlist(*, user_id: int, sync_id: str, name: str) -> tuple[str, str]:
    """The sync's own Spotify playlist, made once: (id, url).

    Spotify's create is not idempotent, so a create whose answer was lost is found again by
    the marker in its description before another is made.
    """
    from transfer.spotify.services import spotify_client_for

    client = spotify_client_for(user_id)
    marker = sync_playlist_marker(sync_id)
    found = next((p for p in client.iter_playlists() if marker in (p.description or "")), None)
    playlist = found or client.create_playlist(name, description=marker, public=False)
    return playlist.id, playlist.url


def service_destination_exists(*, user_id: int, destination: str, ref: str) -> bool:
    """Whether the sync's playlist on the service is still there (one call, or a list page)."""
    service = SYNC_DESTINATIONS.get(destination, "")
    if service == "spotify":
        from transfer.spotify.errors import SpotifyNotFoundError
        from transfer.spotify.services import spotify_client_for

        try:
            spotify_client_for(user_id).playlist(ref)
        except SpotifyNotFoundError:
            return False
        return True
    if service == "youtube":
        from transfer.youtube.services import youtube_client_for

        return any(p.id == ref for p in youtube_client_for(user_id).iter_my_playlists())
    return True


def service_remove(*, user_id: int, destination: str, ref: str, track_ids: set[str]) -> int:
    """Mirror mode: take these tracks (the service's ids) out of the destination; how many went.

    The destination is read first, so removing what is already gone costs nothing and a run
    repeated after a crash removes nothing twice. A YouTube delete costs 50 units each: the
    quota error stops the run, and the next one carries on.
    """
    service = SYNC_DESTINATIONS.get(destination, "")
    if not track_ids or not service:
        return 0
    if service == "spotify":
        from transfer.spotify.services import spotify_client_for

        client = spotify_client_for(user_id)
        if destination == "spotify_liked":
            saved = {s.track.id for s in client.iter_saved_tracks() if s.track and s.track.id}
            doomed = sorted(track_ids & saved)
            client.remove_saved_tracks([f"spotify:track:{t}" for t in doomed])
            return len(doomed)
        present = {
            e.object.id for e in client.iter_playlist_entries(ref) if e.object and e.object.id
        }
        doomed = sorted(track_ids & present)
        client.remove_from_playlist(ref, [f"spotify:track:{t}" for t in doomed])
        return len(doomed)
    from transfer.youtube.services import youtube_client_for

    youtube = youtube_client_for(user_id)
    entries = [item.id for item in youtube.iter_playlist_items(ref) if item.video_id in track_ids]
    for item_id in entries:
        youtube.delete_item(item_id)
    return len(entries)
