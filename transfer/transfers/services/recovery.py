"""Finding jobs whose worker died, so that they resume within seconds, and saying so.

A writer holds a short lease on its job and renews it every few seconds while its worker
lives (services/writing.py): a lapsed lease means the worker is gone. A matching job has no
single owner: it is stalled when no track was decided for TRANSFER_STALLED_SECONDS. Either way
the job is queued again and its progress notes the resumption, which the progress page shows
as "a worker stopped; resuming". All timings come from settings, so tests scale them down.

No job loops forever: a job is restarted at most ``TRANSFER_MAX_RECOVERIES`` times without
progress, then fails with a reason (the staff dashboard lists it); a job whose chunks wait
their fair turn at the scheduler is not stalled. Failures that trying again cannot fix end the
job with a reason the person reads and no Resume (``job_fail_permanently``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from catalog_client import (
    AmazonMusicError,
    BadRequestError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
)
from transfer.transfers import dispatch
from transfer.transfers.models import SourceTrack, TransferJob, Upload
from transfer.transfers.services import progress, scheduling
from transfer.transfers.services.account import NO_MUSIC_CODES, account_forget
from transfer.transfers.services.jobs import job_fail, queue_advance

logger = logging.getLogger(__name__)

State = TransferJob.State


GAVE_UP = (
    "Stopped: this transfer made no progress after {n} attempts to restart it. What was "
    "decided and saved is kept; you can resume it later or run it again."
)


def jobs_recover_stalled(
    *,
    enqueue_matching: Callable[[UUID], object] = dispatch.enqueue_matching,
    write: Callable[[UUID], None] = dispatch.enqueue_writing,
    now: dt.datetime | None = None,
) -> list[UUID]:
    """Queue the stalled jobs again (through the given callables); their ids."""
    now = now or timezone.now()
    stalled = dt.timedelta(seconds=settings.TRANSFER_STALLED_SECONDS)
    recovered: list[UUID] = []

    for job in TransferJob.objects.filter(state=State.MATCHING, started_at__lt=now - stalled):
        last = job.tracks.aggregate(last=Max("decided_at"))["last"] or job.started_at or now
        if last >= now - stalled or _resumed_within(job.id, stalled, now):
            continue
        if scheduling.job_waiting(user_id=job.user_id, job_id=job.id):
            continue  # its chunks wait their fair turn: that is not a stall
        if job.tracks.filter(band=SourceTrack.Band.PENDING).exists():
            if _give_up(job):
                continue
            progress.progress_note_resumed(job.id)
            enqueue_matching(job.id)
            recovered.append(job.id)

    writing = TransferJob.objects.filter(state=State.WRITING).filter(
        Q(lease_until__lt=now)  # its writer stopped renewing: dead
        | Q(lease_until__isnull=True, updated_at__lt=now - stalled)  # its next step was lost
    )
    for job in writing:
        # Clear the lapsed lease (if it is still the same one) so the new delivery takes it at
        # once and this job is not queued again before it has had a chance to run.
        taken = TransferJob.objects.filter(
            id=job.id, lease_owner=job.lease_owner, lease_until=job.lease_until
        ).update(lease_owner="", lease_until=None, updated_at=now)
        if not taken or _give_up(job):
            continue
        progress.progress_note_resumed(job.id)
        write(job.id)
        recovered.append(job.id)
    # A queued job whose start was lost (a crash between commit and the callback) starts now.
    queued = TransferJob.objects.filter(state=State.QUEUED).values_list("user_id", flat=True)
    for user_id in set(queued):
        queue_advance(user_id=user_id)
    if recovered:
        logger.info("Re-queued %d stalled transfer job(s)", len(recovered))
    return recovered


def uploads_recover(
    *,
    read: Callable[[UUID], None] = dispatch.enqueue_upload_read,
    now: dt.datetime | None = None,
) -> list[UUID]:
    """Queue again the uploads whose reading was lost; their ids.

    An upload being read is locked by its reader (``intake.upload_read``) and skipped here; an
    unlocked one that a worker began (``attempts``) lost its worker. One nobody began yet may
    just wait its turn in a busy queue: only after ten stall windows is its message taken for
    lost. The reader itself gives up past TRANSFER_MAX_RECOVERIES restarts, with a reason.
    """
    now = now or timezone.now()
    stalled = dt.timedelta(seconds=settings.TRANSFER_STALLED_SECONDS)
    recovered: list[UUID] = []
    with transaction.atomic():
        waiting = Upload.objects.select_for_update(skip_locked=True).filter(
            state=Upload.State.WAITING, updated_at__lt=now - stalled
        )
        for upload in waiting:
            if not upload.attempts and upload.updated_at >= now - 10 * stalled:
                continue
            Upload.objects.filter(id=upload.id).update(updated_at=now)
            recovered.append(upload.id)
    for upload_id in recovered:
        read(upload_id)
    if recovered:
        logger.info("Re-queued %d upload(s) whose reading was lost", len(recovered))
    return recovered


def _resumed_within(job_id: UUID, window: dt.timedelta, now: dt.datetime) -> bool:
    current = progress.progress_read(job_id)
    return bool(
        current
        and current.resumed_at
        and now.timestamp() - current.resumed_at < window.total_seconds()
    )


def _give_up(job: TransferJob) -> bool:
    """Count one more restart; past the bound, fail the job with a reason instead."""
    if job.recoveries >= settings.TRANSFER_MAX_RECOVERIES:
        job_fail(job_id=job.id, message=GAVE_UP.format(n=job.recoveries))
        return True
    TransferJob.objects.filter(id=job.id).update(recoveries=F("recoveries") + 1)
    return False


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


def worker_stopped(job: TransferJob, resumed_at: float | None) -> bool:
    """Whether the progress page should say "a worker stopped; resuming" for this job now."""
    lapsed = job.lease_until is not None and job.lease_until < timezone.now()
    if job.state == State.WRITING and lapsed:
        return True
    if resumed_at is None:
        return False
    return time.time() - resumed_at < 2 * settings.TRANSFER_LEASE_SECONDS
