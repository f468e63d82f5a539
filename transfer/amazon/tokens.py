"""A person's access token for API calls, decrypted once per process and kept until it changes.

Reading the token from the database costs a query and a Fernet decrypt; doing that before every
API call was 13% of a matching worker's CPU (issue 17). So each process keeps the plain token
of each person it works for, with its expiry, and goes back to the database only when

* the token is within ``REFRESH_MARGIN`` of expiring (the database path refreshes it, once for
  all workers, under ``select_for_update``: see services.connection_access_token);
* Amazon rejected it (the client's one refresh after a 401 comes here with the failed token);
* the connection changed anywhere: every save or delete of an AmazonConnection (a refresh by
  another worker, a reconnect mark, a disconnect, a new sign-in) bumps a per-person generation
  in Redis after the commit, and a cached token is used only while its generation is current.
  A disconnect therefore stops every worker at its next call, not when the token expires.

The generation check is one GET on the shared Redis pool. If Redis cannot answer, the token is
read from the database as before: the cache only ever saves work, it never decides access.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from dataclasses import dataclass

import redis
from django.db import transaction
from django.utils import timezone

from transfer.amazon.services import REFRESH_MARGIN, connection_tokens
from transfer.core.redis import get_redis

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Cached:
    access_token: str
    expires_at: dt.datetime
    generation: bytes | None

    def __repr__(self) -> str:
        return f"<cached token expires_at={self.expires_at.isoformat()}>"


_cache: dict[int, _Cached] = {}
_lock = threading.Lock()


def _generation_key(user_id: int) -> str:
    return f"amt:amazon:token-generation:{user_id}"


def _generation(user_id: int) -> bytes | None:
    value = get_redis().get(_generation_key(user_id))
    return value if isinstance(value, bytes) else None


def token_changed(user_id: int) -> None:
    """Every process's cached token of this person is stale (called after the commit)."""
    with _lock:
        _cache.pop(user_id, None)

    def bump() -> None:
        try:
            # A fresh random value rather than INCR: after Redis loses the key, a counter would
            # start again at 1 and could equal a generation some worker still holds.
            get_redis().set(_generation_key(user_id), uuid.uuid4().hex)
        except redis.RedisError:
            logger.warning("Could not mark the Amazon token of user %s as changed", user_id)

    transaction.on_commit(bump)


def cached_access_token(user_id: int) -> str:
    """The person's current access token: from this process's memory while it is good."""
    try:
        generation = _generation(user_id)
    except redis.RedisError:
        return _load(user_id, None, remember=False)
    cached = _cache.get(user_id)
    if (
        cached is not None
        and cached.generation == generation
        and cached.expires_at - REFRESH_MARGIN > timezone.now()
    ):
        return cached.access_token
    return _load(user_id, None, generation=generation)


def refreshed_access_token(user_id: int, failed_token: str) -> str:
    """A token to replace one Amazon just rejected (refreshed once for all workers)."""
    with _lock:
        _cache.pop(user_id, None)
    try:
        generation = _generation(user_id)
    except redis.RedisError:
        return _load(user_id, failed_token, remember=False)
    return _load(user_id, failed_token, generation=generation)


def _load(
    user_id: int,
    failed_token: str | None,
    *,
    generation: bytes | None = None,
    remember: bool = True,
) -> str:
    tokens = connection_tokens(user_id=user_id, failed_token=failed_token)
    if remember:
        # The generation read *before* the database: a change committed in between bumps it
        # again, so the next call reloads rather than trusting what was read here.
        with _lock:
            _cache[user_id] = _Cached(tokens.access_token, tokens.expires_at_datetime, generation)
    return tokens.access_token


def forget_all() -> None:
    """Drop this process's cached tokens (tests that rewrite connections directly call this)."""
    with _lock:
        _cache.clear()


class ConnectionTokenProvider:
    """catalog_client's TokenProvider over the person's stored, encrypted LWA grant."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    def get_token(self) -> str:
        return cached_access_token(self.user_id)

    def refresh_token(self, failed_token: str) -> str:
        return refreshed_access_token(self.user_id, failed_token)
