"""Syncs into YouTube with a real Celery worker: an Amazon Music playlist kept in a YouTube
playlist, whose transfer waits for the day's quota and goes on when it returns, with no
duplicates and no second playlist; a read-only grant or a disconnect pauses the sync, saying
why; the write scope is what the app asks Google for."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import (
    YOUTUBE_READ_ONLY,
    YOUTUBE_WRITE,
    amazon_playlist_sync,
    decisions_cached_by_a_dry_run,
    google_connect,
    unique,
    youtube_writer,
)
from tests.spotify.test_spotify_syncs import run_to_the_end
from tests.syncs.helpers import (
    catalog_ids,
    latest_run,
    make_playlist,
    remove_from_playlist,
    wait_for_run,
)
from tests.transfers.helpers import expected_ids, wait_for_state
from tests.youtube.test_youtube_pipeline import wait_for_paused
from transfer.amazon.clients import music_client_for
from transfer.connections.syncs import READ_ONLY_GRANT
from transfer.syncs.models import Sync, SyncItem, SyncRun
from transfer.syncs.services.runs import run_execute
from transfer.syncs.services.syncs import sync_create, sync_run_now
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.youtube.services import quota_ledger, youtube_disconnect

pytestmark = pytest.mark.django_db(transaction=True)
Run = SyncRun.State
State = TransferJob.State


def youtube_playlist(services: ServiceStandIns, account: str, playlist_id: str) -> list[str]:
    person = services.youtube("GET", f"accounts/{account}")
    return next(p for p in person["playlists"] if p["id"] == playlist_id)["video_ids"]


def test_amazon_playlist_sync_into_youtube_waits_for_the_quota_and_resumes_without_duplicates(
    alice: Person,
    services: ServiceStandIns,
    settings: Any,
    redis_client: Any,
    celery_worker_thread: object,
) -> None:
    name = youtube_writer(services, alice.user)
    settings.YOUTUBE_QUOTA_RECHECK_SECONDS = 1
    ids = catalog_ids(alice, 9)
    source = make_playlist(alice, unique("to-youtube"), ids[:8])
    decisions_cached_by_a_dry_run(alice.user, source, TransferJob.Destination.YOUTUBE_NEW_PLAYLIST)
    # Enough today for looking for the sync's playlist, making it, reading it back and two
    # inserts.
    settings.YOUTUBE_DAILY_QUOTA = quota_ledger().used() + 1 + 50 + 1 + 2 * 50 + 10
    sync = amazon_playlist_sync(
        alice.user,
        source,
        Sync.Destination.YOUTUBE_NEW_PLAYLIST,
        name="To YouTube",
        destination_name="Kept from Amazon",
    )
    first = wait_for_run(latest_run(sync.id))
    assert first.state == Run.DONE, first.message
    assert first.job is not None
    job = wait_for_paused(first.job)
    assert "quota is used up" in job.error
    written = job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count()
    assert 0 < written < job.tracks.exclude(chosen_id="").count()

    # Meanwhile the schedule comes round: the run waits for its transfer, sending nothing twice.
    assert sync_run_now(sync=sync) is not None
    waiting = wait_for_run(latest_run(sync.id))
    assert waiting.state == Run.SKIPPED
    assert "still running" in waiting.message
    assert waiting.job is None

    # Midnight Pacific: Google's count and ours start again, and the transfer goes on.
    services.youtube("POST", "new-day")
    for key in redis_client.scan_iter("youtube:quota:*"):
        redis_client.delete(key)
    settings.YOUTUBE_DAILY_QUOTA = 10_000
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=120)
    assert job.state == State.DONE, job.error
    videos = youtube_playlist(services, name, job.destination_ref)
    assert videos == expected_ids(job)  # in order, each once
    assert len(videos) >= 5

    # The next run adopts that playlist and finds nothing new: nothing is written twice.
    assert sync_run_now(sync=sync) is not None
    again = run_to_the_end(sync)
    assert again.state == Run.NOTHING_NEW, again.message
    sync.refresh_from_db()
    assert sync.destination_ref == job.destination_ref
    assert youtube_playlist(services, name, job.destination_ref) == videos

    # One more on Amazon: that one goes into the same playlist, after the others.
    music_client_for(alice.user.pk).add_playlist_tracks(source, ids[8:9])
    assert sync_run_now(sync=sync) is not None
    third = run_to_the_end(sync)
    assert third.state == Run.DONE, third.message
    assert third.job is not None
    assert third.job.track_count == 1
    assert third.job.destination_ref == job.destination_ref
    after = youtube_playlist(services, name, job.destination_ref)
    assert after[: len(videos)] == videos
    assert len(after) == len(set(after))
    assert len(services.youtube("GET", f"accounts/{name}")["playlists"]) == 1


def test_a_mirrored_sync_into_youtube_deletes_the_video_of_a_removed_track(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = youtube_writer(services, alice.user)
    source = make_playlist(alice, unique("mirror"), catalog_ids(alice, 4))
    sync = amazon_playlist_sync(
        alice.user,
        source,
        Sync.Destination.YOUTUBE_NEW_PLAYLIST,
        name="Mirrored",
        mode=Sync.Mode.MIRROR,
    )
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    assert first.job is not None
    videos = youtube_playlist(services, name, first.job.destination_ref)
    assert len(videos) >= 2
    assert sync_run_now(sync=sync) is not None
    assert run_to_the_end(sync).state == Run.NOTHING_NEW  # adopts the playlist, adds nothing
    item = SyncItem.objects.filter(sync=sync, state=SyncItem.State.SYNCED).order_by("key")[0]
    remove_from_playlist(alice, source, {item.key.removeprefix("a:")})
    used = quota_ledger().used()
    assert sync_run_now(sync=sync) is not None
    run = run_to_the_end(sync)
    assert run.state == Run.DONE, run.message
    assert run.removed == 1
    assert youtube_playlist(services, name, first.job.destination_ref) == [
        v for v in videos if v != item.catalog_id
    ]
    assert quota_ledger().used() - used == 1 + 50  # read the playlist, one delete


def test_a_sync_into_youtube_with_a_read_only_grant_pauses_asking_to_reconnect(
    alice: Person, services: ServiceStandIns
) -> None:
    name = unique("yt")
    services.youtube_person(name, playlists=[])
    google_connect(services, alice.user, name, scopes=YOUTUBE_READ_ONLY)  # as connected before
    sync = sync_create(
        user=alice.user,
        name="To YouTube",
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.YOUTUBE_NEW_PLAYLIST,
    )
    run = run_execute(run_id=latest_run(sync.id).id)
    assert run is not None
    assert run.state == Run.PAUSED
    sync.refresh_from_db()
    assert sync.paused
    assert READ_ONLY_GRANT in sync.pause_reason
    assert services.youtube("GET", f"accounts/{name}")["playlists"] == []


def test_disconnecting_youtube_pauses_the_syncs_that_write_to_it_with_the_reason(
    alice: Person, services: ServiceStandIns
) -> None:
    youtube_writer(services, alice.user)
    sync = sync_create(
        user=alice.user,
        name="To YouTube",
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.YOUTUBE_NEW_PLAYLIST,
        run_now=False,
    )
    assert youtube_disconnect(user=alice.user)
    sync.refresh_from_db()
    assert sync.paused
    assert sync.pause_reason == "YouTube was disconnected."
    detail = alice.client.get(f"/syncs/{sync.id}/").content.decode()
    assert "YouTube was disconnected." in detail


def test_the_app_asks_google_for_youtube_write_access_by_default() -> None:
    assert YOUTUBE_WRITE in django_settings.YOUTUBE_SCOPES
    provider: dict[str, Any] = django_settings.SOCIALACCOUNT_PROVIDERS["google"]
    assert YOUTUBE_WRITE in provider["SCOPE"]
