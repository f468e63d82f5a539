"""What the Celery workers report for the dashboard: heartbeats and task retries and failures.

Each worker runs a small bootstep that writes ``amt:worker:<hostname>`` to Redis every
``BEAT_SECONDS`` with a time-to-live of ``TTL_SECONDS``: a worker that stops, or dies without a
word, disappears from the dashboard when its key expires. (``celery inspect ping`` would ask
the same live, but makes every page load wait for its timeout.) Retried and failed tasks are
counted per minute in ``amt:tasks:m:<unix minute>`` from Celery's signals, in the worker that
ran them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import redis
from celery import bootsteps
from celery.signals import task_failure, task_retry

from transfer.core.redis import get_redis

logger = logging.getLogger(__name__)

BEAT_SECONDS = 10.0
TTL_SECONDS = 35
WORKER_PREFIX = "amt:worker:"
TASKS_PREFIX = "amt:tasks"
_COUNTS_TTL = 24 * 3600


def _redis() -> redis.Redis:
    return get_redis(decode_responses=True)


@dataclass(frozen=True)
class WorkerBeat:
    hostname: str
    pid: int
    queues: list[str]
    started: float
    seen: float

    @property
    def age_seconds(self) -> float:
        return max(0.0, time.time() - self.seen)


class Heartbeat(bootsteps.StartStopStep):
    """A worker bootstep: a thread that says "alive" to Redis until the worker stops."""

    label = "Dashboard heartbeat"

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, parent: Any) -> None:
        hostname = str(parent.hostname)
        queues = sorted(getattr(parent.app.amqp.queues, "consume_from", None) or [])
        started = time.time()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run,
            args=(hostname, queues, started),
            name="dashboard-heartbeat",
            daemon=True,
        )
        self._thread.start()

    def terminate(self, parent: Any) -> None:
        # A cold shutdown calls terminate, not stop; the heartbeat must end either way.
        self.stop(parent)

    def stop(self, parent: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with contextlib.suppress(redis.RedisError):
            _redis().delete(WORKER_PREFIX + str(parent.hostname))

    def _run(self, hostname: str, queues: list[str], started: float) -> None:
        client = _redis()
        while not self._stop.is_set():
            beat = {"pid": os.getpid(), "queues": queues, "started": started, "seen": time.time()}
            try:
                client.set(WORKER_PREFIX + hostname, json.dumps(beat), ex=TTL_SECONDS)
            except redis.RedisError:
                logger.warning("Could not write the worker heartbeat to Redis")
            self._stop.wait(BEAT_SECONDS)


def install(app: Any) -> None:
    """Add the heartbeat to every worker this Celery app starts."""
    app.steps["worker"].add(Heartbeat)


def workers_alive() -> list[WorkerBeat]:
    """Workers whose heartbeat has not expired, by name."""
    client = _redis()
    keys = sorted(client.scan_iter(match=WORKER_PREFIX + "*", count=500))
    beats = []
    for key, raw in zip(keys, client.mget(keys) if keys else [], strict=True):
        if raw is None:
            continue  # expired between the scan and the read
        data = json.loads(raw)
        beats.append(
            WorkerBeat(
                hostname=key.removeprefix(WORKER_PREFIX),
                pid=int(data.get("pid", 0)),
                queues=list(data.get("queues", [])),
                started=float(data.get("started", 0)),
                seen=float(data.get("seen", 0)),
            )
        )
    return beats


def count_task(name: str, n: int = 1) -> None:
    """Add to this minute's task counter (dashboard figures: losing one never matters)."""
    key = f"{TASKS_PREFIX}:m:{int(time.time() // 60)}"
    try:
        with _redis().pipeline(transaction=False) as pipe:
            pipe.hincrby(key, name, n)
            pipe.expire(key, _COUNTS_TTL)
            pipe.execute()
    except redis.RedisError:
        pass


def read_task_series(minutes: int, *, now: float | None = None) -> dict[int, dict[str, int]]:
    """Per-minute task counters, keyed by unix minute, oldest first."""
    current = int((time.time() if now is None else now) // 60)
    wanted = list(range(current - max(1, minutes) + 1, current + 1))
    with _redis().pipeline(transaction=False) as pipe:
        for minute in wanted:
            pipe.hgetall(f"{TASKS_PREFIX}:m:{minute}")
        rows = pipe.execute()
    return {
        minute: {str(k): int(v) for k, v in raw.items()}
        for minute, raw in zip(wanted, rows, strict=True)
    }


@task_retry.connect
def _on_retry(**_: Any) -> None:
    count_task("retried")


@task_failure.connect
def _on_failure(**_: Any) -> None:
    count_task("failed")
