"""Live progress of an upload being read, in Redis, for the page the person waits on.

The worker reading an upload (``intake.upload_read``) says what it is doing: reading a file,
looking YouTube video ids up, or creating the tracks (so many of so many). All of it happens
inside one database transaction, invisible to the web until it commits, so the figures live
here; they can be lost without harm (the page then says only that the upload is being read),
and the outcome itself is the ``Upload`` row's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from transfer.core.redis import get_redis

TTL = 24 * 3600
# Creating tracks is reported at most this often: a 100,000-track library is some 50 writes.
EVERY_SECONDS = 0.25


def _key(upload_id: object) -> str:
    return f"amt:upload:{upload_id}:progress"


@dataclass(frozen=True)
class UploadProgress:
    phase: str = ""  # "", "reading", "looking_up", "creating", "done", "failed"
    name: str = ""
    done: int = 0
    total: int = 0
    started_at: float | None = None
    updated_at: float | None = None
    # When each phase began, by phase.
    began: dict[str, float] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return int(100 * min(self.done / self.total, 1.0)) if self.total else 0


def reporter(upload_id: object) -> Any:
    """A callable the reading reports to: ``report(phase, name=, done=, total=)``."""
    client = get_redis(decode_responses=True)
    key = _key(upload_id)
    last = [0.0]
    current = [""]
    started = time.time()

    def report(phase: str, *, name: str = "", done: int = 0, total: int = 0) -> None:
        now = time.time()
        # Track counts come every batch; one write a quarter-second is live enough.
        if phase == "creating" and 0 < done < total and now - last[0] < EVERY_SECONDS:
            return
        last[0] = now
        with client.pipeline(transaction=False) as pipe:
            if phase != current[0]:
                # When each phase began ("reading_at", "creating_at", "done_at"...).
                current[0] = phase
                pipe.hset(key, f"{phase}_at", now)
            pipe.hset(
                key,
                mapping={
                    "phase": phase,
                    "name": name,
                    "done": done,
                    "total": total,
                    "started_at": started,
                    "updated_at": now,
                },
            )
            pipe.expire(key, TTL)
            pipe.execute()

    return report


def ignore(phase: str, **fields: Any) -> None:
    """For reading in the request itself, where nobody watches."""


def upload_progress_read(upload_id: object) -> UploadProgress:
    raw: dict[str, str] = get_redis(decode_responses=True).hgetall(_key(upload_id))  # type: ignore[assignment]
    if not raw:
        return UploadProgress()
    return UploadProgress(
        phase=raw.get("phase", ""),
        name=raw.get("name", ""),
        done=int(raw.get("done") or 0),
        total=int(raw.get("total") or 0),
        started_at=float(raw["started_at"]) if raw.get("started_at") else None,
        updated_at=float(raw["updated_at"]) if raw.get("updated_at") else None,
        began={
            k[: -len("_at")]: float(v)
            for k, v in raw.items()
            if k.endswith("_at") and k not in ("started_at", "updated_at") and v
        },
    )
