"""The syncs services called directly: changing, pausing, deleting a sync, failing a run, and
reading a URL source. No view, no worker: what each service function promises, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.syncs.conftest import FileServer
from transfer.formats.records import TrackRecord
from transfer.syncs.models import Sync, SyncItem, SyncRun
from transfer.syncs.services import runs, sources
from transfer.syncs.services.syncs import (
    RUNS_KEPT_FOR,
    runs_recover,
    sync_create,
    sync_delete,
    sync_pause,
    sync_resume,
    sync_run_now,
    sync_update,
)

pytestmark = pytest.mark.django_db
Run = SyncRun.State


@pytest.fixture
def dora() -> User:
    return User.objects.create_user("dora")


def a_sync(user: User, **options: Any) -> Sync:
    return sync_create(
        user=user,
        name=options.pop("name", "Weekly mix"),
        source_kind=Sync.SourceKind.AMAZON_PLAYLIST,
        source_ref="p-source",
        destination=Sync.Destination.NEW_PLAYLIST,
        run_now=False,
        **options,
    )


def test_changing_the_schedule_moves_the_next_run_to_fit(dora: User) -> None:
    sync = a_sync(dora, schedule=Sync.Schedule.WEEKLY)
    last = timezone.now() - dt.timedelta(hours=2)
    Sync.objects.filter(id=sync.id).update(last_run_at=last)
    sync.refresh_from_db()

    sync_update(sync=sync, schedule=Sync.Schedule.HOURLY, mode=Sync.Mode.MIRROR)
    sync.refresh_from_db()
    assert (sync.schedule, sync.mode) == (Sync.Schedule.HOURLY, Sync.Mode.MIRROR)
    # An hour after a run two hours ago is already past: the next run is now, not in the past.
    assert sync.next_run_at is not None
    assert abs((sync.next_run_at - timezone.now()).total_seconds()) < 5

    sync_update(sync=sync, schedule=Sync.Schedule.DAILY, mode=Sync.Mode.MIRROR)
    sync.refresh_from_db()
    assert sync.next_run_at == last + dt.timedelta(days=1)


def test_changing_a_paused_sync_leaves_it_paused_with_no_run_due(dora: User) -> None:
    sync = a_sync(dora)
    assert sync_pause(sync=sync, reason="Holiday")
    sync.refresh_from_db()
    before = sync.next_run_at
    sync_update(sync=sync, schedule=Sync.Schedule.HOURLY, mode=Sync.Mode.ADDITIVE)
    sync.refresh_from_db()
    assert sync.paused
    assert sync.next_run_at == before


def test_pausing_and_resuming_happen_once_each(dora: User) -> None:
    sync = a_sync(dora)
    assert sync_pause(sync=sync) is True
    assert sync_pause(sync=sync, reason="again") is False
    sync.refresh_from_db()
    assert sync.pause_reason == "Paused by you."

    Sync.objects.filter(id=sync.id).update(consecutive_failures=3)
    assert sync_resume(sync=sync) is True
    assert sync_resume(sync=sync) is False
    sync.refresh_from_db()
    assert (sync.paused, sync.pause_reason, sync.consecutive_failures) == (False, "", 0)


def test_deleting_a_sync_forgets_its_runs_and_items_but_not_another_persons(dora: User) -> None:
    other = a_sync(User.objects.create_user("eve"), name="Eve's")
    sync = a_sync(dora)
    run = sync_run_now(sync=sync)
    assert run is not None
    SyncItem.objects.create(sync=sync, key="a:B0X")
    SyncItem.objects.create(sync=other, key="a:B0Y")

    sync_delete(sync=sync)
    assert not Sync.objects.filter(id=sync.id).exists()
    assert not SyncRun.objects.filter(id=run.id).exists()
    assert list(SyncItem.objects.values_list("key", flat=True)) == ["a:B0Y"]


def test_a_failed_run_says_why_and_enough_of_them_pause_the_sync(dora: User, settings: Any) -> None:
    settings.SYNC_PAUSE_AFTER_FAILURES = 2
    sync = a_sync(dora)
    failed = []
    for attempt in (1, 2):
        run = sync_run_now(sync=sync)
        assert run is not None
        failed.append(run)
        runs.run_fail(run_id=run.id, message=f"Amazon Music answered 500 (try {attempt}).")
        run.refresh_from_db()
        assert run.state == Run.FAILED
        assert f"try {attempt}" in run.message
        sync.refresh_from_db()
        assert sync.paused is (attempt == 2)
    assert "Paused after 2 failed runs in a row" in sync.pause_reason
    assert "try 2" in sync.pause_reason

    runs.run_fail(run_id=failed[-1].id, message="late duplicate")
    sync.refresh_from_db()
    assert sync.consecutive_failures == 2, "a finished run cannot fail twice"


def test_a_run_retried_later_is_queued_again_with_the_wait_shown(dora: User) -> None:
    sync = a_sync(dora)
    run = sync_run_now(sync=sync)
    assert run is not None
    SyncRun.objects.filter(id=run.id).update(state=Run.RUNNING)
    runs.run_retry_later(run_id=run.id, message="Amazon Music is busy.", countdown=59.6)
    run.refresh_from_db()
    assert run.state == Run.QUEUED
    assert run.message == "Amazon Music is busy. Trying again in 60 s."


def test_old_finished_runs_are_forgotten_and_recent_ones_kept(dora: User) -> None:
    sync = a_sync(dora)
    old = SyncRun.objects.create(
        sync=sync,
        state=Run.DONE,
        finished_at=timezone.now() - RUNS_KEPT_FOR - dt.timedelta(days=1),
    )
    recent = SyncRun.objects.create(
        sync=sync, state=Run.FAILED, finished_at=timezone.now() - dt.timedelta(days=1)
    )
    runs_recover()
    remaining = set(SyncRun.objects.values_list("id", flat=True))
    assert recent.id in remaining
    assert old.id not in remaining


def test_a_file_track_keeps_its_key_until_what_identifies_it_changes() -> None:
    track = TrackRecord(title="September", artists=("Earth, Wind & Fire",), album="The Best of")
    same = TrackRecord(title="September", artists=("Earth, Wind & Fire",), album="The Best of")
    other = TrackRecord(title="Boogie Wonderland", artists=("Earth, Wind & Fire",))
    assert sources.file_key(track) == sources.file_key(same)
    assert sources.file_key(track) != sources.file_key(other)
    assert len(sources.file_key(track)) <= 64
    assert sources.amazon_key("B0" + "X" * 80).startswith("a:B0")
    assert len(sources.amazon_key("B0" + "X" * 80)) == 64


M3U = (
    b"#EXTM3U\n#PLAYLIST:Friday\n"
    b"#EXTINF:215,Earth, Wind & Fire - September\nseptember.mp3\n"
    b"#EXTINF:200,Queen - Don't Stop Me Now\ndont-stop.mp3\n"
    b"#EXTINF:215,Earth, Wind & Fire - September\nseptember.mp3\n"
)


def test_a_url_source_is_read_in_order_each_track_once(
    file_server: FileServer, settings: Any
) -> None:
    settings.SYNC_ALLOW_PRIVATE_URLS = True
    file_server.files["/friday.m3u8"] = M3U
    read = sources.read_url(file_server.url("/friday.m3u8"))
    assert read.listed == 3
    assert [t.title for t in read.tracks.values()] == ["September", "Don't Stop Me Now"]
    assert read.format

    name, count = sources.url_preview(file_server.url("/friday.m3u8"))
    assert (name, count) == ("Friday", 3)
