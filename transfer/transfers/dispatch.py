"""How services queue the pipeline's tasks without importing them.

The Styleguide's direction: tasks import services, services never import tasks. A service that
needs work done later sends the task *by its registered name* through the Celery app; the names
live here, and tasks.py registers its functions under exactly these names. Routing (which queue)
is the Celery app's (transfer/celery.py), keyed on the same names.
"""

from __future__ import annotations

from uuid import UUID

from celery import current_app

from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import scheduling

MATCH_CHUNK = "transfer.transfers.tasks.match_chunk"
WRITE_JOB = "transfer.transfers.tasks.write_job"
RECOVER_STALLED = "transfer.transfers.tasks.recover_stalled"
READ_UPLOAD = "transfer.transfers.tasks.read_upload"


def enqueue_matching(job_id: UUID | str) -> int:
    """The job's pending positions, in chunks, to the fair scheduler (not straight to the match
    queue): it sends them on as slots free up, least-served person first. Returns how many."""
    job = TransferJob.objects.get(id=job_id)
    positions = list(
        job.tracks.filter(band=SourceTrack.Band.PENDING)
        .order_by("position")
        .values_list("position", flat=True)
    )
    if not positions:
        # Nothing to decide (an Amazon source): one chunk moves the job on.
        positions = [0]
    chunks = scheduling.chunks_of(job_id=job.id, positions=positions, track_count=job.track_count)
    scheduling.chunks_submit(user_id=job.user_id, chunks=chunks)
    return len(chunks)


def enqueue_writing(job_id: UUID | str) -> None:
    current_app.send_task(WRITE_JOB, args=(str(job_id),))


def enqueue_upload_read(upload_id: UUID | str) -> None:
    current_app.send_task(READ_UPLOAD, args=(str(upload_id),))
