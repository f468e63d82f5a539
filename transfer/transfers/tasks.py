"""Celery tasks of the transfer pipeline: thin wrappers that take ids and call one service.

Rate limits never make a worker sleep: the client raises RateLimitedError past a short budget,
and the task reschedules itself with the wait Amazon asked for. What to do about any failure
(wait, retry, give up) is the one policy in transfer/core/retrying.py; the task only says how
far its work has got, so that a job making progress under faults is never given up on.

Tasks are registered under the names in dispatch.py, which is how services queue them without
importing this module.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from celery.app.task import Task
from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from catalog_client import AmazonMusicError, PermissionDeniedError
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.core.retrying import RetryPolicy, RetryState, Verdict, reschedule
from transfer.transfers import dispatch
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import matching, writing
from transfer.transfers.services.jobs import job_fail

logger = logging.getLogger(__name__)

STALLED_AFTER = dt.timedelta(minutes=3)
# What a task can meet from the Amazon boundary; anything else is a bug and propagates.
BOUNDARY_ERRORS = (AmazonMusicError, ReconnectRequired, AmazonUnavailable)


def _handle(
    task: Task,
    job_id: str,
    exc: Exception,
    retry_state: dict[str, Any] | None,
    *,
    progress: int | None,
) -> None:
    """Wait, retry or fail the job, as the retry policy decides."""
    policy = RetryPolicy.for_transfers()
    decision = policy.decide(exc, RetryState.load(retry_state), progress=progress)
    if decision.verdict is Verdict.GIVE_UP:
        if isinstance(exc, ReconnectRequired):
            message = f"Reconnect your Amazon account, then resume. {exc.reason}"
        elif isinstance(exc, PermissionDeniedError):
            message = f"Amazon Music refused: {decision.reason}"
        else:
            message = f"Stopped: {decision.reason}"
        job_fail(job_id=job_id, message=message)
        logger.warning("Job %s stopped after %r", job_id, exc)
        return
    # Counted for the staff dashboard and the admin.
    TransferJob.objects.filter(id=job_id).update(retries=F("retries") + 1)
    reschedule(task, decision, exc)


def _decided(job_id: str, first: int, last: int) -> int:
    return (
        SourceTrack.objects.filter(job__id=job_id, position__gte=first, position__lte=last)
        .exclude(band=SourceTrack.Band.PENDING)
        .count()
    )


def _written(job_id: str) -> int:
    return (
        SourceTrack.objects.filter(job__id=job_id)
        .exclude(write_state=SourceTrack.Write.PENDING)
        .count()
    )


@shared_task(bind=True, name=dispatch.MATCH_CHUNK, max_retries=None)
def match_chunk(
    self: Task, job_id: str, first: int, last: int, retry_state: dict[str, Any] | None = None
) -> int:
    try:
        return matching.match_chunk(job_id=job_id, first=first, last=last)
    except BOUNDARY_ERRORS as exc:
        _handle(self, job_id, exc, retry_state, progress=_decided(job_id, first, last))
        return 0


@shared_task(bind=True, name=dispatch.WRITE_JOB, max_retries=None)
def write_job(self: Task, job_id: str, retry_state: dict[str, Any] | None = None) -> str:
    try:
        step = writing.job_write_step(job_id=job_id, owner=self.request.id or "direct")
    except BOUNDARY_ERRORS as exc:
        _handle(self, job_id, exc, retry_state, progress=_written(job_id))
        return "error"
    if step is writing.Step.MORE:
        dispatch.enqueue_writing(job_id)
    elif step is writing.Step.BUSY:
        # Another worker holds the lease: alive, it finishes the job and this retry finds it
        # done; killed, its lease expires and this retry takes over. Waiting, not failing.
        policy = RetryPolicy.for_transfers()
        decision = policy.wait(
            RetryState.load(retry_state),
            settings.TRANSFER_LEASE_SECONDS + 1,
            reason="Another worker is writing this job.",
        )
        if decision.verdict is Verdict.GIVE_UP:
            return step.value
        reschedule(self, decision)
    return step.value


@shared_task(name=dispatch.RECOVER_STALLED)
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
            dispatch.enqueue_matching(job.id)
            recovered += 1
    writing_jobs = TransferJob.objects.filter(
        state=TransferJob.State.WRITING, updated_at__lt=now - STALLED_AFTER
    ).exclude(lease_until__gt=now)  # a live lease means a worker is on it
    for job in writing_jobs:
        dispatch.enqueue_writing(job.id)
        recovered += 1
    if recovered:
        logger.info("Re-queued %d stalled transfer job(s)", recovered)
    return recovered
