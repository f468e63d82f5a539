"""The person's review: choose, search by hand, skip, remember; triage in bulk, undo; write.

Bulk actions (accept suggestions, only those by the same artist, skip everything not found)
keep what each row was before in ``TransferJob.last_bulk``, so the last one can be undone.
What the person accepts counts as their choice (``decided_by_person``), never as a confident
match of the matcher.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from transfer.formats.records import TrackRecord
from transfer.matching import score_candidate
from transfer.matching.cascade import track_key
from transfer.transfers import dispatch
from transfer.transfers.models import PinnedChoice, SourceTrack, TransferJob
from transfer.transfers.services.decisions import candidate_from_dict, scored_to_dict
from transfer.transfers.services.jobs import queue_advance
from transfer.transfers.services.matching import record_of

Band = SourceTrack.Band
REVIEWABLE = (Band.REVIEW, Band.NOT_FOUND, Band.SKIPPED)


class ReviewError(Exception):
    pass


def _editable(job: TransferJob) -> None:
    if job.state not in (TransferJob.State.REVIEW, TransferJob.State.DONE) or (
        job.state == TransferJob.State.DONE and job.writes_to_amazon
    ):
        raise ReviewError("This transfer can no longer be changed.")


def track_choose(
    *, job: TransferJob, row: SourceTrack, candidate: dict[str, Any], remember: bool
) -> SourceTrack:
    """The person says: this source track is that catalog track."""
    _editable(job)
    chosen = candidate_from_dict(candidate)
    scored = score_candidate(record_of(row), chosen)
    with transaction.atomic():
        row.band = SourceTrack.Band.MATCHED
        row.chosen_id = chosen.id
        row.chosen = scored_to_dict(scored)
        row.decided_by_person = True
        row.decided_at = timezone.now()
        row.explanation = "You chose this track. " + scored.explain() + "."
        row.save(
            update_fields=[
                "band",
                "chosen_id",
                "chosen",
                "decided_by_person",
                "decided_at",
                "explanation",
            ]
        )
        if remember:
            pin_remember(user_id=job.user_id, record=record_of(row), candidate=candidate)
    return row


def track_skip(*, job: TransferJob, row: SourceTrack) -> SourceTrack:
    _editable(job)
    row.band = SourceTrack.Band.SKIPPED
    row.chosen_id = ""
    row.decided_by_person = True
    row.decided_at = timezone.now()
    row.save(update_fields=["band", "chosen_id", "decided_by_person", "decided_at"])
    return row


def pin_remember(*, user_id: int, record: TrackRecord, candidate: dict[str, Any]) -> PinnedChoice:
    pin, _ = PinnedChoice.objects.update_or_create(
        user_id=user_id,
        track_key=track_key(record)[:700],
        defaults={"catalog_id": str(candidate["id"]), "candidate": candidate},
    )
    return pin


def artist_agrees(chosen: dict[str, Any] | None) -> bool | None:
    """Whether the suggestion is by the source's artist (None when there is nothing to compare)."""
    for signal in (chosen or {}).get("signals", []):
        if signal.get("name") == "artists":
            return bool(signal.get("agrees"))
    return None


def version_differs(chosen: dict[str, Any] | None) -> bool:
    return any(s.get("name") == "version" for s in (chosen or {}).get("signals", []))


@dataclass(frozen=True)
class ReviewCounts:
    """The review's header and buttons: what the matcher was sure of, what the person chose."""

    total: int
    confident: int
    chosen: int
    review: int
    not_found: int
    skipped: int
    review_same_artist: int

    @property
    def to_save(self) -> int:
        return self.confident + self.chosen

    @property
    def review_other_artist(self) -> int:
        return self.review - self.review_same_artist


def review_counts(*, jobs: Iterable[TransferJob]) -> ReviewCounts:
    """Counts over one job, or over a batch's jobs together (two queries)."""
    job_ids = [job.id for job in jobs]
    rows = SourceTrack.objects.filter(job_id__in=job_ids)
    counts = rows.aggregate(
        total=Count("id"),
        confident=Count("id", filter=Q(band=Band.MATCHED, decided_by_person=False)),
        chosen=Count("id", filter=Q(band=Band.MATCHED, decided_by_person=True)),
        review=Count("id", filter=Q(band=Band.REVIEW)),
        not_found=Count("id", filter=Q(band=Band.NOT_FOUND)),
        skipped=Count("id", filter=Q(band=Band.SKIPPED)),
    )
    same = sum(
        1
        for chosen in rows.filter(band=Band.REVIEW)
        .exclude(chosen_id="")
        .values_list("chosen", flat=True)
        if artist_agrees(chosen)
    )
    return ReviewCounts(review_same_artist=same, **counts)


def _remember_bulk(job: TransferJob, label: str, rows: list[SourceTrack]) -> None:
    job.last_bulk = {
        "label": label,
        "rows": [
            [
                r.id,
                r.band,
                r.chosen_id,
                r.decided_by_person,
                r.decided_at.isoformat() if r.decided_at else None,
            ]
            for r in rows
        ],
    }
    job.save(update_fields=["last_bulk", "updated_at"])


def _suggestions(job: TransferJob, *, only_same_artist: bool) -> list[SourceTrack]:
    rows = list(
        job.tracks.filter(band=Band.REVIEW)
        .exclude(chosen_id="")
        .only("id", "band", "chosen_id", "chosen", "decided_by_person", "decided_at")
    )
    if only_same_artist:
        rows = [r for r in rows if artist_agrees(r.chosen)]
    return rows


def job_accept_suggestions(*, job: TransferJob, only_same_artist: bool = False) -> int:
    """Needs-review tracks take their best guess (all, or those by the same artist).

    Returns how many; the change can be undone with ``job_undo_bulk``.
    """
    _editable(job)
    with transaction.atomic():
        rows = _suggestions(job, only_same_artist=only_same_artist)
        if not rows:
            return 0
        what = "by the same artist " if only_same_artist else ""
        _remember_bulk(job, f"Accepted {len(rows)} suggestion(s) {what}".strip(), rows)
        SourceTrack.objects.filter(id__in=[r.id for r in rows]).update(
            band=Band.MATCHED, decided_by_person=True, decided_at=timezone.now()
        )
    return len(rows)


def job_skip_not_found(*, job: TransferJob) -> int:
    """Skip every track that was not found. Returns how many; undoable."""
    _editable(job)
    with transaction.atomic():
        rows = list(
            job.tracks.filter(band=Band.NOT_FOUND).only(
                "id", "band", "chosen_id", "decided_by_person", "decided_at"
            )
        )
        if not rows:
            return 0
        _remember_bulk(job, f"Skipped {len(rows)} track(s) not found", rows)
        SourceTrack.objects.filter(id__in=[r.id for r in rows]).update(
            band=Band.SKIPPED, chosen_id="", decided_by_person=True, decided_at=timezone.now()
        )
    return len(rows)


def job_undo_bulk(*, job: TransferJob) -> int:
    """Put back every row the last bulk action changed. Returns how many."""
    _editable(job)
    saved = job.last_bulk.get("rows") or []
    if not saved:
        return 0
    with transaction.atomic():
        rows = {r.id: r for r in job.tracks.filter(id__in=[item[0] for item in saved])}
        for row_id, band, chosen_id, by_person, decided_at in saved:
            row = rows.get(row_id)
            if row is None:
                continue
            row.band = band
            row.chosen_id = chosen_id
            row.decided_by_person = by_person
            row.decided_at = parse_datetime(decided_at) if decided_at else None
        SourceTrack.objects.bulk_update(
            rows.values(), ["band", "chosen_id", "decided_by_person", "decided_at"], batch_size=500
        )
        job.last_bulk = {}
        job.save(update_fields=["last_bulk", "updated_at"])
    return len(rows)


def track_fix(*, job: TransferJob, row: SourceTrack, candidate: dict[str, Any]) -> SourceTrack:
    """From the result page: a track that did not transfer gets the person's choice, and the
    job writes it (a finished job goes back to writing for the new choices only)."""
    if not (job.state == TransferJob.State.DONE and job.writes_to_amazon):
        raise ReviewError("Only a finished transfer to Amazon Music can be fixed here.")
    if row.write_state in (SourceTrack.Write.WRITTEN, SourceTrack.Write.ALREADY_THERE):
        raise ReviewError("This track is already on Amazon Music.")
    chosen = candidate_from_dict(candidate)
    scored = score_candidate(record_of(row), chosen)
    with transaction.atomic():
        SourceTrack.objects.filter(id=row.id).update(
            band=Band.MATCHED,
            chosen_id=chosen.id,
            chosen=scored_to_dict(scored),
            decided_by_person=True,
            decided_at=timezone.now(),
            explanation="You chose this track. " + scored.explain() + ".",
            write_state=SourceTrack.Write.PENDING,
        )
        moved = TransferJob.objects.filter(id=job.id, state=TransferJob.State.DONE).update(
            state=TransferJob.State.WRITING, finished_at=None
        )
        if moved:
            transaction.on_commit(lambda: dispatch.enqueue_writing(job.id))
    row.refresh_from_db()
    return row


def job_write(*, job: TransferJob) -> bool:
    """REVIEW -> WRITING (or DONE for a dry run or a file): the review is over."""
    next_state = TransferJob.State.WRITING if job.writes_to_amazon else TransferJob.State.DONE
    with transaction.atomic():
        moved = TransferJob.objects.filter(id=job.id, state=TransferJob.State.REVIEW).update(
            state=next_state,
            finished_at=None if job.writes_to_amazon else timezone.now(),
        )
        if moved and next_state == TransferJob.State.WRITING:
            transaction.on_commit(lambda: dispatch.enqueue_writing(job.id))
    return bool(moved)


def job_delete(*, job: TransferJob) -> None:
    """Forget a transfer here (what was saved on Amazon Music stays there)."""
    running = job.state in (*TransferJob.RUNNING_STATES, TransferJob.State.QUEUED)
    if running:
        TransferJob.objects.filter(id=job.id).update(state=TransferJob.State.CANCELLED)
    job.delete()
    if running:
        queue_advance(user_id=job.user_id)
