"""The task retry policy under injected faults, with real worker processes and the sandbox.

Waiting on 429s spends none of the transient retries; transient failures (5xx, a truncated
200) have their own budget that progress renews; nothing retries forever. Budgets are scaled
down through settings (the workers' environment), never through special cases.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.product_fixtures import Person
from tests.sandbox_server import SandboxServer
from tests.transfers.helpers import SAMPLES, expected_ids, playlist_track_ids, wait_for_state
from tests.transfers.test_pipeline import import_sample
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import sources
from transfer.transfers.services.jobs import job_start, jobs_create

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State

FAST = {
    # The client gives up on a 429 at once (Retry-After is 1 s) and the task reschedules.
    "AMAZON_MUSIC_RETRY_BUDGET": "0.5",
    "TRANSFER_RETRY_BACKOFF_SECONDS": "0.2",
    "TRANSFER_RETRY_BACKOFF_CAP_SECONDS": "2",
    "TRANSFER_MATCH_CHUNK": "5",
    "TRANSFER_WRITE_CHUNK": "10",
}


def small_import(person: Person, tracks: int) -> TransferJob:
    """The first tracks of a real export file, so a slow fault run stays inside the timeout."""
    name = "exportify_road_trip.csv"
    [playlist] = sources.parse_upload((SAMPLES / name).read_bytes(), name).playlists[:1]
    [job] = jobs_create(
        user=person.user,
        playlists=[replace(playlist, tracks=playlist.tracks[:tracks])],
        source_kind=TransferJob.SourceKind.FILE,
        source_ref=name,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="Under fire",
        accept_suggestions=True,
    )
    return job


@pytest.mark.timeout(600)
def test_an_import_under_heavy_throttling_and_errors_decides_and_writes_every_track(
    alice: Person, amazon: SandboxServer, start_worker: Any
) -> None:
    # Issue 16: at 60% 429s + 15% 500s an import used to fail with a third decided, because
    # every reschedule after a 429 spent one of the 8 retries meant for errors.
    amazon.configure(faults={"http_429": 0.6, "http_500": 0.15, "malformed_json": 0.05})
    start_worker(**FAST)
    start_worker(**FAST)
    job = small_import(alice, 12)
    job_start(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=540)
    stats = amazon.stats()["total"]
    amazon.configure(faults=None)

    assert job.state == State.DONE, job.error
    assert not job.tracks.filter(band=SourceTrack.Band.PENDING).exists(), "every track decided"
    assert playlist_track_ids(alice.user.pk, job.destination_ref) == expected_ids(job)
    faults = stats.get("faults", {})
    assert faults.get("http_429", 0) > job.track_count, "the sandbox really throttled"
    assert faults.get("http_500", 0) > 0
    assert faults.get("malformed_json", 0) > 0
    assert job.retries > 8, "more reschedules than the transient budget, and still done"


def test_a_service_that_never_stops_throttling_ends_the_job_with_a_plain_reason(
    alice: Person, amazon: SandboxServer, settings: Any, celery_worker_thread: object
) -> None:
    settings.AMAZON_MUSIC_RETRY_BUDGET = 0.5
    settings.TASK_RETRY_DEADLINE_SECONDS = 4
    amazon.configure(faults={"http_429": 1.0})
    job = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    job_start(job=job)
    job = wait_for_state(job, State.FAILED, State.DONE, timeout=120)
    amazon.configure(faults=None)

    assert job.state == State.FAILED
    assert "of waiting" in job.error
    assert "resume it later" in job.error
    assert "http" not in job.error
    assert amazon.api_url not in job.error


def test_a_service_that_keeps_failing_ends_the_job_after_its_transient_budget(
    alice: Person, amazon: SandboxServer, settings: Any, celery_worker_thread: object
) -> None:
    settings.AMAZON_MUSIC_RETRY_BUDGET = 0.5
    settings.TRANSFER_MAX_TRANSIENT_RETRIES = 2
    settings.TRANSFER_RETRY_BACKOFF_SECONDS = 0.05
    amazon.configure(faults={"malformed_json": 1.0})
    job = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    job_start(job=job)
    job = wait_for_state(job, State.FAILED, State.DONE, timeout=120)
    amazon.configure(faults=None)

    assert job.state == State.FAILED
    assert "could not be read" in job.error
    assert "2 tries in a row" in job.error
    assert "/v1/" not in job.error
    assert "http" not in job.error
