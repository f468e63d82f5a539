"""Celery tasks of the transfer pipeline: thin wrappers that take ids and call one service.

Rate limits never make a worker sleep: the client raises RateLimitedError past a short budget,
and the task reschedules itself with the wait Amazon asked for. What to do about any failure
(wait, retry, give up) is the one policy in transfer/core/retrying.py; the task only says how
far its work has got, so that a job making progress under faults is never given up on.

Tasks are registered under the names in dispatch.py, which is how services queue them without
importing this module.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.app.task import Task
from celery.exceptions import Retry
from django.conf import settings
from django.db.models import F

from catalog_client import (
    AmazonMusicError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitedError,
)
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.connections.errors import SERVICE_ERRORS, quota_wait, service_failure
from transfer.core.retrying import RetryPolicy, RetryState, Verdict, reschedule
from transfer.transfers import dispatch
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import intake, matching, recovery, scheduling, writing
from transfer.transfers.services.jobs import job_fail

logger = logging.getLogger(__name__)

# What a task can meet from the Amazon boundary, and from Spotify's and YouTube's
# (transfer.connections.errors); anything else is a bug and propagates.
BOUNDARY_ERRORS: tuple[type[Exception], ...] = (
    AmazonMusicError,
    ReconnectRequired,
    AmazonUnavailable,
    *SERVICE_ERRORS,
)


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
    if quota_wait(exc):
        # YouTube's daily quota comes back by itself at midnight Pacific time, so each wait
        # starts a fresh deadline; but waits that write nothing are counted, and end the job
        # once they add up to YOUTUBE_QUOTA_MAX_STALL_SECONDS.
        retry_state = _quota_state(RetryState.load(retry_state), progress)
        stalled = retry_state["waits"] * settings.YOUTUBE_QUOTA_RECHECK_SECONDS
        if stalled > settings.YOUTUBE_QUOTA_MAX_STALL_SECONDS:
            days = settings.YOUTUBE_QUOTA_MAX_STALL_SECONDS / 86_400
            job_fail(
                job_id=job_id,
                message=f"{service_failure(exc)} Nothing could be written in {days:g} days of "
                "waiting for YouTube's daily quota; resume it when the quota allows.",
            )
            return
    decision = policy.decide(exc, RetryState.load(retry_state), progress=progress)
    if decision.verdict is Verdict.GIVE_UP:
        if _permanent(exc):
            # The same request would get the same answer (a 403 for the plan or a missing
            # Amazon Music account, a 400): end the job with its reason, and no Resume.
            recovery.job_fail_permanently(job_id=job_id, exc=exc)
            return
        if isinstance(exc, SERVICE_ERRORS):
            message = service_failure(exc)
        elif isinstance(exc, ReconnectRequired):
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


def _permanent(exc: Exception) -> bool:
    return (
        isinstance(exc, AmazonMusicError)
        and not exc.transient
        and not isinstance(exc, RateLimitedError)
        and not isinstance(exc, AuthenticationError)
    )


def _quota_state(previous: RetryState, progress: int | None) -> dict[str, Any]:
    """A fresh deadline that keeps counting the quota waits in a row that wrote nothing."""
    moved = progress is not None and previous.progress is not None and progress > previous.progress
    return {"waits": 0 if moved else previous.waits, "progress": progress}


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
    self: Task,
    job_id: str,
    first: int,
    last: int,
    retry_state: dict[str, Any] | None = None,
    token: str = "",
) -> int:
    # ``token`` is the chunk's slot at the fair scheduler: freed when the chunk ends, so that
    # the next person's chunk goes out; kept while the task waits to retry.
    scheduling.chunk_renew(token)
    retrying = False
    try:
        return matching.match_chunk(job_id=job_id, first=first, last=last, fair=bool(token))
    except BOUNDARY_ERRORS as exc:
        try:
            _handle(self, job_id, exc, retry_state, progress=_decided(job_id, first, last))
        except Retry:
            retrying = True
            raise
        return 0
    finally:
        if not retrying:
            scheduling.chunk_done(token)


@shared_task(bind=True, name=dispatch.WRITE_JOB, max_retries=None)
def write_job(self: Task, job_id: str, retry_state: dict[str, Any] | None = None) -> str:
    try:
        step = writing.job_write_step(job_id=job_id)
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
    """Re-queue work that a killed worker left behind (beat runs this every few seconds).

    With Redis as the broker, a message whose worker died is only redelivered after the
    visibility timeout; this finds such jobs within seconds instead: a writer's lease that
    lapsed (its worker renews it every few seconds while alive), or a job with no progress for
    TRANSFER_STALLED_SECONDS. Safe to over-queue: matching skips decided tracks and writing is
    leased.
    """
    jobs = recovery.jobs_recover_stalled(
        enqueue_matching=dispatch.enqueue_matching, write=dispatch.enqueue_writing
    )
    uploads = recovery.uploads_recover(read=dispatch.enqueue_upload_read)
    return len(jobs) + len(uploads)


@shared_task(name=dispatch.READ_UPLOAD)
def read_upload(upload_id: str) -> int:
    """Read a stored upload and make its jobs (services/intake.py, ``upload_read``); how many.

    Idempotent: a second delivery waits for the first's lock and finds the upload read."""
    return len(intake.upload_read(upload_id=upload_id))
