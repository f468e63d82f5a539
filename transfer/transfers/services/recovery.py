"""Bounded recovery of stalled jobs, and the reasons a person reads when a job ends badly.

With Redis as the broker, a message whose worker died is only redelivered after the visibility
timeout; the minutely recovery finds such jobs much sooner and re-queues their work (safe to
over-queue: matching skips decided tracks and writing is leased). It gives up after
``TRANSFER_MAX_RECOVERIES`` attempts without progress, so that no job loops forever: the job
fails with a reason, and the staff dashboard lists it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from catalog_client import (
    AmazonMusicError,
    BadRequestError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
)
from transfer.transfers import dispatch
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import scheduling
from transfer.transfers.services.account import NO_MUSIC_CODES, account_forget
from transfer.transfers.services.jobs import (
    job_fail,
    job_submit_matching,
    queue_advance,
)

logger = logging.getLogger(__name__)

STALLED_AFTER = dt.timedelta(minutes=3)

GAVE_UP = (
    "Stopped: this transfer made no progress after {n} attempts to restart it. What was "
    "decided and saved is kept; you can resume it later or run it again."
)


def failure_reason(exc: Exception) -> str:
    """What a person reads when Amazon refuses for a reason that will not change."""
    if isinstance(exc, PermissionDeniedError):
        code = exc.code or ""
        if code == "DENIED_SUBSCRIPTION_TIER":
            return (
                "Amazon Music refused to save: your plan (Free) cannot save playlists or library "
                "items. Download the result as a file instead (below), or upgrade your plan and "
                "run the transfer again."
            )
        if code in NO_MUSIC_CODES:
            return (
                "Amazon Music refused: this Amazon account has no Amazon Music account. Open "
                "https://music.amazon.com once with it, then run the transfer again."
            )
        return f"Amazon Music refused this ({code or 'forbidden'}): {exc.message}"
    if isinstance(exc, BadRequestError):
        return f"Amazon Music rejected a request as invalid: {exc.message}"
    if isinstance(exc, InvalidResponseError):
        return f"Amazon Music answered something this app cannot read: {exc}"
    if isinstance(exc, NotFoundError):
        return f"Amazon Music does not have it any more: {exc.message}"
    if isinstance(exc, AmazonMusicError):
        return f"Stopped after an error from Amazon Music: {exc}"
    return f"Stopped after an error: {exc}"


def job_fail_permanently(*, job_id: str, exc: Exception) -> None:
    """End the job without a Resume: sending the same thing again gets the same answer."""
    if isinstance(exc, PermissionDeniedError):
        user_id = TransferJob.objects.values_list("user_id", flat=True).get(id=job_id)
        account_forget(user_id=user_id)  # the plan may have changed: read it again
    job_fail(job_id=job_id, message=failure_reason(exc), resumable=False)


def jobs_recover_stalled(*, now: dt.datetime | None = None) -> int:
    """Re-queue stalled jobs' work, at most ``TRANSFER_MAX_RECOVERIES`` times each."""
    now = now or timezone.now()
    stalled_before = now - STALLED_AFTER
    recovered = 0
    matching_jobs = TransferJob.objects.filter(
        state=TransferJob.State.MATCHING, started_at__lt=stalled_before
    )
    for job in matching_jobs:
        last = job.tracks.aggregate(last=Max("decided_at"))["last"] or job.started_at or now
        if last >= stalled_before or not job.tracks.filter(band=SourceTrack.Band.PENDING).exists():
            continue
        if scheduling.job_waiting(user_id=job.user_id, job_id=job.id):
            continue  # its chunks wait their fair turn: that is not a stall
        if _give_up(job):
            continue
        job_submit_matching(job_id=job.id)
        recovered += 1
    writing_jobs = TransferJob.objects.filter(
        state=TransferJob.State.WRITING, updated_at__lt=stalled_before
    ).exclude(lease_until__gt=now)  # a live lease means a worker is on it
    for job in writing_jobs:
        if _give_up(job):
            continue
        dispatch.enqueue_writing(job.id)
        recovered += 1
    # A queued job whose start was lost (a crash between commit and the callback) starts now.
    for user_id in set(
        TransferJob.objects.filter(state=TransferJob.State.QUEUED).values_list("user_id", flat=True)
    ):
        queue_advance(user_id=user_id)
    if recovered:
        logger.info("Re-queued %d stalled transfer job(s)", recovered)
    return recovered


def _give_up(job: TransferJob) -> bool:
    """Count one more attempt; past the bound, fail the job with a reason instead."""
    if job.recoveries >= settings.TRANSFER_MAX_RECOVERIES:
        job_fail(job_id=job.id, message=GAVE_UP.format(n=job.recoveries))
        return True
    # updated_at moves too, so a writing job is not picked again before STALLED_AFTER.
    TransferJob.objects.filter(id=job.id).update(
        recoveries=F("recoveries") + 1, updated_at=timezone.now()
    )
    return False
