"""Each outside service's connection state for a person, as the pages show it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User

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

    @property
    def label(self) -> str:
        if not self.enabled:
            return "Not set up on this server"
        if self.needs_reconnect:
            return "Needs reconnecting"
        return f"Connected as {self.account}" if self.connected else "Not connected"


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
        ),
    ]
