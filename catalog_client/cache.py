"""Caching of API answers in Redis.

Two kinds of entries, with different staleness rules:

* Catalog lookups (tracks and albums by id, searches, ISRC lookups) are the same for every user
  and change rarely, so they live for hours under keys shared by all users.
* A user's own library and playlists change when the product writes to them. Their keys embed
  a per-user *generation* number; every write through the client bumps it (after the write, and
  also after a failed write, which may have happened anyway), so no read after a write can hit an
  entry cached before it. Old generations are never deleted one by one: they just expire.

Every key starts with ``{prefix}:c:{SCHEMA_VERSION}:``. SCHEMA_VERSION changes when the models
or the stored shape change, so a deploy never reads entries written by older code (and the old
ones expire on their own). Catalog keys need no extra round trip to build, so a cache hit costs
one Redis GET. Values are the JSON the server sent (the ``data`` part), so the models decide
what to read from them exactly as they do for a live answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import redis

SCHEMA_VERSION = "v1"


@dataclass(frozen=True)
class CacheTTLs:
    """Lifetimes in seconds; 0 stops caching that kind of entry."""

    track: int = 24 * 3600
    album: int = 24 * 3600
    search: int = 3600
    isrc: int = 7 * 24 * 3600
    browse: int = 3600
    # The user's own data: short, because changes made in Amazon's apps cannot be seen here.
    user: int = 120


class RedisCache:
    """JSON values in Redis under versioned keys."""

    def __init__(
        self,
        redis_client: redis.Redis,
        *,
        prefix: str = "amc",
        ttls: CacheTTLs | None = None,
    ) -> None:
        self._redis = redis_client
        self.prefix = prefix
        self.ttls = ttls or CacheTTLs()
        self._base = f"{prefix}:c:{SCHEMA_VERSION}"

    # --- keys ----------------------------------------------------------------------------

    def catalog_key(self, kind: str, ident: str) -> str:
        """Key of a shared catalog entry; long idents (search bodies) are hashed."""
        if len(ident) > 120:
            ident = hashlib.sha256(ident.encode()).hexdigest()
        return f"{self._base}:{kind}:{ident}"

    def user_generation_key(self, user_scope: str) -> str:
        return f"{self._base}:usergen:{_digest(user_scope)}"

    def user_key(self, user_scope: str, ident: str) -> str:
        """Key of a per-user entry, tied to the user's current generation."""
        generation = self._redis.get(self.user_generation_key(user_scope))
        return f"{self._base}:user:{_digest(user_scope)}:{int(generation or 0)}:{_digest(ident)}"

    # --- values --------------------------------------------------------------------------

    def get(self, key: str) -> Any | None:
        raw = self._redis.get(key)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            # A corrupt entry is a miss, never an error for the caller.
            return None

    def get_many(self, keys: list[str]) -> list[Any | None]:
        if not keys:
            return []
        out: list[Any | None] = []
        for raw in self._redis.mget(keys):
            try:
                out.append(json.loads(raw) if raw is not None else None)
            except ValueError:
                out.append(None)
        return out

    def set(self, key: str, value: Any, ttl: int) -> None:
        if ttl > 0:
            self._redis.set(key, json.dumps(value, separators=(",", ":")), ex=ttl)

    def set_many(self, items: dict[str, Any], ttl: int) -> None:
        if ttl <= 0 or not items:
            return
        pipe = self._redis.pipeline(transaction=False)
        for key, value in items.items():
            pipe.set(key, json.dumps(value, separators=(",", ":")), ex=ttl)
        pipe.execute()

    # --- invalidation --------------------------------------------------------------------

    def invalidate_user(self, user_scope: str) -> int:
        """Make every cached read of this user's library and playlists unreachable."""
        key = self.user_generation_key(user_scope)
        pipe = self._redis.pipeline(transaction=False)
        pipe.incr(key)
        # The counter outlives every entry it guards (their TTL is much shorter).
        pipe.expire(key, max(self.ttls.user * 10, 86400))
        generation, _ = pipe.execute()
        return int(generation)

    def clear(self) -> int:
        """Delete every entry of this prefix and schema version; returns how many went.

        An admin action, not a hot path: it walks the keys with SCAN rather than KEYS so Redis
        keeps serving everyone else meanwhile.
        """
        deleted = 0
        batch: list[bytes] = []
        for key in self._redis.scan_iter(match=f"{self._base}:*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                deleted += int(self._redis.delete(*batch))
                batch = []
        if batch:
            deleted += int(self._redis.delete(*batch))
        return deleted


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]
