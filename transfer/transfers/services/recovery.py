"""Finding jobs whose worker died, so that they resume within seconds, and saying so.

A writer holds a short lease on its job and renews it every few seconds while its worker
lives (services/writing.py): a lapsed lease means the worker is gone. A matching job has no
single owner: it is stalled when no track was decided for TRANSFER_STALLED_SECONDS. Either way
the job is queued again and its progress notes the resumption, which the progress page shows
as "a worker stopped; resuming". All timings come from settings, so tests scale them down.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress

logger = logging.getLogger(__name__)

State = TransferJob.State


def jobs_recover_stalled(
    *,
    enqueue_matching: Callable[[UUID], None],
    write: Callable[[UUID], None],
) -> list[UUID]:
    """Queue the stalled jobs again (through the given callables); their ids."""
    now = timezone.now()
    stalled = dt.timedelta(seconds=settings.TRANSFER_STALLED_SECONDS)
    recovered: list[UUID] = []

    for job in TransferJob.objects.filter(state=State.MATCHING, started_at__lt=now - stalled):
        last = job.tracks.aggregate(last=Max("decided_at"))["last"] or job.started_at or now
        if last >= now - stalled or _resumed_within(job.id, stalled):
            continue
        if job.tracks.filter(band=SourceTrack.Band.PENDING).exists():
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
        if not taken:
            continue
        progress.progress_note_resumed(job.id)
        write(job.id)
        recovered.append(job.id)
    if recovered:
        logger.info("Re-queued %d stalled transfer job(s)", len(recovered))
    return recovered


def _resumed_within(job_id: UUID, window: dt.timedelta) -> bool:
    current = progress.progress_read(job_id)
    return bool(
        current and current.resumed_at and time.time() - current.resumed_at < window.total_seconds()
    )


def worker_stopped(job: TransferJob, resumed_at: float | None) -> bool:
    """Whether the progress page should say "a worker stopped; resuming" for this job now."""
    lapsed = job.lease_until is not None and job.lease_until < timezone.now()
    if job.state == State.WRITING and lapsed:
        return True
    if resumed_at is None:
        return False
    return time.time() - resumed_at < 2 * settings.TRANSFER_LEASE_SECONDS
