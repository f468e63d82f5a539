"""Every figure the dashboard shows equals what the database, Redis and the broker hold."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from catalog_client.metrics import Metrics
from transfer.dashboard import workers
from transfer.syncs.models import Sync, SyncRun
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db
State = TransferJob.State
Band = SourceTrack.Band


def figures(html: str) -> dict[str, str]:
    return {
        name: value.strip() for name, value in re.findall(r'data-figure="([^"]+)">([^<]*)<', html)
    }


def job(user: User, state: str, retries: int = 0, error: str = "") -> TransferJob:
    return TransferJob.objects.create(
        user=user,
        name=f"{state} job",
        state=state,
        source_kind=TransferJob.SourceKind.FILE,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        retries=retries,
        error=error,
    )


def decide(target: TransferJob, band: str, count: int, when: dt.datetime, start: int = 0) -> None:
    SourceTrack.objects.bulk_create(
        SourceTrack(job=target, position=start + i, title=f"t{i}", band=band, decided_at=when)
        for i in range(count)
    )


def test_jobs_by_state_are_counted_exactly(staff: Client) -> None:
    alice, bob = User.objects.create_user("alice"), User.objects.create_user("bob")
    for state, count in ((State.READY, 2), (State.MATCHING, 1), (State.DONE, 3), (State.FAILED, 2)):
        for i in range(count):
            job(alice if i % 2 else bob, state)

    shown = figures(staff.get("/staff/").content.decode())
    assert shown["jobs-total"] == "8"
    assert shown["jobs-running"] == "1"
    assert (shown["jobs-ready"], shown["jobs-matching"], shown["jobs-done"]) == ("2", "1", "3")
    assert (shown["jobs-failed"], shown["jobs-writing"], shown["jobs-cancelled"]) == ("2", "0", "0")


def test_tracks_per_minute_and_band_shares_count_only_the_window(staff: Client) -> None:
    now = timezone.now()
    target = job(User.objects.create_user("alice"), State.MATCHING)
    decide(target, Band.MATCHED, 5, now - dt.timedelta(minutes=10))
    decide(target, Band.REVIEW, 2, now - dt.timedelta(minutes=5), start=100)
    decide(target, Band.NOT_FOUND, 3, now - dt.timedelta(minutes=5), start=200)
    decide(target, Band.MATCHED, 4, now - dt.timedelta(hours=2), start=300)  # outside the hour
    SourceTrack.objects.bulk_create(
        SourceTrack(job=target, position=400 + i, title="pending") for i in range(6)
    )

    response = staff.get("/staff/")
    shown = figures(response.content.decode())
    assert shown["tracks-decided"] == "10"
    assert (shown["band-matched"], shown["band-matched-percent"]) == ("5", "50.0")
    assert (shown["band-review"], shown["band-review-percent"]) == ("2", "20.0")
    assert (shown["band-not_found"], shown["band-not_found-percent"]) == ("3", "30.0")

    chart = response.context["throughput"].chart
    values = chart.series[0].values
    assert len(values) == 60
    assert (values[-11], values[-6], sum(values)) == (5, 5, 10)
    wider = figures(staff.get("/staff/?minutes=360").content.decode())
    assert wider["tracks-decided"] == "14"


def test_failures_and_retries_come_from_jobs_sync_runs_and_task_counters(staff: Client) -> None:
    alice = User.objects.create_user("alice")
    job(alice, State.FAILED, retries=1, error="Amazon Music refused: no subscription")
    job(alice, State.FAILED, retries=3)
    job(alice, State.DONE)
    sync = Sync.objects.create(
        user=alice,
        name="Paused one",
        source_kind=Sync.SourceKind.URL,
        source_ref="https://example.org/list.m3u",
        destination=Sync.Destination.NEW_PLAYLIST,
        paused=True,
    )
    SyncRun.objects.create(
        sync=sync, state=SyncRun.State.FAILED, message="The server answered 500."
    )
    SyncRun.objects.create(sync=sync, state=SyncRun.State.DONE, attempts=2)
    workers.count_task("retried", 4)
    workers.count_task("failed")

    page = staff.get("/staff/").content.decode()
    shown = figures(page)
    assert shown["failed-jobs"] == "2"
    assert shown["job-retries"] == "4"
    assert shown["task-retries"] == "4"
    assert shown["task-failures"] == "1"
    assert shown["sync-runs-failed"] == "1"
    assert shown["syncs-paused"] == "1"
    assert "Amazon Music refused: no subscription" in page
    assert "The server answered 500." in page


def test_api_calls_429s_and_cache_hit_rate_come_from_the_clients_counters(staff: Client) -> None:
    counters = Metrics(redis.Redis.from_url(settings.REDIS_URL), flush_interval=0)
    counters.add({"calls": 7, "http_429": 2, "cache_hits": 3, "cache_misses": 1})
    counters.flush()

    response = staff.get("/staff/")
    shown = figures(response.content.decode())
    assert shown["api-calls"] == "7"
    assert shown["api-429"] == "2"
    assert shown["cache-hit-rate"] == "75.0%"
    assert (shown["cache-hits"], shown["cache-misses"]) == ("3", "1")
    api = response.context["api"]
    assert api.calls_chart.series[0].values[-1] == 7
    assert api.hit_rate_chart.series[0].values[-1] == 75.0
    assert api.hit_rate_chart.series[0].values[0] is None, "no lookups: a gap, not 0%"


def test_an_hour_without_lookups_has_no_hit_rate_rather_than_zero(staff: Client) -> None:
    assert figures(staff.get("/staff/").content.decode())["cache-hit-rate"] == "—"


def test_queue_lengths_are_the_messages_waiting_on_the_broker(staff: Client) -> None:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.lpush("match", "m1", "m2", "m3")
    broker.lpush("sync", "s1")

    shown = figures(staff.get("/staff/").content.decode())
    assert shown["queue-match"] == "3"
    assert shown["queue-sync"] == "1"
    assert (shown["queue-default"], shown["queue-write"]) == ("0", "0")


def test_a_worker_is_shown_while_its_heartbeat_is_fresh(staff: Client) -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.set(
        "amt:worker:celery@box-1",
        json.dumps(
            {
                "pid": 42,
                "queues": ["default", "sync"],
                "started": time.time() - 60,
                "seen": time.time(),
            }
        ),
        ex=30,
    )
    page = staff.get("/staff/").content.decode()
    assert 'data-worker="celery@box-1"' in page
    assert "(1 alive)" in page

    client.delete("amt:worker:celery@box-1")
    page = staff.get("/staff/panels/workers/").content.decode()
    assert "(0 alive)" in page
    assert "No worker has sent a heartbeat" in page
