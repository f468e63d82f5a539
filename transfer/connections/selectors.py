"""Each outside service's connection state for a person, as the pages show it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User

from transfer.connections.syncs import youtube_can_write
from transfer.spotify.models import SpotifyConnection
from transfer.youtube.models import GoogleConnection


@dataclass(frozen=True)
class ServiceState:
    key: str  # "spotify" or "youtube"
    name: str
    provider: str  # the allauth provider id
    enabled: bool
    connected: bool
    needs_reconnect: bool
    account: str
    detail: str
    # The grant allows writing (YouTube's can be read-only: youtube.readonly).
    can_write: bool = True

    @property
    def label(self) -> str:
        if not self.enabled:
            return "Not set up on this server"
        if self.needs_reconnect:
            return "Needs reconnecting"
        if self.connected and not self.can_write:
            return f"Connected as {self.account}, for reading only"
        return f"Connected as {self.account}" if self.connected else "Not connected"

    @property
    def writable(self) -> bool:
        """Ready to be written to now: enabled, connected, active and allowed to write."""
        return self.enabled and self.connected and not self.needs_reconnect and self.can_write


def service_states(*, user: User) -> list[ServiceState]:
    spotify = SpotifyConnection.objects.filter(user=user).first()
    google = GoogleConnection.objects.filter(user=user).first()
    return [
        ServiceState(
            key="spotify",
            name="Spotify",
            provider="spotify",
            enabled=settings.SPOTIFY_ENABLED,
            connected=spotify is not None,
            needs_reconnect=bool(spotify and spotify.status != spotify.Status.ACTIVE),
            account=(spotify.name or spotify.account_id) if spotify else "",
            detail=spotify.status_detail if spotify else "",
        ),
        ServiceState(
            key="youtube",
            name="YouTube",
            provider="google",
            enabled=settings.GOOGLE_ENABLED,
            connected=google is not None,
            needs_reconnect=bool(google and google.status != google.Status.ACTIVE),
            account=(google.email or google.name) if google else "",
            detail=google.status_detail if google else "",
            can_write=google is None or youtube_can_write(google.scopes),
        ),
    ]


@dataclass(frozen=True)
class Item:
    """Something a person can pick to transfer: a playlist, Liked Songs, the library."""

    source: str  # the job's source_kind
    ref: str
    label: str
    count: int = -1
    readable: bool = True
    note: str = ""

    @property
    def value(self) -> str:
        return f"{self.source}|{self.ref}"


def source_items(*, user: User, service: str) -> list[Item]:
    """What the person can transfer from ``service`` (one API page or a few)."""
    if service == "spotify":
        from transfer.spotify.sources import spotify_source_choices

        items = []
        for choice in spotify_source_choices(user_id=user.pk):
            kind = {"liked": "spotify_liked", "albums": "spotify_albums"}.get(
                choice.ref, "spotify_playlist"
            )
            items.append(
                Item(kind, choice.ref, choice.label, choice.count, choice.readable, choice.note)
            )
        return items
    if service == "youtube":
        from transfer.youtube.sources import youtube_source_choices

        return [
            Item("youtube_playlist", c.ref, c.label, c.count)
            for c in youtube_source_choices(user_id=user.pk)
        ]
    if service == "amazon":
        from transfer.amazon.clients import music_client_for

        client = music_client_for(user.pk)
        items = [Item("amazon_library_tracks", "library", "Library songs")]
        items += [
            Item("amazon_playlist", p.id, p.title or p.id, p.track_count or 0)
            for p in client.iter_my_playlists().take(500)
        ]
        return items
    return []


DESTINATIONS = {
    "amazon": [
        ("new_playlist", "A new Amazon Music playlist for each"),
        ("library_tracks", "Songs in your Amazon Music library"),
    ],
    "spotify": [
        ("spotify_new_playlist", "A new Spotify playlist for each"),
        ("spotify_liked", "Your Spotify Liked Songs"),
        ("spotify_albums", "Your saved albums on Spotify"),
    ],
    "youtube": [("youtube_new_playlist", "A new YouTube playlist for each")],
    "file": [("file", "A file to download (CSV, M3U8, XSPF, JSPF or text)")],
}
# YouTube's costs per track written: a search (100 units) and an insert (50).
YOUTUBE_UNITS_PER_TRACK = 150


def youtube_quota_left() -> int:
    from transfer.youtube.services import quota_ledger

    return quota_ledger().left()


def spotify_own_playlists(*, user: User) -> list[tuple[str, str]]:
    """(id, name) of the Spotify playlists the person may add to: theirs and collaborative."""
    from transfer.spotify.services import spotify_client_for

    client = spotify_client_for(user.pk)
    me = client.me()
    return [
        (p.id, p.name or p.id)
        for p in client.iter_playlists()
        if p.owner.id == me.id or p.collaborative
    ]
