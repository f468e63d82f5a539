from __future__ import annotations

from django.conf import settings
from django.db import models

from transfer.connections.models import ServiceConnection


class SpotifyConnection(ServiceConnection):
    """The person's Spotify grant (authorization code with PKCE). Tokens encrypted at rest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spotify_connection"
    )
