"""The progress partial under many viewers: no database work on its hot path, a 304 for
unchanged progress, polling that backs off, never past 100%, and a word when a worker died."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from tests.product_fixtures import Person
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers import live
from transfer.transfers.models import TransferJob
from transfer.transfers.services import progress
from transfer.transfers.services.jobs import jobs_create

pytestmark = pytest.mark.django_db
State = TransferJob.State


def running_job(person: Person, state: str = State.MATCHING, tracks: int = 30) -> TransferJob:
    [job] = jobs_create(
        user=person.user,
        playlists=[
            PlaylistRecord(
                name="Watched",
                tracks=[TrackRecord(title=f"Song {i}", artists=("Band",)) for i in range(tracks)],
            )
        ],
        source_kind=TransferJob.SourceKind.TEXT,
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    TransferJob.objects.filter(id=job.id).update(state=state, started_at=timezone.now())
    progress.progress_clear(job.id)
    progress.progress_start(job.id, stage="matching", total=tracks)
    return job


def url(job: TransferJob) -> str:
    return f"/transfers/{job.id}/progress/"


@pytest.fixture
def slow_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a rendered copy fresh for the whole test, however slow the machine is."""
    monkeypatch.setattr(live, "FRESH_SECONDS", 600.0)


def test_unchanged_progress_is_a_304_without_any_query(
    alice: Person, slow_refresh: None, django_assert_num_queries: Any
) -> None:
    job = running_job(alice)
    first = alice.client.get(url(job))
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    with django_assert_num_queries(0):
        again = alice.client.get(url(job), headers={"If-None-Match": etag})
        fresh = alice.client.get(url(job))
    assert again.status_code == 304
    assert fresh.status_code == 200
    assert fresh.content == first.content


def test_another_person_gets_404_without_any_query(
    alice: Person, bob: Person, slow_refresh: None, django_assert_num_queries: Any
) -> None:
    job = running_job(alice)
    alice.client.get(url(job))
    with django_assert_num_queries(0):
        response = bob.client.get(url(job))
    assert response.status_code == 404
    assert b"Watched" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(alice: Person, client: Any) -> None:
    job = running_job(alice)
    response = client.get(url(job))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_polling_backs_off_while_nothing_changes_and_speeds_up_on_change(
    alice: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "FRESH_SECONDS", 0.0)  # render on every request
    job = running_job(alice)
    assert 'hx-trigger="every 1s"' in alice.client.get(url(job)).content.decode()

    # A minute and more without a change: the copy says so.
    client = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    key = f"amt:job:{job.id}:partial"
    cached = json.loads(client.get(key) or "{}")
    cached["changed_at"] = time.time() - 120
    client.set(key, json.dumps(cached))
    assert 'hx-trigger="every 10s"' in alice.client.get(url(job)).content.decode()

    summary = {
        "position": 0,
        "title": "Song 0",
        "artists": ["Band"],
        "band": "matched",
        "chosen": "Song 0",
        "confidence": 0.97,
    }
    progress.progress_decided(job.id, "matched", summary)
    assert 'hx-trigger="every 1s"' in alice.client.get(url(job)).content.decode()


@pytest.mark.parametrize(("unchanged", "interval"), [(0, 1), (10, 2), (30, 5), (600, 10)])
def test_the_poll_interval_follows_how_long_nothing_changed(
    unchanged: float, interval: int
) -> None:
    assert live.poll_seconds(unchanged) == interval


def test_a_finished_job_reloads_the_page_even_when_unchanged(alice: Person) -> None:
    job = running_job(alice, state=State.DONE)
    first = alice.client.get(url(job))
    again = alice.client.get(url(job), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["HX-Refresh"] == "true"


def test_progress_never_shows_more_than_everything(alice: Person) -> None:
    job = running_job(alice, state=State.WRITING, tracks=12)
    progress.progress_start(job.id, stage="writing", total=12)
    progress.progress_set_written(job.id, 23)  # as a double delivery once counted
    body = alice.client.get(url(job)).content.decode()
    assert "<strong>12</strong> of 12 saved · 100%" in body
    assert progress.Progress(written=2350, to_write=1200).percent("writing") == 100


def test_a_dead_writer_is_shown_as_a_stopped_worker_not_a_frozen_bar(alice: Person) -> None:
    job = running_job(alice, state=State.WRITING)
    TransferJob.objects.filter(id=job.id).update(
        lease_owner="gone", lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    body = alice.client.get(url(job)).content.decode()
    assert "A worker stopped; resuming" in body


def test_a_live_writer_shows_no_such_notice(alice: Person) -> None:
    job = running_job(alice, state=State.WRITING)
    TransferJob.objects.filter(id=job.id).update(
        lease_owner="alive", lease_until=timezone.now() + dt.timedelta(seconds=30)
    )
    assert "A worker stopped" not in alice.client.get(url(job)).content.decode()
