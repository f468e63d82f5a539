"""Real workers report in: their heartbeats, and the retries and failures of their tasks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.product_fixtures import Person
from tests.syncs.conftest import FileServer
from tests.syncs.helpers import wait_for_run
from transfer.dashboard import workers
from transfer.syncs.models import Sync, SyncRun
from transfer.syncs.services.syncs import sync_create

pytestmark = pytest.mark.django_db(transaction=True)


def eventually(check: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_worker_process_shows_while_it_runs_and_goes_when_it_stops(
    staff: Client, start_worker: Any
) -> None:
    worker = start_worker()

    def beat() -> workers.WorkerBeat | None:
        return next((b for b in workers.workers_alive() if b.pid == worker.process.pid), None)

    eventually(lambda: beat() is not None, timeout=90)
    beat_seen = beat()
    assert beat_seen is not None
    assert set(beat_seen.queues) == {"default", "match", "write", "sync"}
    page = staff.get("/staff/panels/workers/").content.decode()
    assert f'data-worker="{beat_seen.hostname}"' in page

    worker.stop()
    assert beat() is None, "a worker that stops says so at once"
    page = staff.get("/staff/panels/workers/").content.decode()
    assert f'data-worker="{beat_seen.hostname}"' not in page


def test_task_retries_and_failures_are_counted_as_they_happen(
    staff: Client,
    alice: Person,
    file_server: FileServer,
    settings: Any,
    celery_worker_thread: object,
) -> None:
    settings.SYNC_ALLOW_PRIVATE_URLS = True
    settings.SYNC_URL_TIMEOUT = 0.3
    settings.SYNC_MAX_RETRIES = 2
    settings.SYNC_RETRY_BACKOFF_SECONDS = 0.05
    file_server.files["/slow.m3u"] = b"#EXTM3U\n"
    file_server.stall_seconds = 1.0
    sync = sync_create(
        user=alice.user,
        name="Slow server",
        source_kind=Sync.SourceKind.URL,
        source_ref=file_server.url("/slow.m3u"),
        destination=Sync.Destination.NEW_PLAYLIST,
    )
    run = wait_for_run(SyncRun.objects.get(sync=sync))
    assert run.state == SyncRun.State.FAILED
    assert "did not answer" in run.message

    page = staff.get("/staff/panels/failures/").content.decode()
    assert 'data-figure="task-retries">2<' in page
    assert 'data-figure="sync-runs-failed">1<' in page
