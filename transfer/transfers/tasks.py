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
from celery.exceptions import Retry
from django.conf import settings
from django.db.models import F

from catalog_client import (
    AmazonMusicError,
    BadRequestError,
    InvalidResponseError,
    PermissionDeniedError,
    RateLimitedError,
)
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.transfers.models import TransferJob
from transfer.transfers.services import jobs, matching, recovery, scheduling, writing
from transfer.transfers.services.jobs import job_fail

logger = logging.getLogger(__name__)

MAX_TRANSIENT_RETRIES = 8


def enqueue_matching(job_id: UUID | str) -> None:
    """Chunks of positions go to the fair scheduler, which feeds the match queue's workers."""
    jobs.job_submit_matching(job_id=job_id)


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
    if isinstance(exc, PermissionDeniedError | BadRequestError | InvalidResponseError):
        recovery.job_fail_permanently(job_id=job_id, exc=exc)
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
def match_chunk(self: Task, job_id: str, first: int, last: int, token: str = "") -> int:
    # ``token`` is the chunk's slot at the fair scheduler: freed when the chunk ends, so that
    # the next person's chunk goes out; kept while the task waits to retry.
    scheduling.chunk_renew(token)
    retrying = False
    try:
        return matching.match_chunk(job_id=job_id, first=first, last=last, fair=bool(token))
    except (AmazonMusicError, ReconnectRequired, AmazonUnavailable) as exc:
        try:
            _handle(self, job_id, exc)
        except Retry:
            retrying = True
            raise
        return 0
    finally:
        if not retrying:
            scheduling.chunk_done(token)


@shared_task(bind=True, name="transfer.transfers.tasks.write_job", max_retries=None)
def write_job(self: Task, job_id: str) -> str:
    try:
        step = writing.job_write_step(job_id=job_id, owner=self.request.id or "direct")
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
    """Re-queue work a killed worker left behind, a bounded number of times (beat: minutely)."""
    return recovery.jobs_recover_stalled()
