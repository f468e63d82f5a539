"""The review and batch services: triage in bulk, undo, honest counts, combined batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.product_fixtures import Person
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers import selectors
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import batches, review
from transfer.transfers.services.jobs import jobs_create

pytestmark = pytest.mark.django_db
Band = SourceTrack.Band
State = TransferJob.State


def suggestion(
    title: str, artist: str, *, same_artist: bool, version: bool = False
) -> dict[str, Any]:
    signals = [
        {"name": "title", "score": 1.0, "note": "title: same", "agrees": True},
        {
            "name": "artists",
            "score": 0.95 if same_artist else 0.1,
            "note": "artists: same" if same_artist else "artists: different",
            "agrees": same_artist,
        },
    ]
    if version:
        signals.append(
            {"name": "version", "score": None, "note": "version differs", "agrees": False}
        )
    return {
        "id": f"cat-{title}",
        "title": title,
        "artists": [artist],
        "score": 0.7,
        "signals": signals,
    }


def job_in_review(person: Person, name: str = "Mixed") -> TransferJob:
    """Eight tracks: 3 confident, 2 suggestions by the same artist, 1 by another, 1 of another
    version, 1 not found."""
    tracks = [TrackRecord(title=f"Song {i}", artists=("Band",)) for i in range(8)]
    [job] = jobs_create(
        user=person.user,
        playlists=[PlaylistRecord(name=name, tracks=tracks)],
        source_kind=TransferJob.SourceKind.TEXT,
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    TransferJob.objects.filter(id=job.id).update(state=State.REVIEW)
    rows = list(job.tracks.order_by("position"))
    plan: list[tuple[str, dict[str, Any] | None, float]] = [
        (Band.MATCHED, suggestion("Song 0", "Band", same_artist=True), 0.99),
        (Band.MATCHED, suggestion("Song 1", "Band", same_artist=True), 0.98),
        (Band.MATCHED, suggestion("Song 2", "Band", same_artist=True), 0.97),
        (Band.REVIEW, suggestion("Song 3", "Band", same_artist=True), 0.7),
        (Band.REVIEW, suggestion("Song 4", "Band", same_artist=True), 0.6),
        (Band.REVIEW, suggestion("Song 5 (Karaoke)", "Sing-Along", same_artist=False), 0.5),
        (Band.REVIEW, suggestion("Song 6 (Live)", "Band", same_artist=True, version=True), 0.4),
        (Band.NOT_FOUND, None, 0.0),
    ]
    for row, (band, chosen, confidence) in zip(rows, plan, strict=True):
        SourceTrack.objects.filter(id=row.id).update(
            band=band,
            chosen=chosen,
            chosen_id=chosen["id"] if chosen else "",
            candidates=[chosen] if chosen else [],
            confidence=confidence,
        )
    job.refresh_from_db()
    return job


def test_counts_keep_the_persons_choices_apart_from_confident_matches(alice: Person) -> None:
    job = job_in_review(alice)
    counts = review.review_counts(jobs=[job])
    assert (counts.confident, counts.chosen, counts.review, counts.not_found) == (3, 0, 4, 1)
    assert (counts.review_same_artist, counts.review_other_artist) == (3, 1)
    review.job_accept_suggestions(job=job, only_same_artist=True)
    counts = review.review_counts(jobs=[job])
    assert (counts.confident, counts.chosen, counts.review, counts.to_save) == (3, 3, 1, 6)
    summary = selectors.job_summary(job=job)
    assert (summary.confident, summary.chosen) == (3, 3)


def test_accepting_only_the_same_artist_leaves_the_others_and_can_be_undone(
    alice: Person,
) -> None:
    job = job_in_review(alice)
    assert review.job_accept_suggestions(job=job, only_same_artist=True) == 3
    left = job.tracks.filter(band=Band.REVIEW).values_list("chosen__title", flat=True)
    assert list(left) == ["Song 5 (Karaoke)"]
    job.refresh_from_db()
    assert review.job_undo_bulk(job=job) == 3
    assert job.tracks.filter(band=Band.REVIEW).count() == 4
    assert not job.tracks.filter(decided_by_person=True).exists()
    job.refresh_from_db()
    assert review.job_undo_bulk(job=job) == 0  # one level: nothing more to undo


def test_skip_all_not_found_and_undo(alice: Person) -> None:
    job = job_in_review(alice)
    assert review.job_skip_not_found(job=job) == 1
    assert job.tracks.filter(band=Band.SKIPPED).count() == 1
    job.refresh_from_db()
    review.job_undo_bulk(job=job)
    assert job.tracks.filter(band=Band.NOT_FOUND).count() == 1


def test_filters_and_sorting(alice: Person) -> None:
    job = job_in_review(alice)

    def titles(**kwargs: str) -> list[str]:
        ids = selectors.review_rows(jobs=[job], **kwargs)
        by_id = SourceTrack.objects.in_bulk(ids)
        return [by_id[i].title for i in ids]

    assert titles(filter_by="other_artist") == ["Song 5"]
    assert titles(filter_by="other_version") == ["Song 6"]
    assert titles(filter_by="not_found") == ["Song 7"]
    assert titles(filter_by="review") == ["Song 3", "Song 4", "Song 5", "Song 6"]
    assert titles(sort="confidence")[:2] == ["Song 7", "Song 6"]


def test_a_finished_job_cannot_take_bulk_actions(alice: Person) -> None:
    job = job_in_review(alice)
    TransferJob.objects.filter(id=job.id).update(state=State.WRITING)
    job.refresh_from_db()
    with pytest.raises(review.ReviewError):
        review.job_accept_suggestions(job=job)


def test_a_batch_is_reviewed_and_counted_as_one(alice: Person) -> None:
    first = job_in_review(alice, "First")
    second = job_in_review(alice, "Second")
    batch = first.batch or batches.TransferBatch.objects.create(user=alice.user)
    TransferJob.objects.filter(id__in=[first.id, second.id]).update(batch=batch)
    counts = review.review_counts(jobs=batches.batch_review_jobs(batch=batch))
    assert (counts.total, counts.review, counts.not_found) == (16, 8, 2)
    progress = batches.batch_progress(batch=batch)
    assert (progress.jobs, progress.tracks, progress.in_review) == (2, 16, 2)
    assert progress.percent == 100  # every track decided
    assert batches.batch_accept_suggestions(batch=batch, only_same_artist=False) == 8
    assert batches.batch_undo(batch=batch) == 8
    assert batches.batch_skip_not_found(batch=batch) == 2
    page = selectors.review_page(job=first, jobs=[first, second], page=1, filter_by="review")
    assert [row.job_id for row in page.object_list] == [first.id] * 4 + [second.id] * 4


def test_batch_progress_never_rounds_up_to_done(alice: Person) -> None:
    progress = batches.BatchProgress(jobs=1, tracks=239, decided=238, states={"matching": 1})
    assert progress.percent == 99
    assert progress.active


def test_the_result_page_is_honest_and_lists_what_did_not_transfer(alice: Person) -> None:
    tracks = [TrackRecord(title=f"Song {i}", artists=("Band",)) for i in range(239)]
    [job] = jobs_create(
        user=alice.user,
        playlists=[PlaylistRecord(name="Almost all", tracks=tracks)],
        source_kind=TransferJob.SourceKind.TEXT,
        destination=TransferJob.Destination.FILE,
    )
    job.tracks.exclude(position=238).update(band=Band.MATCHED, chosen_id="x")
    job.tracks.filter(position=238).update(
        band=Band.NOT_FOUND, explanation="Nothing in the catalog looks like it."
    )
    started = job.created_at
    TransferJob.objects.filter(id=job.id).update(
        state=State.DONE,
        started_at=started,
        finished_at=started + dt.timedelta(seconds=42),
    )
    page = alice.client.get(f"/transfers/{job.id}/").content.decode()
    assert "238 of 239" in page
    assert "99%" in page
    assert "(100%)" not in page
    assert "42 seconds" in page
    assert "0 minutes" not in page
    assert "1 track did not transfer" in page
    assert "Nothing in the catalog looks like it." in page
