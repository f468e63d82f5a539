"""Celery tasks of the transfer pipeline: thin wrappers that take ids and call one service.

Rate limits never make a worker sleep: the client raises RateLimitedError past a short
budget, and the task reschedules itself with the wait Amazon asked for.
"""

from __future__ import annotations

import logging
import random
from uuid import UUID

from celery import shared_task
from celery.app.task import Task
from django.conf import settings
from django.db.models import F

from catalog_client import AmazonMusicError, PermissionDeniedError, RateLimitedError
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.transfers.models import TransferJob
from transfer.transfers.services import matching, recovery, writing
from transfer.transfers.services.jobs import job_fail

logger = logging.getLogger(__name__)

MAX_TRANSIENT_RETRIES = 8


def enqueue_matching(job_id: UUID | str) -> None:
    """One task per chunk of positions, spread over the match queue's workers."""
    job = TransferJob.objects.get(id=job_id)
    chunk = settings.TRANSFER_MATCH_CHUNK
    for first in range(0, max(job.track_count, 1), chunk):
        match_chunk.delay(str(job.id), first, first + chunk - 1)


def _handle(task: Task, job_id: str, exc: Exception) -> None:
    """Reschedule on a rate limit or a passing failure; fail the job on a lasting one."""
    if isinstance(exc, RateLimitedError) or _transient(exc):
        # Counted for the staff dashboard and the admin.
        TransferJob.objects.filter(id=job_id).update(retries=F("retries") + 1)
    if isinstance(exc, RateLimitedError):
        countdown = exc.retry_after + random.uniform(0, 1)
        raise task.retry(countdown=countdown, max_retries=None) from exc
    if isinstance(exc, ReconnectRequired):
        job_fail(job_id=job_id, message=f"Reconnect your Amazon account, then resume. {exc}")
        return
    if isinstance(exc, PermissionDeniedError):
        job_fail(job_id=job_id, message=f"Amazon Music refused: {exc.message}")
        return
    if _transient(exc) and task.request.retries < MAX_TRANSIENT_RETRIES:
        countdown = min(300, 2**task.request.retries) + random.uniform(0, 1)
        raise task.retry(countdown=countdown) from exc
    job_fail(job_id=job_id, message=f"Stopped after an error: {exc}")


def _transient(exc: Exception) -> bool:
    return isinstance(exc, AmazonUnavailable) or (
        isinstance(exc, AmazonMusicError) and exc.transient
    )


@shared_task(bind=True, name="transfer.transfers.tasks.match_chunk", max_retries=None)
def match_chunk(self: Task, job_id: str, first: int, last: int) -> int:
    try:
        return matching.match_chunk(job_id=job_id, first=first, last=last)
    except (AmazonMusicError, ReconnectRequired, AmazonUnavailable) as exc:
        _handle(self, job_id, exc)
        return 0


@shared_task(bind=True, name="transfer.transfers.tasks.write_job", max_retries=None)
def write_job(self: Task, job_id: str) -> str:
    try:
        step = writing.job_write_step(job_id=job_id)
    except (AmazonMusicError, ReconnectRequired, AmazonUnavailable) as exc:
        _handle(self, job_id, exc)
        return "error"
    if step is writing.Step.MORE:
        write_job.delay(job_id)
    elif step is writing.Step.BUSY:
        # Another worker holds the lease: alive, it finishes the job and this retry finds it
        # done; killed, its lease expires and this retry takes over.
        raise self.retry(countdown=settings.TRANSFER_LEASE_SECONDS + 1)
    return step.value


@shared_task(name="transfer.transfers.tasks.recover_stalled")
def recover_stalled() -> int:
    """Re-queue work that a killed worker left behind (beat runs this every few seconds).

    With Redis as the broker, a message whose worker died is only redelivered after the
    visibility timeout; this finds such jobs within seconds instead: a writer's lease that
    lapsed (its worker renews it every few seconds while alive), or a job with no progress for
    TRANSFER_STALLED_SECONDS. Safe to over-queue: matching skips decided tracks and writing is
    leased.
    """
    return len(recovery.jobs_recover_stalled(enqueue_matching=enqueue_matching, write=_write_later))


def _write_later(job_id: UUID | str) -> None:
    write_job.delay(str(job_id))
