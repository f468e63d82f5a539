"""How services queue the pipeline's tasks without importing them.

The Styleguide's direction: tasks import services, services never import tasks. A service that
needs work done later sends the task *by its registered name* through the Celery app; the names
live here, and tasks.py registers its functions under exactly these names. Routing (which queue)
is the Celery app's (transfer/celery.py), keyed on the same names.
"""

from __future__ import annotations

from uuid import UUID

from celery import current_app
from django.conf import settings

from transfer.transfers.models import TransferJob

MATCH_CHUNK = "transfer.transfers.tasks.match_chunk"
WRITE_JOB = "transfer.transfers.tasks.write_job"
RECOVER_STALLED = "transfer.transfers.tasks.recover_stalled"


def enqueue_matching(job_id: UUID | str) -> None:
    """One task per chunk of positions, spread over the match queue's workers."""
    job = TransferJob.objects.get(id=job_id)
    chunk = settings.TRANSFER_MATCH_CHUNK
    for first in range(0, max(job.track_count, 1), chunk):
        current_app.send_task(MATCH_CHUNK, args=(str(job.id), first, first + chunk - 1))


def enqueue_writing(job_id: UUID | str) -> None:
    current_app.send_task(WRITE_JOB, args=(str(job_id),))
