from __future__ import annotations

from django.conf import settings
from django.db import models

from transfer.amazon.crypto import Undecryptable
from transfer.amazon.fields import EncryptedTextField


class AmazonConnection(models.Model):
    """The signed-in person's Login with Amazon grant. Tokens are encrypted at rest."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Connected"
        RECONNECT = "reconnect", "Needs reconnecting"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="amazon_connection"
    )
    amazon_user_id = models.CharField(max_length=128)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    scopes = models.JSONField(default=list)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_detail = models.CharField(max_length=300, blank=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Amazon connection of user {self.user_id}"

    def __repr__(self) -> str:
        # Never let a token reach a log line through a repr.
        return f"<AmazonConnection user={self.user_id} status={self.status}>"

    @property
    def tokens_readable(self) -> bool:
        """False when the encryption keys changed since the tokens were saved."""
        return not any(
            isinstance(token, Undecryptable) for token in (self.access_token, self.refresh_token)
        )
