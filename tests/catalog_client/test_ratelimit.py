"""The shared rate limiter: GCRA in Redis, one schedule for every process with the same key."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest
import redis

from catalog_client import RateLimitedError, RedisRateLimiter, read_counters
from catalog_client.ratelimit import api_key_fingerprint
from tests.catalog_client.conftest import redis_url, server_requests
from tests.catalog_client.workers import call_tracks, reserve_slots
from tests.sandbox_server import SandboxServer, Tokens


def _remaining_schedule(rconn: redis.Redis, limiter: RedisRateLimiter) -> float:
    """Seconds from now (Redis clock) until the next free slot."""
    tat = int(rconn.get(limiter.key) or 0)
    seconds, micros = rconn.time()
    return (tat - (seconds * 1_000_000 + micros)) / 1_000_000


def test_slots_are_spaced_and_refused_past_the_wait(rconn: redis.Redis, prefix: str) -> None:
    limiter = RedisRateLimiter(rconn, "key-a", rate=1, prefix=prefix)
    assert limiter.reserve(max_wait=0) == 0.0
    assert limiter.reserve(max_wait=0) is None  # the next slot is a second away
    wait = limiter.reserve(max_wait=5)
    assert wait is not None
    assert 0 < wait <= 1.0
    with pytest.raises(RateLimitedError) as caught:
        limiter.acquire(max_wait=0.5)
    assert caught.value.code == "CLIENT_RATE_LIMITED"
    assert 1.0 < caught.value.retry_after <= 2.0
    assert caught.value.transient is True


def test_burst_lets_that_many_start_at_once(rconn: redis.Redis, prefix: str) -> None:
    limiter = RedisRateLimiter(rconn, "key-b", rate=1, burst=3, prefix=prefix)
    assert [limiter.reserve(max_wait=0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.reserve(max_wait=0) is None


def test_keys_are_per_api_key_and_never_hold_the_key(rconn: redis.Redis, prefix: str) -> None:
    one = RedisRateLimiter(rconn, "amzn1.application.one", rate=1, prefix=prefix)
    two = RedisRateLimiter(rconn, "amzn1.application.two", rate=1, prefix=prefix)
    assert one.reserve(max_wait=0) == 0.0
    assert two.reserve(max_wait=0) == 0.0  # another key has its own budget
    assert "amzn1" not in one.key
    assert one.key.endswith(api_key_fingerprint("amzn1.application.one"))


def test_penalize_holds_everyone_off(rconn: redis.Redis, prefix: str) -> None:
    limiter = RedisRateLimiter(rconn, "key-c", rate=100, prefix=prefix)
    limiter.penalize(3.0)
    assert limiter.reserve(max_wait=1.0) is None
    assert 2.0 < _remaining_schedule(rconn, limiter) <= 3.0


def test_two_processes_share_one_schedule(rconn: redis.Redis, prefix: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(reserve_slots, [(redis_url(), "shared", prefix, 1.0, 5)] * 2)
    waits = sorted(w for result in results for w in result)
    assert len(waits) == 10
    limiter = RedisRateLimiter(rconn, "shared", rate=1.0, prefix=prefix)
    # Ten one-second slots were booked in one schedule; two separate ones would hold five.
    assert _remaining_schedule(rconn, limiter) > 6.0


def test_two_client_processes_stay_under_the_servers_limit_together(
    sandbox: SandboxServer, alice: Tokens, prefix: str, rconn: redis.Redis, catalog: dict[str, Any]
) -> None:
    rate = 20
    sandbox.configure(rate_limit=rate)
    options = {
        "api_key": alice.api_key,
        "token_provider": alice.access_token,
        "base_url": sandbox.api_url,
        "key_prefix": prefix,
        "rate_limit": rate,
        "cache": False,
        "retry_budget": 5.0,
    }
    ids = catalog["track_ids"][:60]
    # Counted for this key only: a late request of an earlier test on the shared sandbox once
    # made the server's total 61.
    before = server_requests(sandbox, alice.api_key)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(
            call_tracks, [(options, redis_url(), ids[:30]), (options, redis_url(), ids[30:])]
        )
    assert [r["errors"] for r in results] == [[], []]
    assert sum(r["ok"] for r in results) == 60
    stats = sandbox.stats()
    # 60 calls against a bucket of 20 refilled at 20/s: only a shared schedule avoids 429s.
    assert stats["total"]["throttled"] == 0
    assert server_requests(sandbox, alice.api_key) - before == 60, stats
    assert all(r["counters"].get("limiter_wait_ms", 0) > 0 for r in results)
    totals = read_counters(rconn, minutes=5, prefix=prefix)
    assert totals["calls"] == 60
    assert totals["http_429"] == 0
    assert totals["rate_limited"] == 0


def test_a_client_without_redis_has_no_limiter_cache_or_shared_counters(
    sandbox: SandboxServer, alice: Tokens, catalog: dict[str, Any]
) -> None:
    from catalog_client import AmazonMusicClient

    with AmazonMusicClient(
        api_key=alice.api_key,
        token_provider=alice.access_token,
        base_url=sandbox.api_url,
        rate_limit=5,
    ) as client:
        assert client.rate_limiter is None
        assert client.cache is None
        client.get_track(catalog["track_ids"][0])
        assert client.metrics.local["calls"] == 1
