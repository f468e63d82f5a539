"""Live progress of a job in Redis: counts per stage and band, rate, ETA, latest decisions.

Redis is only fast: every figure can be rebuilt from the database (``progress_rebuild``), and
pages fall back to it when Redis has nothing.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import redis
from django.db.models import Count

from transfer.core.redis import get_redis

LATEST = 12
TTL = 7 * 24 * 3600


def _redis() -> redis.Redis:
    # The process's shared pool: a poll or a decided track never opens a connection.
    return get_redis(decode_responses=True)


def _key(job_id: object) -> str:
    return f"amt:job:{job_id}:progress"


def _latest_key(job_id: object) -> str:
    return f"amt:job:{job_id}:latest"


@dataclass
class Progress:
    total: int = 0
    matched: int = 0
    review: int = 0
    not_found: int = 0
    written: int = 0
    to_write: int = 0
    match_started: float | None = None
    write_started: float | None = None
    resumed_at: float | None = None
    latest: list[dict[str, Any]] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.matched + self.review + self.not_found

    def rate(self, stage: str) -> float | None:
        """Tracks per second in the stage so far."""
        started = self.match_started if stage == "matching" else self.write_started
        done = self.decided if stage == "matching" else self.written
        if not started or done <= 0:
            return None
        elapsed = max(time.time() - started, 0.001)
        return done / elapsed

    def eta_seconds(self, stage: str) -> float | None:
        rate = self.rate(stage)
        if not rate:
            return None
        left = (
            (self.total - self.decided) if stage == "matching" else (self.to_write - self.written)
        )
        return max(left, 0) / rate

    def percent(self, stage: str) -> int:
        if stage == "matching":
            share = self.decided / self.total if self.total else 1.0
        else:
            share = self.written / self.to_write if self.to_write else 1.0
        return int(100 * min(share, 1.0))


def progress_start(job_id: object, *, stage: str, total: int) -> None:
    client = _redis()
    field_name = "match_started" if stage == "matching" else "write_started"
    total_field = "total" if stage == "matching" else "to_write"
    with client.pipeline() as pipe:
        pipe.hset(_key(job_id), mapping={field_name: time.time(), total_field: total})
        pipe.expire(_key(job_id), TTL)
        pipe.execute()


def progress_decided(job_id: object, band: str, summary: dict[str, Any]) -> None:
    progress_decided_many(job_id, [(band, summary)])


def progress_decided_many(job_id: object, decided: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Count decided tracks (band, summary), in order, in one round trip.

    The matching stage calls this once per batch of a chunk (about every second), not per
    track: the counts and the latest decisions move together, and cost one pipeline.
    """
    if not decided:
        return
    counts = Counter(band for band, _ in decided)
    latest = [json.dumps(summary) for _, summary in decided[-LATEST:]]
    with _redis().pipeline() as pipe:
        for band, count in counts.items():
            pipe.hincrby(_key(job_id), band, count)
        pipe.lpush(_latest_key(job_id), *latest)
        pipe.ltrim(_latest_key(job_id), 0, LATEST - 1)
        pipe.expire(_latest_key(job_id), TTL)
        pipe.execute()


def progress_set_written(job_id: object, count: int) -> None:
    """The number of tracks written so far, as counted in the database after a checkpoint."""
    _redis().hset(_key(job_id), "written", count)


def progress_note_resumed(job_id: object) -> None:
    """A stopped worker's job was picked up again; the page says so for a little while."""
    _redis().hset(_key(job_id), "resumed_at", time.time())


def progress_read(job_id: object) -> Progress | None:
    client = _redis()
    raw = client.hgetall(_key(job_id))
    if not raw:
        return None
    values = {str(k): str(v) for k, v in raw.items()}
    latest = [json.loads(item) for item in client.lrange(_latest_key(job_id), 0, LATEST - 1)]

    def num(name: str) -> int:
        return int(float(values.get(name, 0)))

    return Progress(
        total=num("total"),
        matched=num("matched"),
        review=num("review"),
        not_found=num("not_found"),
        written=num("written"),
        to_write=num("to_write"),
        match_started=float(values["match_started"]) if "match_started" in values else None,
        write_started=float(values["write_started"]) if "write_started" in values else None,
        resumed_at=float(values["resumed_at"]) if "resumed_at" in values else None,
        latest=latest,
    )


def progress_rebuild(job: Any) -> Progress:
    """The figures from the database, the source of truth (and a fallback when Redis is empty)."""
    bands = dict(job.tracks.values_list("band").annotate(n=Count("id")).order_by())
    writes = dict(job.tracks.values_list("write_state").annotate(n=Count("id")).order_by())
    written = writes.get("written", 0) + writes.get("already_there", 0) + writes.get("duplicate", 0)
    progress = Progress(
        total=job.track_count,
        matched=bands.get("matched", 0),
        review=bands.get("review", 0),
        not_found=bands.get("not_found", 0),
        written=written,
        to_write=written + writes.get("pending", 0),
        match_started=job.started_at.timestamp() if job.started_at else None,
    )
    client = _redis()
    client.hset(
        _key(job.id),
        mapping={
            "total": progress.total,
            "matched": progress.matched,
            "review": progress.review,
            "not_found": progress.not_found,
            "written": progress.written,
        },
    )
    client.expire(_key(job.id), TTL)
    return progress


def progress_clear(job_id: object) -> None:
    _redis().delete(_key(job_id), _latest_key(job_id))
