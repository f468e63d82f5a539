"""Reads for the transfer pages; each is one or two queries whatever the job's size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast
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
    # Matched tracks the person chose (by hand or by accepting a suggestion).
    chosen: int

    @property
    def confident(self) -> int:
        """Matched by the matcher with confidence, not by the person."""
        return self.matched - self.chosen

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
        chosen=Count("id", filter=Q(band=Band.MATCHED, decided_by_person=True)),
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
    if stage == "writing" and not progress.to_write:
        # The writer has not counted its work yet: count it here rather than show "0 of 0 ·
        # 100%" while nothing is saved.
        progress = progress_rebuild(job)
    done = progress.written if stage == "writing" else progress.decided
    total = progress.to_write if stage == "writing" else progress.total
    return ProgressView(
        progress=progress,
        stage=stage,
        done=min(done, total) if total else done,
        total=total,
        percent=progress.percent(stage) if total else 0,
        rate=progress.rate(stage),
        eta_seconds=progress.eta_seconds(stage),
        worker_stopped=worker_stopped(job, progress.resumed_at),
    )


REVIEW_FILTERS = {
    "all": "Everything to check",
    "review": "Needs review",
    "not_found": "Not found",
    "other_artist": "Different artist",
    "other_version": "Different version",
    "skipped": "Skipped",
}
REVIEW_SORTS = {"position": "In playlist order", "confidence": "Least confident first"}


def review_rows(
    *, jobs: list[TransferJob], filter_by: str = "all", sort: str = "position"
) -> list[int]:
    """Ids of the rows to check, filtered and sorted; one query over the job(s).

    "Different artist/version" read the chosen suggestion's signals in Python, the same way on
    PostgreSQL and SQLite; a review is at most a few thousand rows.
    """
    from transfer.transfers.services.review import artist_agrees, version_differs

    rows = SourceTrack.objects.filter(
        job_id__in=[job.id for job in jobs], band__in=[Band.REVIEW, Band.NOT_FOUND, Band.SKIPPED]
    )
    if filter_by in ("review", "other_artist", "other_version"):
        rows = rows.filter(band=Band.REVIEW)
    elif filter_by in ("not_found", "skipped"):
        rows = rows.filter(band=filter_by)
    ordering = (
        ("confidence", "job__created_at", "position")
        if sort == "confidence"
        else (
            "job__created_at",
            "position",
        )
    )
    values = rows.order_by(*ordering).values_list("id", "chosen")
    if filter_by == "other_artist":
        return [i for i, chosen in values if artist_agrees(chosen) is False]
    if filter_by == "other_version":
        return [i for i, chosen in values if version_differs(chosen)]
    return [i for i, _ in values]


def review_page(
    *,
    job: TransferJob,
    page: int | str | None,
    filter_by: str = "all",
    sort: str = "position",
    jobs: list[TransferJob] | None = None,
) -> Page[SourceTrack]:
    """One page of rows to check, of one job or (``jobs``) of a batch's jobs together."""
    ids = review_rows(jobs=jobs or [job], filter_by=filter_by, sort=sort)
    paginator = Paginator(ids, REVIEW_PAGE_SIZE)
    paged = paginator.get_page(page)
    by_id = SourceTrack.objects.select_related("job").in_bulk(list(paged.object_list))
    rows = [by_id[i] for i in paged.object_list if i in by_id]
    return cast("Page[SourceTrack]", Page(rows, paged.number, paginator))


def not_transferred(*, job: TransferJob, limit: int = 500) -> list[SourceTrack]:
    """What the result page lists inline: every track that did not reach the destination."""
    rows = job.tracks.filter(
        Q(band__in=[Band.REVIEW, Band.NOT_FOUND, Band.SKIPPED, Band.PENDING])
        | Q(write_state=Write.NOT_WRITTEN)
    )
    if job.writes_to_amazon and job.state == TransferJob.State.DONE:
        rows = rows.exclude(write_state__in=[Write.WRITTEN, Write.ALREADY_THERE, Write.DUPLICATE])
    return list(rows.order_by("position")[:limit])


def preview_rows(*, job: TransferJob, limit: int = 200) -> list[SourceTrack]:
    return list(job.tracks.order_by("position")[:limit])
