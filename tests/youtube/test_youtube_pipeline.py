"""YouTube through the pipeline with a real Celery worker: a Takeout file of video ids resolved
through the YouTube connection and moved into Amazon Music; an Amazon playlist into YouTube that
pauses when the day's quota runs out and goes on when it returns."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from devtools.sandbox_server import REPO, ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import (
    decisions_cached_by_a_dry_run,
    youtube_writer,
)
from tests.spotify.test_spotify_pipeline import playlist_with, run
from tests.transfers.helpers import expected_ids, playlist_track_ids, wait_for_state
from tests.youtube.test_youtube_standin import _takeout_ids
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services.intake import jobs_create_from_form
from transfer.transfers.services.jobs import job_start
from transfer.transfers.services.review import job_write
from transfer.youtube.services import quota_ledger

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State
TAKEOUT = REPO / "sandbox/data/samples/youtube_music_takeout_liked-videos.csv"


def test_youtube_takeout_ids_resolve_through_the_connection_and_move_into_amazon(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    youtube_writer(services, alice.user)
    upload = SimpleUploadedFile("liked-videos.csv", TAKEOUT.read_bytes(), "text/csv")
    [job] = jobs_create_from_form(
        user=alice.user,
        source="file",
        files=[upload],
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    rows = list(job.tracks.order_by("position"))
    assert [r.source_id for r in rows] == _takeout_ids()
    assert all(r.title and r.artists for r in rows)  # titles and channels from videos.list
    assert not any("only video ids" in p["message"] for p in job.problems)
    assert quota_ledger().used() == 1
    job = run(job)
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert written == expected_ids(job)
    # These are real YouTube Music videos whose songs the Amazon catalog holds.
    assert len(written) >= 0.8 * len(rows)


def test_youtube_destination_pauses_when_the_quota_ends_and_resumes_next_day(
    alice: Person,
    services: ServiceStandIns,
    settings: Any,
    redis_client: Any,
    celery_worker_thread: object,
) -> None:
    name = youtube_writer(services, alice.user)
    settings.YOUTUBE_QUOTA_RECHECK_SECONDS = 1
    source = playlist_with(alice, 8, 40)
    decisions_cached_by_a_dry_run(alice.user, source, TransferJob.Destination.YOUTUBE_NEW_PLAYLIST)
    [job] = jobs_create_from_form(
        user=alice.user,
        source="amazon_playlist",
        playlist_ids=[source],
        destination=TransferJob.Destination.YOUTUBE_NEW_PLAYLIST,
    )
    # Enough today for looking for the job's playlist, making it, reading it back and three
    # inserts.
    settings.YOUTUBE_DAILY_QUOTA = quota_ledger().used() + 1 + 50 + 1 + 3 * 50 + 10
    job_start(job=job)
    job = wait_for_state(job, State.WRITING, State.REVIEW, State.DONE, State.FAILED, timeout=120)
    if job.state == State.REVIEW:
        job_write(job=job)
    deadline_job = wait_for_paused(job)
    assert "quota is used up" in deadline_job.error
    written_so_far = job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count()
    assert 0 < written_so_far < job.tracks.filter(band=SourceTrack.Band.MATCHED).count()
    # Midnight Pacific: Google's count and ours start again.
    services.youtube("POST", "new-day")
    for key in redis_client.scan_iter("youtube:quota:*"):
        redis_client.delete(key)
    settings.YOUTUBE_DAILY_QUOTA = 10_000
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=120)
    assert job.state == State.DONE, job.error
    playlist = next(
        p
        for p in services.youtube("GET", f"accounts/{name}")["playlists"]
        if p["id"] == job.destination_ref
    )
    assert playlist["video_ids"] == expected_ids(job)  # in order, each once


def wait_for_paused(job: TransferJob, timeout: float = 120) -> TransferJob:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if "quota" in job.error:
            return job
        assert job.state not in (State.DONE, State.FAILED), job.error
        time.sleep(0.3)
    raise AssertionError(f"job never paused for quota (state {job.state})")
