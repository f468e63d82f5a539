"""Functions run in child processes by the limiter tests (importable, no pytest inside)."""

from __future__ import annotations

from typing import Any

import redis

from catalog_client import AmazonMusicClient, AmazonMusicError, RedisRateLimiter


def reserve_slots(
    redis_url: str, api_key: str, prefix: str, rate: float, count: int
) -> list[float]:
    """Reserve ``count`` slots without sleeping; the waits the limiter handed out."""
    limiter = RedisRateLimiter(redis.Redis.from_url(redis_url), api_key, rate=rate, prefix=prefix)
    waits = []
    for _ in range(count):
        wait = limiter.reserve(max_wait=3600)
        assert wait is not None
        waits.append(wait)
    return waits


def call_tracks(options: dict[str, Any], redis_url: str, track_ids: list[str]) -> dict[str, Any]:
    """Fetch tracks through a client sharing the Redis limiter; what happened, for the parent."""
    client = AmazonMusicClient(redis=redis.Redis.from_url(redis_url), **options)
    ok = 0
    errors: list[str] = []
    for track_id in track_ids:
        try:
            client.get_track(track_id)
            ok += 1
        except AmazonMusicError as exc:
            errors.append(repr(exc))
    client.close()
    return {"ok": ok, "errors": errors, "counters": dict(client.metrics.local)}
