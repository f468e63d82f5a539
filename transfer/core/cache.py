"""Django's Redis cache backend, with one Redis client per connection pool instead of per call.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` on every cache call, and
building one fills a case-insensitive table of some 170 response callbacks: on a worker that
reads and writes a cached decision per track this was more CPU than the commands themselves.
The pools are Django's own (one per server, created on first use); a client on a pool is
thread-safe, and redis-py's pool drops inherited connections after a fork.
"""

from __future__ import annotations

from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> redis.Redis:
        # Django's own pool for this call (a dictionary look-up once created; not in the stubs).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one on the same pool: either is right to keep.
            client = self._clients.setdefault(id(pool), redis.Redis(connection_pool=pool))
        return client


class PooledRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that keeps its clients."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
