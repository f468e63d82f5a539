"""The abstract token type both connections are built on: tokens encrypted at rest."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from transfer.amazon.fields import EncryptedTextField


class ServiceConnection(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Connected"
        RECONNECT = "reconnect", "Needs reconnecting"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    account_id = models.CharField(max_length=128)
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

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} of user {self.user_id}"

    def __repr__(self) -> str:
        # Never let a token reach a log line through a repr.
        return f"<{type(self).__name__} user={self.user_id} status={self.status}>"
