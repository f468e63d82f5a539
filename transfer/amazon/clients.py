"""The one way views and Celery tasks get a ready Amazon Music client for a person.

Every client in a process shares one HTTP session, the Redis rate limiter (so all workers
together stay under AMAZON_MUSIC_RATE_LIMIT), the catalog cache and the counters; each gets its
own token provider (transfer/amazon/tokens.py), which keeps the person's token in memory and
refreshes it through Login with Amazon.
"""

from __future__ import annotations

import functools

from django.conf import settings

from catalog_client import AmazonMusicClient
from transfer.amazon.tokens import ConnectionTokenProvider, forget_all
from transfer.core.redis import get_redis


@functools.cache
def _shared_client() -> AmazonMusicClient:
    return AmazonMusicClient(
        api_key=settings.AMAZON_MUSIC_API_KEY,
        token_provider="unused: each user gets their own provider via for_user()",  # noqa: S106
        base_url=settings.AMAZON_MUSIC_API_URL,
        redis=get_redis(),
        rate_limit=settings.AMAZON_MUSIC_RATE_LIMIT or None,
        retry_budget=settings.AMAZON_MUSIC_RETRY_BUDGET,
    )


def music_client_for(user_id: int) -> AmazonMusicClient:
    return _shared_client().for_user(
        ConnectionTokenProvider(user_id), user_cache_scope=f"user:{user_id}"
    )


def reset_shared_client() -> None:
    """Forget the process-wide client and cached tokens (tests that change settings call this)."""
    _shared_client.cache_clear()
    forget_all()


__all__ = ["ConnectionTokenProvider", "music_client_for", "reset_shared_client"]
