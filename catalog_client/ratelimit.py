"""A rate limiter in Redis shared by every process that uses the same x-api-key.

Amazon enforces its TPS limit per application (reference.md §3.9), i.e. per security profile,
not per worker, so N Celery workers must share one budget. This is GCRA (the generic cell rate
algorithm) with reservations: one Lua script, run atomically by Redis, keeps a single number
per api key, the "theoretical arrival time" (TAT) of the next free slot. Each caller reserves
the next slot and learns how long to sleep before it starts; calls from all processes therefore
come out evenly spaced at 1/rate seconds, instead of bursting at the top of each window and
collecting 429s, which is what a fixed-window counter does.

The script reads the clock with Redis ``TIME`` so that every process uses the same clock,
whatever their own clocks say. A caller whose wait would exceed its budget reserves nothing
and gets ``RateLimitedError`` with the wait, so a Celery task can reschedule itself instead of
sleeping inside a worker.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, cast

import redis

from catalog_client.errors import RateLimitedError

# KEYS[1]: TAT key. ARGV: interval_us, tolerance_us, max_wait_us, cost.
# Returns {granted (1/0), wait_us}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, wait} end
local new_tat = tat + interval * cost
local ttl_ms = math.ceil((new_tat - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
return {1, wait}
"""

# KEYS[1]: TAT key. ARGV: pause_us. Pushes the next free slot to at least now + pause.
_PENALIZE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local target = now + tonumber(ARGV[1])
if tat < target then
  local ttl_ms = math.ceil(tonumber(ARGV[1]) / 1000) + 1000
  redis.call('SET', KEYS[1], string.format('%.0f', target), 'PX', ttl_ms)
end
return 1
"""


def api_key_fingerprint(api_key: str) -> str:
    """A short stable digest, so Redis keys never hold the api key itself."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


class RedisRateLimiter:
    """Shared requests-per-second limit for one api key.

    ``rate`` is requests per second for all processes together; ``burst`` is how many calls
    may start back to back after an idle spell (1 means strictly evenly spaced, the safest
    setting against a server that counts per short window).
    """

    def __init__(
        self,
        redis_client: redis.Redis,
        api_key: str,
        *,
        rate: float,
        burst: int = 1,
        prefix: str = "amc",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive; pass rate_limiter=None to turn limiting off")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self._redis = redis_client
        self.rate = float(rate)
        self.burst = burst
        self.key = f"{prefix}:rl:{api_key_fingerprint(api_key)}"
        self._interval_us = round(1_000_000 / self.rate)
        self._tolerance_us = self._interval_us * (burst - 1)
        self._acquire = redis_client.register_script(_ACQUIRE)
        self._penalize = redis_client.register_script(_PENALIZE)
        self._sleep = sleep

    def reserve(self, max_wait: float, cost: int = 1) -> float | None:
        """Reserve a slot starting within ``max_wait`` seconds; the wait, or None if refused.

        A refusal reserves nothing. ``try_reserve`` semantics without sleeping, for callers
        that schedule their own waits.
        """
        granted, wait_us = self._run(max_wait, cost)
        return wait_us / 1_000_000 if granted else None

    def acquire(self, max_wait: float, cost: int = 1) -> float:
        """Wait for a slot and return how long that took.

        Raises ``RateLimitedError(retry_after=...)`` without waiting when the wait would be
        longer than ``max_wait`` seconds.
        """
        granted, wait_us = self._run(max_wait, cost)
        wait = wait_us / 1_000_000
        if not granted:
            raise RateLimitedError(
                f"The shared rate limit of {self.rate:g} requests/s is booked for the next "
                f"{wait:.2f}s, longer than the {max_wait:.2f}s this call may wait.",
                retry_after=wait,
                code="CLIENT_RATE_LIMITED",
            )
        if wait > 0:
            self._sleep(wait)
        return wait

    def penalize(self, seconds: float) -> None:
        """Hold every process off for ``seconds`` (after the server answered 429)."""
        if seconds > 0:
            self._penalize(keys=[self.key], args=[round(seconds * 1_000_000)])

    def reset(self) -> None:
        self._redis.delete(self.key)

    def _run(self, max_wait: float, cost: int) -> tuple[int, int]:
        result = cast(
            "list[Any]",
            self._acquire(
                keys=[self.key],
                args=[
                    self._interval_us,
                    self._tolerance_us,
                    round(max(0.0, max_wait) * 1_000_000),
                    cost,
                ],
            ),
        )
        return int(result[0]), int(result[1])
