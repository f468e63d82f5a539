"""The progress partial for many viewers: rendered at most once a second per job, served from
Redis.

Hundreds of people (or tabs) may watch one job. The partial they poll is rendered by whichever
request first finds the cached copy older than ``FRESH_SECONDS`` (that request alone reads the
database); every other request reads one Redis key and compares ETags, so an unchanged partial
costs a 304 and no database work (each web process also keeps its last copy for the same
second, sparing the Redis read). The session, which says who is asking, is read from the
cache too (``cached_db`` sessions), and the person's id is checked against the job's owner
stored with the copy.

Polling backs off while nothing changes: the partial carries its own interval (``every 1s``
right after a change, up to ``every 10s`` after a minute of no change), so an idle or stuck
job is polled ten times less.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from uuid import UUID

import redis
from django.template.loader import render_to_string

from transfer.core.redis import get_redis
from transfer.transfers.models import TransferJob
from transfer.transfers.selectors import job_progress

FRESH_SECONDS = 1.0
KEEP_SECONDS = 3600
# (seconds without a change, poll interval): the first row whose age is not yet reached wins.
BACKOFF = ((5.0, 1), (20.0, 2), (60.0, 5))
SLOWEST_POLL = 10
LIVE_STATES = (TransferJob.State.MATCHING, TransferJob.State.WRITING)


@dataclass(frozen=True)
class Partial:
    owner_id: int
    state: str
    html: str
    etag: str
    rendered_at: float
    changed_at: float
    body_digest: str

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES


def _redis() -> redis.Redis:
    # The process's shared pool: a new connection per poll would cost more than the poll.
    return get_redis(decode_responses=True)


def _key(job_id: object) -> str:
    return f"amt:job:{job_id}:partial"


def poll_seconds(unchanged_for: float) -> int:
    for age, interval in BACKOFF:
        if unchanged_for < age:
            return interval
    return SLOWEST_POLL


# This process's last copy of each partial: while fresh it spares even the Redis read.
_local: dict[str, Partial] = {}
_LOCAL_MAX = 1000


def progress_partial(*, job_id: UUID | str) -> Partial | None:
    """The job's partial, from Redis when fresh, else rendered now; None if there is no job."""
    now = time.time()
    mine = _local.get(str(job_id))
    if mine is not None and now - mine.rendered_at < FRESH_SECONDS:
        return mine
    client = _redis()
    cached = _load(client, job_id)
    if cached is not None and now - cached.rendered_at < FRESH_SECONDS:
        return _remember(job_id, cached)
    # One request renders; the others keep serving the copy they have meanwhile.
    lock = f"{_key(job_id)}:lock"
    locked = bool(client.set(lock, 1, nx=True, ex=5))
    if cached is not None and not locked:
        return cached
    try:
        rendered = _render(client, job_id, cached, now)
        return _remember(job_id, rendered) if rendered is not None else None
    finally:
        if locked:
            client.delete(lock)


def _remember(job_id: UUID | str, partial: Partial) -> Partial:
    if len(_local) >= _LOCAL_MAX:
        _local.clear()  # many jobs watched at once: start over rather than track ages
    _local[str(job_id)] = partial
    return partial


def _render(
    client: redis.Redis, job_id: UUID | str, cached: Partial | None, now: float
) -> Partial | None:
    job = TransferJob.objects.filter(id=job_id).first()
    if job is None:
        return None
    view = job_progress(job=job)
    context = {"job": job, "progress": view}
    # What the person sees, without the poll interval (which follows from it).
    body = render_to_string("transfers/_progress.html", {**context, "poll_seconds": 0})
    digest = hashlib.blake2b(body.encode(), digest_size=12).hexdigest()
    changed_at = now if cached is None or cached.body_digest != digest else cached.changed_at
    html = render_to_string(
        "transfers/_progress.html", {**context, "poll_seconds": poll_seconds(now - changed_at)}
    )
    partial = Partial(
        owner_id=job.user_id,
        state=str(job.state),
        html=html,
        etag='"' + hashlib.blake2b(html.encode(), digest_size=12).hexdigest() + '"',
        rendered_at=now,
        changed_at=changed_at,
        body_digest=digest,
    )
    client.set(_key(job_id), json.dumps(partial.__dict__), ex=KEEP_SECONDS)
    return partial


def _load(client: redis.Redis, job_id: UUID | str) -> Partial | None:
    raw = client.get(_key(job_id))
    if not raw:
        return None
    try:
        return Partial(**json.loads(raw))
    except (TypeError, ValueError):
        return None  # an older layout: render anew
