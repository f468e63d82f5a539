"""The person's review: choose a candidate, search by hand, skip, remember, accept all, write."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from transfer.formats.records import TrackRecord
from transfer.matching import score_candidate
from transfer.matching.cascade import track_key
from transfer.transfers import dispatch
from transfer.transfers.models import PinnedChoice, SourceTrack, TransferJob
from transfer.transfers.services.decisions import candidate_from_dict, scored_to_dict
from transfer.transfers.services.matching import record_of

REVIEWABLE = (SourceTrack.Band.REVIEW, SourceTrack.Band.NOT_FOUND, SourceTrack.Band.SKIPPED)


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


def job_accept_suggestions(*, job: TransferJob) -> int:
    """Every needs-review track takes its best guess. Returns how many."""
    _editable(job)
    return (
        job.tracks.filter(band=SourceTrack.Band.REVIEW)
        .exclude(chosen_id="")
        .update(band=SourceTrack.Band.MATCHED, decided_at=timezone.now())
    )


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
    if job.state in TransferJob.RUNNING_STATES:
        TransferJob.objects.filter(id=job.id).update(state=TransferJob.State.CANCELLED)
    job.delete()
