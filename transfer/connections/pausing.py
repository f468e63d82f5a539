"""Pausing a person's syncs that read from or write to a service they disconnected."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q

from transfer.syncs.models import Sync


def syncs_pause_for_service(*, user: User, service: str, reason: str) -> int:
    """Pause every sync whose source or destination is ``service``; the reason is shown."""
    prefix = f"{service}_"
    return Sync.objects.filter(
        Q(source_kind__startswith=prefix) | Q(destination__startswith=prefix),
        user=user,
        paused=False,
    ).update(paused=True, pause_reason=reason)
