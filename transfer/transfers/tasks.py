"""Celery tasks of the transfer pipeline: thin wrappers that take ids and call one service.

Rate limits never make a worker sleep: the client raises RateLimitedError past a short
budget, and the task reschedules itself with the wait Amazon asked for.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from uuid import UUID

from celery import shared_task
from celery.app.task import Task
from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from catalog_client import AmazonMusicError, PermissionDeniedError, RateLimitedError
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.connections.errors import (
    SERVICE_ERRORS,
    service_failure,
    service_retry_after,
    service_transient,
)
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import matching, writing
from transfer.transfers.services.jobs import job_fail

logger = logging.getLogger(__name__)

MAX_TRANSIENT_RETRIES = 8
# What a task turns into a retry or a failed job: Amazon's errors and the other services'.
CAUGHT: tuple[type[Exception], ...] = (
    AmazonMusicError,
    ReconnectRequired,
    AmazonUnavailable,
    *SERVICE_ERRORS,
)
STALLED_AFTER = dt.timedelta(minutes=3)


def enqueue_matching(job_id: UUID | str) -> None:
    """One task per chunk of positions, spread over the match queue's workers."""
    job = TransferJob.objects.get(id=job_id)
    chunk = settings.TRANSFER_MATCH_CHUNK
    for first in range(0, max(job.track_count, 1), chunk):
        match_chunk.delay(str(job.id), first, first + chunk - 1)


def _handle(task: Task, job_id: str, exc: Exception) -> None:
    """Reschedule on a rate limit or a passing failure; fail the job on a lasting one."""
    if isinstance(exc, SERVICE_ERRORS):
        _handle_service(task, job_id, exc)
        return
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


def _handle_service(task: Task, job_id: str, exc: Exception) -> None:
    """The same policy for Spotify's and YouTube's errors (transfer.connections.errors)."""
    wait = service_retry_after(exc)
    if wait is not None or service_transient(exc):
        TransferJob.objects.filter(id=job_id).update(retries=F("retries") + 1)
    if wait is not None:
        raise task.retry(countdown=wait + random.uniform(0, 1), max_retries=None) from exc
    if service_transient(exc) and task.request.retries < MAX_TRANSIENT_RETRIES:
        countdown = min(300, 2**task.request.retries) + random.uniform(0, 1)
        raise task.retry(countdown=countdown) from exc
    job_fail(job_id=job_id, message=service_failure(exc))


def _transient(exc: Exception) -> bool:
    return isinstance(exc, AmazonUnavailable) or (
        isinstance(exc, AmazonMusicError) and exc.transient
    )


@shared_task(bind=True, name="transfer.transfers.tasks.match_chunk", max_retries=None)
def match_chunk(self: Task, job_id: str, first: int, last: int) -> int:
    try:
        return matching.match_chunk(job_id=job_id, first=first, last=last)
    except CAUGHT as exc:
        _handle(self, job_id, exc)
        return 0


@shared_task(bind=True, name="transfer.transfers.tasks.write_job", max_retries=None)
def write_job(self: Task, job_id: str) -> str:
    try:
        step = writing.job_write_step(job_id=job_id, owner=self.request.id or "direct")
    except CAUGHT as exc:
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
    """Re-queue work that a killed worker left behind (beat runs this every minute).

    With Redis as the broker, a message whose worker died is only redelivered after the
    visibility timeout; this finds such jobs much sooner. Safe to over-queue: matching skips
    decided tracks and writing is leased.
    """
    now = timezone.now()
    recovered = 0
    matching_jobs = TransferJob.objects.filter(
        state=TransferJob.State.MATCHING, started_at__lt=now - STALLED_AFTER
    )
    for job in matching_jobs:
        last = job.tracks.aggregate(last=Max("decided_at"))["last"] or job.started_at or now
        if last < now - STALLED_AFTER and job.tracks.filter(band=SourceTrack.Band.PENDING).exists():
            enqueue_matching(job.id)
            recovered += 1
    writing_jobs = TransferJob.objects.filter(
        state=TransferJob.State.WRITING, updated_at__lt=now - STALLED_AFTER
    ).exclude(lease_until__gt=now)  # a live lease means a worker is on it
    for job in writing_jobs:
        write_job.delay(str(job.id))
        recovered += 1
    if recovered:
        logger.info("Re-queued %d stalled transfer job(s)", recovered)
    return recovered
