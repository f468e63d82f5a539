"""One Redis connection pool per process, shared by every product use of Redis.

The catalog client's limiter, cache and counters, job progress, worker heartbeats, syncs'
snapshot flags and the staff dashboard all ask ``get_redis()`` for a client. What costs is the
TCP connection (and redis-py's handshake, which looks its own version up through
``importlib.metadata``), so the connections live in one ``ConnectionPool`` per (URL, decoding,
timeout) created on first use and reused for the life of the process. The client is kept too:
building a ``redis.Redis`` fills a case-insensitive table of some 170 response callbacks (about
0.2 ms of CPU, more than the command it would send), and a client on a pool is thread-safe.

Fork-safe: redis-py's pool notices a changed pid on the next checkout and drops the connections
it inherited, so a Celery prefork child never shares a socket with its parent. The URL is read
from settings on every call (a dictionary look-up), so tests that change ``REDIS_URL`` get a
pool of their own.
"""

from __future__ import annotations

import threading

import redis
from django.conf import settings

_pools: dict[tuple[str, bool, float | None], redis.ConnectionPool] = {}
_clients: dict[tuple[str, bool, float | None], redis.Redis] = {}
_lock = threading.Lock()


def get_redis(
    *, url: str | None = None, decode_responses: bool = False, timeout: float | None = None
) -> redis.Redis:
    """A client on this process's shared pool for ``url`` (default: ``settings.REDIS_URL``).

    ``decode_responses`` gives str instead of bytes; ``timeout`` sets the connect and read
    timeouts (the health check wants a quick answer rather than a hung probe).
    """
    key = (url or settings.REDIS_URL, decode_responses, timeout)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                pool = redis.ConnectionPool.from_url(
                    key[0],
                    decode_responses=decode_responses,
                    socket_connect_timeout=timeout,
                    socket_timeout=timeout,
                    health_check_interval=30,
                )
                _pools[key] = pool
                client = _clients[key] = redis.Redis(connection_pool=pool)
    return client


def get_broker_redis() -> redis.Redis:
    """A client for the Celery broker's Redis (queue lengths on the staff dashboard)."""
    return get_redis(url=settings.CELERY_BROKER_URL)


def close_pools() -> None:
    """Disconnect and forget every pool (tests that swap Redis servers call this)."""
    with _lock:
        for pool in _pools.values():
            pool.disconnect()
        _pools.clear()
        _clients.clear()
