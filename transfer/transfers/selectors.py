"""Reads for the transfer pages; each is one or two queries whatever the job's size."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services.progress import Progress, progress_read, progress_rebuild
from transfer.transfers.services.recovery import worker_stopped

Band = SourceTrack.Band
Write = SourceTrack.Write
REVIEW_PAGE_SIZE = 25


def job_for_user(*, user_id: int, job_id: UUID | str) -> TransferJob:
    """The person's own job, or 404: another person's job does not exist for them."""
    return get_object_or_404(TransferJob, id=job_id, user_id=user_id)


def jobs_for_user(*, user_id: int) -> QuerySet[TransferJob]:
    return (
        TransferJob.objects.filter(user_id=user_id)
        .annotate(
            matched=Count("tracks", filter=Q(tracks__band=Band.MATCHED)),
            review=Count("tracks", filter=Q(tracks__band=Band.REVIEW)),
            not_found=Count("tracks", filter=Q(tracks__band=Band.NOT_FOUND)),
        )
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class Summary:
    total: int
    matched: int
    review: int
    not_found: int
    skipped: int
    pending: int
    written: int
    already_there: int
    duplicates: int
    by_person: int

    def share(self, count: int) -> float:
        return 100 * count / self.total if self.total else 0.0

    @property
    def chart(self) -> list[tuple[str, str, int, float, float, float]]:
        """Donut segments (key, label, count, percent, gap, dash offset); circumference 100."""
        segments = []
        start = 0.0
        for key, label, count, share in self.bands:
            if count:
                # SVG circles start at 3 o'clock; +25 starts the donut at 12 o'clock.
                segments.append((key, label, count, share, 100 - share, 25 - start))
                start += share
        return segments

    @property
    def bands(self) -> list[tuple[str, str, int, float]]:
        """(key, label, count, percent) for the chart."""
        return [
            ("matched", "Matched", self.matched, self.share(self.matched)),
            ("review", "Needs review", self.review, self.share(self.review)),
            ("not_found", "Not found", self.not_found, self.share(self.not_found)),
            ("skipped", "Skipped", self.skipped, self.share(self.skipped)),
        ]


def job_summary(*, job: TransferJob) -> Summary:
    counts = job.tracks.aggregate(
        matched=Count("id", filter=Q(band=Band.MATCHED)),
        review=Count("id", filter=Q(band=Band.REVIEW)),
        not_found=Count("id", filter=Q(band=Band.NOT_FOUND)),
        skipped=Count("id", filter=Q(band=Band.SKIPPED)),
        pending=Count("id", filter=Q(band=Band.PENDING)),
        written=Count("id", filter=Q(write_state=Write.WRITTEN)),
        already_there=Count("id", filter=Q(write_state=Write.ALREADY_THERE)),
        duplicates=Count("id", filter=Q(write_state=Write.DUPLICATE)),
        by_person=Count("id", filter=Q(decided_by_person=True)),
    )
    return Summary(total=job.track_count, **counts)


@dataclass(frozen=True)
class ProgressView:
    """What the progress partial shows: the stage, how far, how fast, how long."""

    progress: Progress
    stage: str
    done: int
    total: int
    percent: int
    rate: float | None
    eta_seconds: float | None
    # Its worker died and it is being picked up again: said instead of showing a frozen bar.
    worker_stopped: bool = False


def job_progress(*, job: TransferJob) -> ProgressView:
    progress = progress_read(job.id) or progress_rebuild(job)
    stage = "writing" if job.state == TransferJob.State.WRITING else "matching"
    done = progress.written if stage == "writing" else progress.decided
    total = progress.to_write if stage == "writing" else progress.total
    return ProgressView(
        progress=progress,
        stage=stage,
        done=min(done, total) if total else done,
        total=total,
        percent=progress.percent(stage),
        rate=progress.rate(stage),
        eta_seconds=progress.eta_seconds(stage),
        worker_stopped=worker_stopped(job, progress.resumed_at),
    )


def review_page(*, job: TransferJob, page: int | str | None) -> Page[SourceTrack]:
    rows = job.tracks.filter(band__in=[Band.REVIEW, Band.NOT_FOUND, Band.SKIPPED]).order_by(
        "position"
    )
    return Paginator(rows, REVIEW_PAGE_SIZE).get_page(page)


def preview_rows(*, job: TransferJob, limit: int = 200) -> list[SourceTrack]:
    return list(job.tracks.order_by("position")[:limit])
