"""Per security profile (x-api-key) rate limit: a token bucket per key, in process memory.

Each key's bucket holds up to one second's worth of requests and refills continuously, so a
client that keeps under the limit on average is never throttled, and a burst beyond it is.
"""

from __future__ import annotations

import math
import threading
import time


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # key -> (tokens left, monotonic time of the last refill)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._rate = 0.0

    def acquire(self, key: str, rate: float) -> float | None:
        """Take one request from ``key``'s bucket.

        Returns None when the request may go ahead, otherwise the seconds until it would.
        ``rate`` 0 means no limit.
        """
        if rate <= 0:
            return None
        capacity = max(rate, 1.0)
        now = time.monotonic()
        with self._lock:
            if rate != self._rate:
                # A new limit starts every key with a full bucket.
                self._buckets.clear()
                self._rate = rate
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


def retry_after_header(wait_seconds: float) -> str:
    return str(max(1, math.ceil(wait_seconds)))


limiter = RateLimiter()
