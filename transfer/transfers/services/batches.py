"""Batches: several playlists or files started, followed, reviewed and saved together."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from transfer.transfers.models import SourceTrack, TransferBatch, TransferJob
from transfer.transfers.services import review
from transfer.transfers.services.jobs import job_start

State = TransferJob.State
Band = SourceTrack.Band


def batch_jobs(*, batch: TransferBatch) -> list[TransferJob]:
    return list(batch.jobs.order_by("created_at"))


def batch_start(*, batch: TransferBatch) -> int:
    """Start every job that is ready: all are accepted, those past the limit queue."""
    started = 0
    for job in batch.jobs.filter(state=State.READY).order_by("created_at"):
        started += job_start(job=job)
    return started


@dataclass(frozen=True)
class BatchProgress:
    """The batch's combined progress: tracks decided and jobs per state."""

    jobs: int
    tracks: int
    decided: int
    states: dict[str, int]

    @property
    def percent(self) -> int:
        # Floor, so that 99.6% never shows as 100% before everything is done.
        return 100 * self.decided // self.tracks if self.tracks else 0

    @property
    def finished(self) -> int:
        return sum(self.states.get(s, 0) for s in TransferJob.FINISHED_STATES)

    @property
    def in_review(self) -> int:
        return self.states.get(State.REVIEW, 0)

    @property
    def active(self) -> bool:
        return any(
            self.states.get(s, 0)
            for s in (State.READY, State.QUEUED, State.MATCHING, State.WRITING)
        )

    @property
    def waiting_to_start(self) -> bool:
        return bool(self.states.get(State.READY, 0))


def batch_progress(*, batch: TransferBatch) -> BatchProgress:
    """Two queries whatever the batch's size: the database is the truth here."""
    states = dict(
        batch.jobs.values_list("state").annotate(n=Count("id")).order_by().values_list("state", "n")
    )
    tracks = SourceTrack.objects.filter(job__batch=batch).aggregate(
        total=Count("id"), decided=Count("id", filter=~Q(band=Band.PENDING))
    )
    return BatchProgress(
        jobs=sum(states.values()),
        tracks=tracks["total"],
        decided=tracks["decided"],
        states={str(k): int(v) for k, v in states.items()},
    )


def batch_review_jobs(*, batch: TransferBatch) -> list[TransferJob]:
    return list(batch.jobs.filter(state=State.REVIEW).order_by("created_at"))


def batch_accept_suggestions(*, batch: TransferBatch, only_same_artist: bool) -> int:
    return sum(
        review.job_accept_suggestions(job=job, only_same_artist=only_same_artist)
        for job in batch_review_jobs(batch=batch)
    )


def batch_skip_not_found(*, batch: TransferBatch) -> int:
    return sum(review.job_skip_not_found(job=job) for job in batch_review_jobs(batch=batch))


def batch_undo(*, batch: TransferBatch) -> int:
    return sum(review.job_undo_bulk(job=job) for job in batch_review_jobs(batch=batch))


def batch_write(*, batch: TransferBatch) -> int:
    """End the review of every job in the batch: each saves (or finishes) on its own."""
    return sum(review.job_write(job=job) for job in batch_review_jobs(batch=batch))
