"""Counters of what the client did, per minute, in Redis, for the dashboard.

Each minute has one Redis hash ``{prefix}:m:{unix minute}`` whose fields are counter names;
every process adds to the same hashes, so the dashboard sees the fleet, not one worker. The
hashes expire after a day. A client also keeps its own in-process totals (``Metrics.local``),
which tests and the benchmark read without Redis.

Counts are sent to Redis at most once per ``flush_interval`` seconds (default 1 s), batched in
one pipeline, rather than once per call: a Redis round trip per API call would be most of the
client's own overhead. The dashboard reads per minute, so a second's lag is invisible; what is
pending is flushed at interpreter exit and by ``flush()``.

Counter names (``COUNTERS``):

* ``calls``: HTTP requests sent (each retry counts again); ``retries``: of those, repeats;
* ``http_429``: 429 answers received; ``http_5xx``; ``errors``: calls that raised to the caller;
* ``rate_limited``: RateLimitedError raised to the caller (server or own limiter);
* ``cache_hits`` / ``cache_misses``: catalog and user-data lookups;
* ``refreshes``: token refreshes after a 401;
* ``limiter_wait_ms``: total time spent waiting for the shared limiter.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections import Counter

import redis

COUNTERS = (
    "calls",
    "retries",
    "http_429",
    "http_5xx",
    "errors",
    "rate_limited",
    "cache_hits",
    "cache_misses",
    "refreshes",
    "limiter_wait_ms",
)

_TTL_SECONDS = 24 * 3600


def _minute(ts: float) -> int:
    return int(ts // 60)


def _key(prefix: str, minute: int) -> str:
    return f"{prefix}:m:{minute}"


class Metrics:
    """Adds counts locally and, when given a Redis client, to the shared per-minute hashes."""

    def __init__(
        self,
        redis_client: redis.Redis | None = None,
        *,
        prefix: str = "amc",
        flush_interval: float = 1.0,
    ) -> None:
        self._redis = redis_client
        self.prefix = prefix
        self.flush_interval = flush_interval
        self.local: Counter[str] = Counter()
        # Pending counts per unix minute, so a late flush still lands in the right minute.
        self._pending: dict[int, Counter[str]] = {}
        self._last_flush = time.monotonic()
        self._lock = threading.Lock()
        if redis_client is not None:
            _live.add(self)

    def add(self, counts: dict[str, int]) -> None:
        """Record several counts at once."""
        counts = {name: n for name, n in counts.items() if n}
        if not counts:
            return
        with self._lock:
            self.local.update(counts)
            if self._redis is None:
                return
            self._pending.setdefault(_minute(time.time()), Counter()).update(counts)
            due = time.monotonic() - self._last_flush >= self.flush_interval
        if due:
            self.flush()

    def incr(self, name: str, n: int = 1) -> None:
        self.add({name: n})

    def flush(self) -> None:
        """Send pending counts to Redis now."""
        if self._redis is None:
            return
        with self._lock:
            pending, self._pending = self._pending, {}
            self._last_flush = time.monotonic()
        if not pending:
            return
        try:
            pipe = self._redis.pipeline(transaction=False)
            for minute, counts in pending.items():
                key = _key(self.prefix, minute)
                for name, n in counts.items():
                    pipe.hincrby(key, name, n)
                pipe.expire(key, _TTL_SECONDS)
            pipe.execute()
        except redis.RedisError:
            # Counters are for the dashboard; losing a few never fails a transfer.
            pass


_live: weakref.WeakSet[Metrics] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    for metrics in list(_live):
        metrics.flush()


def read_counters(
    redis_client: redis.Redis,
    minutes: int = 60,
    *,
    prefix: str = "amc",
    now: float | None = None,
) -> dict[str, int]:
    """Totals of every counter over the last ``minutes`` minutes (this one included)."""
    totals: dict[str, int] = dict.fromkeys(COUNTERS, 0)
    for row in read_counter_series(redis_client, minutes, prefix=prefix, now=now).values():
        for name, value in row.items():
            totals[name] = totals.get(name, 0) + value
    return totals


def read_counter_series(
    redis_client: redis.Redis,
    minutes: int = 60,
    *,
    prefix: str = "amc",
    now: float | None = None,
) -> dict[int, dict[str, int]]:
    """Per-minute counters, keyed by unix minute (``unix time // 60``), oldest first."""
    current = _minute(time.time() if now is None else now)
    wanted = list(range(current - max(1, minutes) + 1, current + 1))
    pipe = redis_client.pipeline(transaction=False)
    for minute in wanted:
        pipe.hgetall(_key(prefix, minute))
    series: dict[int, dict[str, int]] = {}
    for minute, raw in zip(wanted, pipe.execute(), strict=True):
        series[minute] = {
            (k.decode() if isinstance(k, bytes) else str(k)): int(v) for k, v in raw.items()
        }
    return series
