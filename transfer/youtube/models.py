from __future__ import annotations

from django.conf import settings
from django.db import models

from transfer.connections.models import ServiceConnection


class GoogleConnection(ServiceConnection):
    """The person's Google grant for YouTube. Tokens encrypted at rest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="google_connection"
    )
