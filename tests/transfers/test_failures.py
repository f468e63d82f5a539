"""No job loops forever: a failure that will not change ends the tracks or the job, with a
reason, within a bounded time; the stall recovery gives up after a bounded number of tries."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from tests.product_fixtures import Person, connect
from tests.sandbox_server import SandboxServer
from tests.transfers.helpers import wait_for_state
from transfer.amazon.clients import music_client_for
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import recovery, sources
from transfer.transfers.services.account import AccountCannotWrite, _key, account_status
from transfer.transfers.services.jobs import job_resume, job_start, jobs_create

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State
# However the job fails, it must have ended by then (the real bound is far shorter).
BOUND_SECONDS = 60


def video_ids_only(person: Person) -> TransferJob:
    """A YouTube Takeout list as the issue found it: rows with a video id and nothing else."""
    tracks = [
        TrackRecord(title="", artists=(), source_id=video, line=i + 2)
        for i, video in enumerate(["3_R4ulvg8OY", "0VP_LezQ-QE", "B1V1varByWI"])
    ]
    [job] = jobs_create(
        user=person.user,
        playlists=[PlaylistRecord(name="Liked videos", tracks=tracks)],
        source_kind=TransferJob.SourceKind.FILE,
        source_format="YouTube Takeout",
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="Liked videos",
    )
    return job


def test_rows_with_nothing_to_search_end_as_not_found_with_a_reason(
    alice: Person, celery_worker_thread: object
) -> None:
    job = video_ids_only(alice)
    started = time.monotonic()
    assert job_start(job=job)
    job = wait_for_state(job, State.REVIEW, State.DONE, State.FAILED, timeout=BOUND_SECONDS)
    assert time.monotonic() - started < BOUND_SECONDS
    assert job.state == State.REVIEW  # the person may still find them by hand
    rows = list(job.tracks.all())
    assert {row.band for row in rows} == {SourceTrack.Band.NOT_FOUND}
    assert all("no title or artist" in row.explanation for row in rows), [
        row.explanation for row in rows
    ]


@pytest.fixture
def dave(amazon: SandboxServer, db: None) -> Person:
    """The sandbox's Free-tier person: Amazon refuses his writes (DENIED_SUBSCRIPTION_TIER)."""
    return connect(amazon, "dave")


@pytest.fixture
def erin(amazon: SandboxServer, db: None) -> Person:
    """An Amazon account without Amazon Music: every call is refused."""
    return connect(amazon, "erin")


def copy_my_songs(person: Person) -> TransferJob:
    client = music_client_for(person.user.pk)
    source = next(iter(client.iter_my_playlists()))
    record = sources.read_amazon_playlist(user_id=person.user.pk, playlist_id=source.id)
    [job] = jobs_create(
        user=person.user,
        playlists=[record],
        source_kind=TransferJob.SourceKind.AMAZON_PLAYLIST,
        source_ref=source.id,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="My Songs (copy)",
        predecided=True,
    )
    return job


def test_the_account_is_known_before_work_starts(dave: Person, erin: Person, alice: Person) -> None:
    assert account_status(user_id=dave.user.pk, fresh=True).tier == "FREE"
    assert not account_status(user_id=dave.user.pk).can_write
    assert not account_status(user_id=erin.user.pk, fresh=True).has_music
    assert account_status(user_id=alice.user.pk, fresh=True).can_write
    job = copy_my_songs(dave)
    with pytest.raises(AccountCannotWrite, match="file"):
        job_start(job=job)
    job.refresh_from_db()
    assert job.state == State.READY


def test_a_tier_that_cannot_write_ends_the_job_without_resume(
    dave: Person, celery_worker_thread: object
) -> None:
    job = copy_my_songs(dave)
    # As if the plan changed after the check: Amazon refuses at the first write.
    cache.set(_key(dave.user.pk), {"has_music": True, "tier": "UNLIMITED"}, 60)
    started = time.monotonic()
    assert job_start(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=BOUND_SECONDS)
    assert time.monotonic() - started < BOUND_SECONDS
    assert job.state == State.FAILED
    assert "plan (Free) cannot save" in job.error
    assert not job.resumable
    assert not job_resume(job=job)
    page = dave.client.get(f"/transfers/{job.id}/").content.decode()
    assert "plan (Free) cannot save" in page
    assert "Resume where it stopped" not in page
    # The stale "can write" was forgotten: the next check reads the account again.
    assert not account_status(user_id=dave.user.pk).can_write


def _clear_scheduler() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match="amt:fair:*"):
        client.delete(key)


@override_settings(TRANSFER_MAX_RECOVERIES=3)
def test_the_stall_recovery_gives_up_after_a_bounded_number_of_tries(
    alice: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(recovery.dispatch.current_app, "send_task", lambda *a, **k: sent.append(a))
    monkeypatch.setattr(
        recovery.scheduling.current_app, "send_task", lambda *a, **k: sent.append(a)
    )
    job = video_ids_only(alice)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    TransferJob.objects.filter(id=job.id).update(state=State.MATCHING, started_at=long_ago)
    now = timezone.now()
    for attempt in range(1, 4):
        _clear_scheduler()  # the re-queued work is lost again (a worker that always dies)
        assert recovery.jobs_recover_stalled(now=now + dt.timedelta(minutes=attempt)) == [job.id]
    _clear_scheduler()
    assert recovery.jobs_recover_stalled(now=now + dt.timedelta(minutes=10)) == []
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "no progress after 3 attempts" in job.error
    assert job.resumable  # nothing says Amazon would refuse: the person may try again
    from transfer.dashboard.selectors import flagged_jobs

    assert [f.job.id for f in flagged_jobs()] == [job.id]
