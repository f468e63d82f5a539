"""What writing a job to another service (Spotify, YouTube) does the same way whichever it is.

Each service's writer (``transfer.spotify.writing``, ``transfer.youtube.writing``) sends its own
calls; the rows it may write, how written rows are counted and how a job ends are shared here.
"""

from __future__ import annotations

import logging

from django.db.models import Q, QuerySet
from django.utils import timezone

from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress

logger = logging.getLogger(__name__)
Write = SourceTrack.Write
# In the description of every playlist a job makes, so that a retry after a lost answer finds it.
MARKER = "Music Transfer job"


def record_written(job: TransferJob) -> None:
    """Progress set from the database, never added to: a chunk sent twice cannot count twice."""
    done = job.tracks.filter(
        write_state__in=[Write.WRITTEN, Write.ALREADY_THERE, Write.DUPLICATE]
    ).count()
    progress.progress_set_written(job.id, done)


def writable_rows(job: TransferJob) -> QuerySet[SourceTrack]:
    """Rows the job may write: matched ones, and suggestions too when the person accepted them."""
    bands = [SourceTrack.Band.MATCHED]
    if job.accept_suggestions:
        bands.append(SourceTrack.Band.REVIEW)
    return job.tracks.filter(band__in=bands).exclude(chosen_id="")


def finish_written(job: TransferJob, *, service: str) -> None:
    """The job is written: what was never going to be written says so, and the job is done."""
    job.tracks.filter(write_state=Write.PENDING).filter(
        ~Q(band=SourceTrack.Band.MATCHED) | Q(chosen_id="")
    ).update(write_state=Write.NOT_WRITTEN)
    TransferJob.objects.filter(id=job.id, state=TransferJob.State.WRITING).update(
        state=TransferJob.State.DONE, finished_at=timezone.now(), error=""
    )
    logger.info("Job %s written to %s", job.id, service)
