"""Counters of calls, retries, 429s, errors and cache use, shared per minute in Redis."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from catalog_client import COUNTERS, Metrics, NotFoundError, read_counter_series, read_counters
from tests.catalog_client.conftest import MakeClient
from tests.sandbox_server import SandboxServer


def test_calls_retries_429s_and_errors_are_counted(
    make_client: MakeClient,
    sandbox: SandboxServer,
    rconn: redis.Redis,
    prefix: str,
    catalog: dict[str, Any],
) -> None:
    client = make_client(metrics_flush_interval=0)
    sandbox.configure(retry_after=False, faults={"http_429": 0.5, "http_500": 0.5, "max_faults": 2})
    client.get_track(catalog["track_ids"][0])  # two faults, then success: 3 calls
    client.get_track(catalog["track_ids"][0])  # cache hit: no call
    with pytest.raises(NotFoundError):
        client.get_track("B0NOSUCHTRK")
    totals = read_counters(rconn, minutes=5, prefix=prefix)
    assert totals["calls"] == 4
    assert totals["retries"] == 2
    assert totals["http_429"] + totals["http_5xx"] == 2
    assert totals["cache_hits"] == 1
    assert totals["cache_misses"] == 2
    assert totals["errors"] == 1
    assert set(COUNTERS) <= set(totals)
    assert dict(client.metrics.local) == {k: v for k, v in totals.items() if v}


def test_series_is_per_minute(rconn: redis.Redis, prefix: str) -> None:
    metrics = Metrics(rconn, prefix=prefix, flush_interval=0)
    metrics.add({"calls": 2, "cache_hits": 1})
    now = time.time()
    series = read_counter_series(rconn, minutes=3, prefix=prefix, now=now)
    assert list(series) == [int(now // 60) - 2, int(now // 60) - 1, int(now // 60)]
    assert series[int(now // 60)] == {"calls": 2, "cache_hits": 1}
    assert rconn.ttl(f"{prefix}:m:{int(now // 60)}") > 0


def test_counts_are_batched_until_flushed(rconn: redis.Redis, prefix: str) -> None:
    metrics = Metrics(rconn, prefix=prefix, flush_interval=3600)
    metrics.incr("calls")
    metrics.incr("calls")
    assert read_counters(rconn, prefix=prefix)["calls"] == 0
    metrics.flush()
    assert read_counters(rconn, prefix=prefix)["calls"] == 2
    assert metrics.local["calls"] == 2


def test_without_redis_only_local_counts(prefix: str) -> None:
    metrics = Metrics(None, prefix=prefix)
    metrics.add({"calls": 1, "retries": 0})
    metrics.flush()
    assert dict(metrics.local) == {"calls": 1}
