"""Benchmark of catalog_client against the sandbox: shared-limit throughput and per-call overhead.

    .venv/bin/python -m devtools.benchmarks.client_throughput --rate 20 --processes 4 --seconds 20

Part 1 limits the sandbox to ``--rate`` (T) requests per second for our x-api-key, then runs
``--processes`` client processes making catalog calls (get track, search tracks) for
``--seconds``, all sharing one Redis rate limiter. It reports the achieved rate over T (goal:
at least 0.9), the 429s the server sent and the 429s that reached a caller (goal: none).

Part 2 turns the sandbox's limit off and times, one call at a time, the same GET /tracks/{id}
made with plain ``requests`` and through the client (with and without Redis), so the client's
own overhead per call can be read against the raw HTTP round trip.

A development tool: it starts its own sandbox server (devtools/sandbox_server.py) unless given
``--sandbox-url``, and uses Redis from REDIS_URL (default db 15) under a key prefix of its own,
deleted at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from typing import Any

import redis
import requests

from catalog_client import AmazonMusicClient, AmazonMusicError, RateLimitedError, read_counters

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


# --- part 1: throughput under a shared limit ---------------------------------------------------


def _worker(
    options: dict[str, Any],
    redis_url: str,
    track_ids: list[str],
    words: list[str],
    start_at: float,
    stop_at: float,
    seed: int,
) -> dict[str, Any]:
    """One client process: catalog calls until ``stop_at``; what happened."""
    rng = random.Random(seed)
    client = AmazonMusicClient(redis=redis.Redis.from_url(redis_url), **options)
    ok = rate_limited = other_errors = 0
    first_error = ""
    while time.time() < start_at:
        time.sleep(0.001)
    calls = 0
    while time.time() < stop_at:
        try:
            if calls % 2 == 0:
                client.get_track(rng.choice(track_ids))
            else:
                client.search_tracks(rng.choice(words), limit=5).first_page()
            ok += 1
        except RateLimitedError:
            rate_limited += 1
        except AmazonMusicError as exc:
            other_errors += 1
            first_error = first_error or repr(exc)
        calls += 1
    finished = time.time()
    client.close()
    return {
        "ok": ok,
        "rate_limited": rate_limited,
        "other_errors": other_errors,
        "first_error": first_error,
        "finished": finished,
        "counters": dict(client.metrics.local),
    }


def throughput(
    server: Any,
    tokens: dict[str, str],
    redis_url: str,
    prefix: str,
    *,
    rate: float,
    processes: int,
    seconds: float,
    headroom: float,
    track_ids: list[str],
    words: list[str],
) -> dict[str, Any]:
    server.reset()
    server.configure(rate_limit=rate)
    options = {
        "api_key": tokens["api_key"],
        "token_provider": tokens["access_token"],
        "base_url": server.api_url,
        "key_prefix": prefix,
        # The limiter aims a hair under T so network jitter never tips the server over.
        "rate_limit": rate * headroom,
        # Every call must reach the server: this measures the limiter, not the cache.
        "cache": False,
        "retry_budget": 5.0,
    }
    start_at = time.time() + 2.0
    stop_at = start_at + seconds
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        results = pool.starmap(
            _worker,
            [
                (options, redis_url, track_ids, words, start_at, stop_at, n)
                for n in range(processes)
            ],
        )
    elapsed = max(r["finished"] for r in results) - start_at
    stats = server.stats()
    ok = sum(r["ok"] for r in results)
    return {
        "elapsed": elapsed,
        "ok": ok,
        "per_process": [r["ok"] for r in results],
        "achieved": ok / elapsed,
        "rate_limited": sum(r["rate_limited"] for r in results),
        "other_errors": sum(r["other_errors"] for r in results),
        "first_error": next((r["first_error"] for r in results if r["first_error"]), ""),
        "server_requests": stats["total"]["requests"],
        "server_throttled": stats["total"]["throttled"],
        "server_statuses": stats["total"]["statuses"],
        "counters": read_counters(redis.Redis.from_url(redis_url), minutes=10, prefix=prefix),
    }


# --- part 2: per-call overhead -----------------------------------------------------------------


def _timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def overhead(
    server: Any,
    tokens: dict[str, str],
    redis_url: str,
    prefix: str,
    *,
    calls: int,
    track_ids: list[str],
) -> dict[str, list[float]]:
    server.reset()
    server.configure(rate_limit=0)
    rconn = redis.Redis.from_url(redis_url)
    common = {
        "api_key": tokens["api_key"],
        "token_provider": tokens["access_token"],
        "base_url": server.api_url,
        "key_prefix": prefix + ":overhead",
    }
    bare = AmazonMusicClient(**common)  # no Redis: timeout, retries, models
    full = AmazonMusicClient(
        redis=rconn, rate_limit=1_000_000, cache=False, **common
    )  # + shared limiter and counters in Redis
    cached = AmazonMusicClient(redis=rconn, **common)  # cache on (hits after warm-up)
    session = requests.Session()
    headers = {
        "Authorization": f"Bearer {tokens['access_token']}",
        "x-api-key": tokens["api_key"],
        "Accept": "application/json",
    }

    def raw(track_id: str) -> None:
        response = session.get(f"{server.api_url}/tracks/{track_id}", headers=headers, timeout=15)
        response.raise_for_status()
        response.json()

    hot = track_ids[0]
    cached.get_track(hot)
    variants = {
        "raw requests (Session, .json())": raw,
        "client, no Redis": bare.get_track,
        "client + Redis limiter/counters": full.get_track,
        "client, cache hit": lambda _id: cached.get_track(hot),
    }
    for call in variants.values():  # warm connections and code paths
        for track_id in track_ids[:20]:
            call(track_id)
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for i in range(calls):
        track_id = track_ids[i % len(track_ids)]
        # Interleaved, so drift in the server's speed hits every variant alike.
        for name, call in variants.items():
            timings[name].append(_timed(lambda c=call, t=track_id: c(t)))
    for client in (bare, full, cached):
        client.close()
    return timings


# --- main --------------------------------------------------------------------------------------


def _collect_ids(server: Any, tokens: dict[str, str], count: int) -> tuple[list[str], list[str]]:
    with AmazonMusicClient(
        api_key=tokens["api_key"], token_provider=tokens["access_token"], base_url=server.api_url
    ) as client:
        tracks = client.iter_top_tracks().take(count)
    words = sorted({w.lower() for t in tracks for w in (t.title or "").split() if w.isalpha()})
    return [t.id for t in tracks], words[:200] or ["love"]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"mean {statistics.fmean(values) * 1000:7.3f} ms  p50 {p50 * 1000:7.3f} ms  "
        f"p95 {p95 * 1000:7.3f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20.0, help="sandbox limit T, requests/s")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--headroom", type=float, default=0.98, help="client limit = T x this")
    parser.add_argument("--latency-calls", type=int, default=300)
    parser.add_argument("--sandbox-url", help="use a running sandbox instead of starting one")
    args = parser.parse_args(argv)

    redis_url = os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    rconn = redis.Redis.from_url(redis_url)

    from devtools.sandbox_server import SandboxServer  # dev-only: the bench drives the sandbox

    server = SandboxServer()
    if args.sandbox_url:
        server.port = int(args.sandbox_url.rsplit(":", 1)[1].split("/")[0])
    else:
        print("Starting a sandbox server (seeding on first use may take a while)...", flush=True)
        server.start()
    try:
        minted = server.mint_token("alice")
        tokens = {"api_key": minted.api_key, "access_token": minted.access_token}
        server.reset()
        server.configure(rate_limit=0)
        track_ids, words = _collect_ids(server, tokens, 400)

        result = throughput(
            server,
            tokens,
            redis_url,
            prefix,
            rate=args.rate,
            processes=args.processes,
            seconds=args.seconds,
            headroom=args.headroom,
            track_ids=track_ids,
            words=words,
        )
        ratio = result["achieved"] / args.rate
        counters = result["counters"]
        print()
        print(f"== Part 1: {args.processes} processes, sandbox limited to T = {args.rate:g} rps ==")
        print(f"client limiter rate (shared in Redis): {args.rate * args.headroom:g} req/s")
        print(f"duration: {result['elapsed']:.2f} s; calls per process: {result['per_process']}")
        print(f"successful calls: {result['ok']}  (get track + search tracks, alternating)")
        print(f"achieved rate: {result['achieved']:.2f} req/s;  achieved / T = {ratio:.3f}")
        print(f"server: {result['server_requests']} requests, statuses {result['server_statuses']}")
        print(f"429s sent by the server: {result['server_throttled']}")
        print(f"429s that reached a caller (RateLimitedError): {result['rate_limited']}")
        print(f"other errors reaching a caller: {result['other_errors']} {result['first_error']}")
        print(
            "client counters (Redis): "
            + ", ".join(f"{k}={v}" for k, v in counters.items() if k != "cache_hits")
        )
        part1_ok = ratio >= 0.9 and result["rate_limited"] == 0 and result["other_errors"] == 0
        verdict = "MET" if part1_ok else "NOT MET"
        print(f"goal (ratio >= 0.9 and no 429 reaches a caller): {verdict}")

        timings = overhead(
            server, tokens, redis_url, prefix, calls=args.latency_calls, track_ids=track_ids
        )
        print()
        print(f"== Part 2: per-call latency, sandbox limit off, {args.latency_calls} calls each ==")
        print("GET /tracks/{id}, one process, calls interleaved")
        raw_name = next(iter(timings))
        raw_mean = statistics.fmean(timings[raw_name])
        for name, values in timings.items():
            extra = statistics.fmean(values) - raw_mean
            note = "" if name == raw_name else f"  overhead vs raw {extra * 1000:+.3f} ms"
            print(f"{name:34s} {_ms(values)}{note}")
        return 0 if part1_ok else 1
    finally:
        if not args.sandbox_url:
            server.stop()
        keys = list(rconn.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            rconn.delete(*keys)


if __name__ == "__main__":
    sys.exit(main())
