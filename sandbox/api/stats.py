"""Counters of what the sandbox served, per x-api-key: requests, statuses, throttles, faults.

Benchmarks read them through GET /_sandbox/stats to see how many calls a run made and how many
were throttled.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NO_KEY = "(none)"


@dataclass
class KeyStats:
    requests: int = 0
    throttled: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "throttled": self.throttled,
            "statuses": dict(sorted(self.statuses.items())),
            "faults": dict(sorted(self.faults.items())),
        }


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, KeyStats] = {}
        self._since = datetime.now(UTC)

    def _key(self, api_key: str | None) -> KeyStats:
        return self._by_key.setdefault(api_key or NO_KEY, KeyStats())

    def record(self, api_key: str | None, status: str) -> None:
        """Count one answered request; ``status`` is the HTTP code, or "dropped"."""
        with self._lock:
            entry = self._key(api_key)
            entry.requests += 1
            entry.statuses[status] += 1

    def throttled(self, api_key: str | None) -> None:
        with self._lock:
            self._key(api_key).throttled += 1

    def fault(self, api_key: str | None, kind: str) -> None:
        with self._lock:
            self._key(api_key).faults[kind] += 1

    def reset(self) -> None:
        with self._lock:
            self._by_key.clear()
            self._since = datetime.now(UTC)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            by_key = {key: value.as_dict() for key, value in sorted(self._by_key.items())}
            since = self._since
        totals: dict[str, Any] = {"requests": 0, "throttled": 0, "statuses": Counter()}
        totals["faults"] = Counter()
        for value in by_key.values():
            totals["requests"] += value["requests"]
            totals["throttled"] += value["throttled"]
            totals["statuses"].update(value["statuses"])
            totals["faults"].update(value["faults"])
        totals["statuses"] = dict(sorted(totals["statuses"].items()))
        totals["faults"] = dict(sorted(totals["faults"].items()))
        return {"since": since.isoformat(), "total": totals, "by_api_key": by_key}


stats = Stats()
