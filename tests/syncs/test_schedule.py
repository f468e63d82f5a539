"""Scheduling: the beat queues each due sync once, pausing stops it, dead runs are closed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from transfer.syncs.models import Sync, SyncRun
from transfer.syncs.services.syncs import (
    SyncError,
    runs_recover,
    sync_create,
    sync_pause,
    sync_resume,
    sync_run_now,
    syncs_enqueue_due,
)

Run = SyncRun.State


@pytest.fixture
def carol(db: None) -> User:
    return User.objects.create_user("carol")


def due_sync(user: User, *, ago: dt.timedelta = dt.timedelta(minutes=1), **options: object) -> Sync:
    sync = sync_create(
        user=user,
        name="Due",
        source_kind=Sync.SourceKind.AMAZON_PLAYLIST,
        source_ref="p-1",
        destination=Sync.Destination.NEW_PLAYLIST,
        run_now=False,
        **options,  # type: ignore[arg-type]
    )
    Sync.objects.filter(id=sync.id).update(next_run_at=timezone.now() - ago)
    sync.refresh_from_db()
    return sync


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_the_same_moment_queue_a_due_sync_once(carol: User) -> None:
    sync = due_sync(carol)
    start = threading.Barrier(2)
    counts: list[int] = []

    def beat() -> None:
        start.wait()
        try:
            counts.append(syncs_enqueue_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [0, 1]
    assert SyncRun.objects.filter(sync=sync).count() == 1
    sync.refresh_from_db()
    assert sync.next_run_at is not None
    assert sync.next_run_at > timezone.now() + dt.timedelta(hours=23)


def test_the_beat_moves_the_next_run_on_by_the_schedule(carol: User) -> None:
    hourly = due_sync(carol, schedule=Sync.Schedule.HOURLY)
    before = hourly.next_run_at
    assert before is not None
    assert syncs_enqueue_due() == 1
    hourly.refresh_from_db()
    assert hourly.next_run_at == before + dt.timedelta(hours=1)
    assert syncs_enqueue_due() == 0, "not due again until then"


def test_after_downtime_a_sync_runs_once_not_once_per_missed_interval(carol: User) -> None:
    sync = due_sync(carol, schedule=Sync.Schedule.HOURLY, ago=dt.timedelta(days=2))
    assert syncs_enqueue_due() == 1
    sync.refresh_from_db()
    assert sync.next_run_at is not None
    assert sync.next_run_at > timezone.now() + dt.timedelta(minutes=59)
    assert syncs_enqueue_due() == 0


def test_a_paused_sync_is_not_run_and_resuming_runs_it_soon(carol: User) -> None:
    sync = due_sync(carol)
    assert sync_pause(sync=sync)
    assert syncs_enqueue_due() == 0
    sync.refresh_from_db()
    assert sync.pause_reason == "Paused by you."

    assert sync_resume(sync=sync)
    assert syncs_enqueue_due() == 1
    assert SyncRun.objects.filter(sync=sync).count() == 1


def test_run_now_is_refused_while_a_run_is_on_its_way(carol: User) -> None:
    sync = due_sync(carol)
    assert sync_run_now(sync=sync) is not None
    assert sync_run_now(sync=sync) is None
    assert syncs_enqueue_due() == 0, "the scheduled run waits for the one on its way"
    assert SyncRun.objects.filter(sync=sync).count() == 1


def test_runs_a_dead_worker_left_open_are_closed_so_the_sync_runs_again(carol: User) -> None:
    sync = due_sync(carol)
    run = sync_run_now(sync=sync)
    assert run is not None
    SyncRun.objects.filter(id=run.id).update(
        state=Run.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert runs_recover() == 1
    run.refresh_from_db()
    assert run.state == Run.FAILED
    assert "interrupted" in run.message
    assert sync_run_now(sync=sync) is not None


def test_a_live_run_is_left_alone(carol: User) -> None:
    sync = due_sync(carol)
    run = sync_run_now(sync=sync)
    assert run is not None
    SyncRun.objects.filter(id=run.id).update(state=Run.RUNNING, started_at=timezone.now())
    assert runs_recover() == 0


@pytest.mark.parametrize(
    ("source_kind", "source_ref", "destination", "destination_ref", "message"),
    [
        (
            Sync.SourceKind.AMAZON_LIBRARY,
            "library",
            Sync.Destination.LIBRARY_TRACKS,
            "",
            "into itself",
        ),
        (
            Sync.SourceKind.AMAZON_PLAYLIST,
            "p-1",
            Sync.Destination.EXISTING_PLAYLIST,
            "p-1",
            "into itself",
        ),
        (
            Sync.SourceKind.AMAZON_PLAYLIST,
            "p-1",
            Sync.Destination.EXISTING_PLAYLIST,
            "",
            "Choose the playlist",
        ),
    ],
)
def test_a_sync_that_cannot_work_is_refused(
    carol: User,
    source_kind: str,
    source_ref: str,
    destination: str,
    destination_ref: str,
    message: str,
) -> None:
    with pytest.raises(SyncError, match=message):
        sync_create(
            user=carol,
            name="Wrong",
            source_kind=source_kind,
            source_ref=source_ref,
            destination=destination,
            destination_ref=destination_ref,
        )
    assert not Sync.objects.exists()
