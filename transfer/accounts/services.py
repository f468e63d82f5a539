"""Account-level writes."""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.db import transaction

from transfer.amazon.services import connection_disconnect

logger = logging.getLogger(__name__)


def user_delete_all_data(*, user: User) -> None:
    """Revoke Amazon's grant, then delete the person and everything they own (by cascade)."""
    connection_disconnect(user=user)
    # Google can revoke our grant too (Spotify has no way to; its tokens go with the cascade).
    from transfer.youtube.services import youtube_disconnect

    youtube_disconnect(user=user)
    user_id = user.pk
    with transaction.atomic():
        user.delete()
    logger.info("Deleted user %s and all their data", user_id)
