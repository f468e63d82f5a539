"""Our own count of the YouTube quota units spent today, shared by every process through Redis.

YouTube charges units per call (list 1, insert 50, search 100) against a daily budget per
Google Cloud project, reset at midnight Pacific time. Counting them ourselves lets the app show
what a transfer will cost before it starts, and stop before Google refuses. The count is a
cache: Google's ``quotaExceeded`` answer is the truth and overrides it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import redis

PACIFIC = ZoneInfo("America/Los_Angeles")
COSTS = {"list": 1, "insert": 50, "update": 50, "delete": 50, "search": 100}


def pacific_day(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(PACIFIC).date().isoformat()


def seconds_until_reset(now: dt.datetime | None = None) -> float:
    """Seconds to the next midnight Pacific time (when Google resets every project's units)."""
    current = (now or dt.datetime.now(dt.UTC)).astimezone(PACIFIC)
    midnight = dt.datetime.combine(current.date() + dt.timedelta(days=1), dt.time(), PACIFIC)
    return max(1.0, (midnight - current).total_seconds())


class QuotaLedger:
    def __init__(self, client: redis.Redis, *, daily: int, project: str) -> None:
        self.redis = client
        self.daily = daily
        self.project = project

    def _key(self) -> str:
        return f"youtube:quota:{self.project}:{pacific_day()}"

    def used(self) -> int:
        return int(self.redis.get(self._key()) or 0)

    def left(self) -> int:
        return max(0, self.daily - self.used())

    def spend(self, units: int) -> bool:
        """Count ``units``; False (and nothing counted) when they do not fit today."""
        key = self._key()
        total = int(self.redis.incrby(key, units))
        self.redis.expire(key, 2 * 24 * 3600)
        if total > self.daily:
            self.redis.decrby(key, units)
            return False
        return True

    def exhaust(self) -> None:
        """Google said quotaExceeded: believe it for the rest of the day."""
        key = self._key()
        self.redis.set(key, self.daily, ex=2 * 24 * 3600)
