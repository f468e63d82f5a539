"""Waiting for YouTube's daily quota is bounded: waits that write nothing end the job with a reason,
while a wait after progress starts the count again (a long playlist may take many days)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from transfer.core.retrying import RetryState
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers import tasks
from transfer.transfers.models import TransferJob
from transfer.transfers.services.jobs import jobs_create
from transfer.youtube.errors import YouTubeQuotaExceededError

pytestmark = pytest.mark.django_db


def youtube_job() -> TransferJob:
    user = User.objects.create_user("quota", password="x")
    [job] = jobs_create(
        user=user,
        playlists=[PlaylistRecord(name="Mix", tracks=[TrackRecord(title="Song", artists=("A",))])],
        source_kind=TransferJob.SourceKind.FILE,
        source_format="csv",
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="Mix",
    )
    return job


def quota() -> YouTubeQuotaExceededError:
    return YouTubeQuotaExceededError("Today's YouTube quota is used up", resume_in=40_000)


def test_youtube_quota_waits_that_write_nothing_end_the_job_with_a_reason(settings: Any) -> None:
    settings.YOUTUBE_QUOTA_RECHECK_SECONDS = 1800
    settings.YOUTUBE_QUOTA_MAX_STALL_SECONDS = 3600
    job = youtube_job()
    # Three waits in a row already wrote nothing: a fourth would pass an hour of waiting.
    spent = RetryState.load({"waits": 3, "progress": 5}).dump()
    tasks._handle(None, str(job.id), quota(), spent, progress=5)  # type: ignore[arg-type]
    job.refresh_from_db()
    assert job.state == TransferJob.State.FAILED
    assert "waiting for YouTube's daily quota" in job.error


def test_youtube_quota_waits_count_again_after_progress() -> None:
    previous = RetryState.load({"waits": 40, "progress": 5})
    assert tasks._quota_state(previous, 6)["waits"] == 0
    assert tasks._quota_state(previous, 5)["waits"] == 40
