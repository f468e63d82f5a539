"""The fault suite: real Celery worker processes, the sandbox injecting faults, and after
every fault the destination holds exactly the expected tracks, once each, in order, in one
playlist.

Lease and recovery timings are the production settings scaled down (TRANSFER_LEASE_SECONDS
and friends, in the workers' environment and in this process); nothing in the product knows
it is under test. Beat is not running here: the test calls ``recover_stalled`` every second,
as beat would every TRANSFER_RECOVER_EVERY_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import redis

from tests.product_fixtures import Person
from tests.sandbox_server import SandboxServer
from tests.transfers.helpers import expected_ids, playlist_track_ids
from tests.transfers.test_pipeline import copy_everything_i_love, import_sample
from transfer.amazon.clients import music_client_for
from transfer.syncs import tasks as sync_tasks
from transfer.syncs.models import Sync, SyncRun
from transfer.syncs.services.syncs import sync_create
from transfer.transfers import tasks
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.selectors import job_progress
from transfer.transfers.services.jobs import job_start
from transfer.transfers.services.progress import progress_read, progress_start

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State

# Production: 20 s lease, 30 s stall, recovery every 10 s. Here the same, ten times faster.
SCALED = {
    "TRANSFER_LEASE_SECONDS": "2",
    "TRANSFER_STALLED_SECONDS": "3",
    "TRANSFER_RECOVER_EVERY_SECONDS": "1",
    "TRANSFER_WRITE_CHUNK": "40",
}


@pytest.fixture
def no_cached_decisions(settings: Any) -> None:
    """Matching must really ask Amazon: forget decisions cached by earlier tests."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match="*:match:v*", count=1000):
        client.delete(key)


@pytest.fixture
def scaled(settings: Any) -> dict[str, str]:
    for name, value in SCALED.items():
        setattr(settings, name, int(value))
    return SCALED


def playlists_named(person: Person, title: str) -> set[str]:
    client = music_client_for(person.user.pk)
    return {p.id for p in client.iter_my_playlists() if p.title == title}


@pytest.fixture
def earlier_playlists(alice: Person) -> set[str]:
    """The sandbox account outlives a test: playlists earlier tests made are not this one's."""
    return {p.id for p in music_client_for(alice.user.pk).iter_my_playlists()}


def assert_written_exactly_once(person: Person, job: TransferJob, earlier: set[str]) -> None:
    job.refresh_from_db()
    assert job.state == State.DONE, job.error
    made = playlists_named(person, job.destination_name) - earlier
    assert made == {job.destination_ref}, "one playlist"
    written = playlist_track_ids(person.user.pk, job.destination_ref)
    assert written == expected_ids(job), "every track once, in source order"
    view = job_progress(job=job)
    assert view.done <= view.total
    assert view.percent <= 100


def run_until(
    job: TransferJob, states: tuple[str, ...], *, timeout: float, recover: bool = True
) -> TransferJob:
    """Wait for the job, calling recover_stalled each second as beat would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        if recover:
            tasks.recover_stalled()
        time.sleep(1)
    raise AssertionError(f"job stayed {job.state}; error: {job.error}")


def test_a_storm_of_429s_and_500s_during_matching_and_writing_loses_nothing(
    alice: Person,
    amazon: SandboxServer,
    start_worker: Callable[..., Any],
    scaled: dict[str, str],
    earlier_playlists: set[str],
    no_cached_decisions: None,
    settings: Any,
) -> None:
    # The stall window is scaled ten times down but Celery's retry countdowns are not, so in a
    # storm a job can sit out three 3 s windows between retries: it once failed here with "no
    # progress after 3 attempts" (1 run in 4 of the whole suite). This test is about losing
    # nothing; the bound on restarts is tested in tests/transfers/test_failures.py.
    settings.TRANSFER_MAX_RECOVERIES = 10
    amazon.configure(faults={"http_429": 0.6, "http_500": 0.15})
    # The in-call retry budget scaled down too, so throttling reaches the tasks' retries.
    start_worker(**scaled, AMAZON_MUSIC_RETRY_BUDGET="1")
    start_worker(**scaled, AMAZON_MUSIC_RETRY_BUDGET="1")
    job = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    job_start(job=job)
    job = run_until(job, (State.DONE, State.FAILED, State.REVIEW), timeout=600)
    amazon.configure(faults=None)  # the checks below read Amazon themselves
    served = amazon.stats()["total"]["statuses"]
    assert served.get("429", 0) > 0
    assert served.get("500", 0) > 0
    assert_written_exactly_once(alice, job, earlier_playlists)


def test_truncated_answers_are_retried_and_lose_nothing(
    alice: Person,
    amazon: SandboxServer,
    start_worker: Callable[..., Any],
    scaled: dict[str, str],
    earlier_playlists: set[str],
    no_cached_decisions: None,
) -> None:
    amazon.configure(faults={"malformed_json": 0.05})
    start_worker(**scaled, AMAZON_MUSIC_RETRY_BUDGET="1")
    job = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    job_start(job=job)
    job = run_until(job, (State.DONE, State.FAILED, State.REVIEW), timeout=300)
    amazon.configure(faults=None)  # the checks below read Amazon themselves
    assert_written_exactly_once(alice, job, earlier_playlists)


def test_every_task_delivered_twice_at_once_does_its_work_once(
    alice: Person,
    amazon: SandboxServer,
    start_worker: Callable[..., Any],
    scaled: dict[str, str],
    earlier_playlists: set[str],
    no_cached_decisions: None,
) -> None:
    # Slow playlist calls, so that the two copies of a write really overlap on two workers.
    amazon.configure(faults={"delay_ms": 700, "delay_share": 1.0, "paths": ["/v1/playlists"]})
    start_worker(**scaled)
    start_worker(**scaled)

    # match_chunk: every chunk of a real import twice, both copies under one task id.
    matched = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    TransferJob.objects.filter(id=matched.id).update(state=State.MATCHING)
    progress_start(matched.id, stage="matching", total=matched.track_count)
    chunk = 10
    for first in range(0, matched.track_count, chunk):
        task_id = f"match-{matched.id}-{first}"
        for _ in range(2):
            tasks.match_chunk.apply_async(
                args=(str(matched.id), first, first + chunk - 1), task_id=task_id
            )
    matched = run_until(matched, (State.DONE, State.FAILED, State.REVIEW), timeout=300)
    decided = progress_read(matched.id)
    assert decided is not None
    assert decided.decided == matched.track_count, "each track decided once"
    assert_written_exactly_once(alice, matched, earlier_playlists)

    # write_job: the first write step's message twice at the same moment (same task id, two
    # workers), before any playlist exists: one may create and write, the other must wait.
    job = copy_everything_i_love(alice)
    TransferJob.objects.filter(id=job.id).update(state=State.WRITING)
    for _ in range(2):
        tasks.write_job.apply_async(args=(str(job.id),), task_id=f"write-{job.id}")
    deadline = time.monotonic() + 300
    worst = 0
    while time.monotonic() < deadline:
        job.refresh_from_db()
        current = progress_read(job.id)
        if current is not None:
            worst = max(worst, current.percent("writing"))
        if job.state in (State.DONE, State.FAILED):
            break
        tasks.recover_stalled()
        time.sleep(0.5)
    assert worst <= 100, "progress never passes 100%"
    assert_written_exactly_once(alice, job, earlier_playlists)
    assert job.tracks.filter(write_state=SourceTrack.Write.PENDING).count() == 0

    # run_sync: one run delivered three times (two of them under one task id).
    sync = sync_create(
        user=alice.user,
        name="Twice",
        source_kind=Sync.SourceKind.AMAZON_PLAYLIST,
        source_ref=job.source_ref,
        destination=Sync.Destination.NEW_PLAYLIST,
        destination_name="Synced twice",
        run_now=True,
    )
    run = SyncRun.objects.filter(sync=sync).get()
    for _ in range(2):
        sync_tasks.run_sync.apply_async(args=(str(run.id),), task_id=f"sync-{run.id}")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.job is not None:
            synced = run_until(run.job, (State.DONE, State.FAILED), timeout=300)
            assert_written_exactly_once(alice, synced, earlier_playlists)
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the sync run stayed {run.state}: {run.message}")
    assert SyncRun.objects.filter(sync=sync).count() == 1
    assert TransferJob.objects.filter(user=alice.user, destination_name="Synced twice").count() == 1

    # take_snapshot: reads only; two at once must leave Amazon as it was and both be whole.
    before = sorted(p.id for p in music_client_for(alice.user.pk).iter_my_playlists())
    results = [
        sync_tasks.take_snapshot.apply_async(args=(alice.user.pk,), task_id=f"snap-{job.id}")
        for _ in range(2)
    ]
    for result in results:
        result.get(timeout=300)
    after = sorted(p.id for p in music_client_for(alice.user.pk).iter_my_playlists())
    assert after == before


def kill_when(
    job: TransferJob, ready: Callable[[TransferJob], bool], worker: Any, timeout: float = 180
) -> None:
    deadline = time.monotonic() + timeout
    while not ready(job):
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)
        job.refresh_from_db()
    worker.kill()


def creating_the_playlist(job: TransferJob) -> bool:
    return job.state == State.WRITING and bool(job.lease_owner) and not job.destination_ref


def adding_tracks(job: TransferJob) -> bool:
    written = job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count()
    return bool(job.destination_ref) and written >= 80


@pytest.mark.parametrize(
    ("step", "ready"),
    [("creating the playlist", creating_the_playlist), ("adding tracks", adding_tracks)],
    ids=["during-create", "during-add"],
)
def test_a_worker_killed_during_a_write_step_is_noticed_and_nothing_is_lost(
    alice: Person,
    amazon: SandboxServer,
    start_worker: Callable[..., Any],
    scaled: dict[str, str],
    earlier_playlists: set[str],
    step: str,
    ready: Callable[[TransferJob], bool],
) -> None:
    # Slow playlist calls, so the kill lands while a create or an add is in flight.
    amazon.configure(faults={"delay_ms": 700, "delay_share": 1.0, "paths": ["/v1/playlists"]})
    job = copy_everything_i_love(alice)
    first = start_worker(**scaled)
    job_start(job=job)
    kill_when(job, ready, first)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert job.state == State.WRITING, f"the kill landed {step}"

    # The page says so within the (scaled) lease, instead of freezing.
    while not job_progress(job=job).worker_stopped:
        assert time.monotonic() - killed_at < 3 * int(SCALED["TRANSFER_LEASE_SECONDS"]) + 2
        time.sleep(0.2)
        job.refresh_from_db()
    partial = alice.client.get(f"/transfers/{job.id}/progress/")
    assert "A worker stopped; resuming" in partial.content.decode()

    amazon.configure(faults={"delay_ms": 50, "delay_share": 1.0, "paths": ["/v1/playlists"]})
    start_worker(**scaled)
    job = run_until(job, (State.DONE, State.FAILED), timeout=300)
    assert_written_exactly_once(alice, job, earlier_playlists)
