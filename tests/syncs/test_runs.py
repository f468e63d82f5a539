"""Sync runs end to end on real parts: PostgreSQL, Redis, a Celery worker and the sandbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.product_fixtures import Person
from tests.sandbox_server import API_KEY, SandboxServer
from tests.syncs.conftest import FileServer
from tests.syncs.helpers import (
    catalog_ids,
    latest_run,
    make_playlist,
    playlist_ids,
    remove_from_playlist,
    wait_for_job,
    wait_for_run,
)
from tests.transfers.helpers import SAMPLES
from transfer.amazon.clients import music_client_for, reset_shared_client
from transfer.amazon.models import AmazonConnection
from transfer.syncs import tasks
from transfer.syncs.models import Sync, SyncItem, SyncRun
from transfer.syncs.services.syncs import sync_create, sync_resume, sync_run_now
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db(transaction=True)
Run = SyncRun.State


def playlist_sync(person: Person, source_id: str, **options: Any) -> Sync:
    options.setdefault("destination", Sync.Destination.NEW_PLAYLIST)
    return sync_create(
        user=person.user,
        name=options.pop("name", "Synced"),
        source_kind=Sync.SourceKind.AMAZON_PLAYLIST,
        source_ref=source_id,
        **options,
    )


def run_to_the_end(sync: Sync) -> SyncRun:
    """The sync's latest run, finished, and its transfer job too."""
    run = wait_for_run(latest_run(sync.id))
    if run.job is not None:
        job = wait_for_job(run.job)
        assert job.state == TransferJob.State.DONE, job.error
    return run


def queue_run(sync: Sync) -> SyncRun:
    queued = sync_run_now(sync=sync)
    assert queued is not None, "a run was already on its way"
    return queued


def run_again(sync: Sync) -> SyncRun:
    queue_run(sync)
    return run_to_the_end(sync)


def api_requests(sandbox: SandboxServer) -> int:
    return int(sandbox.stats()["by_api_key"].get(API_KEY, {}).get("requests", 0))


def test_a_playlist_sync_copies_the_source_then_sends_only_what_is_new(
    alice: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 8)
    source = make_playlist(alice, "Sync source", ids[:5])
    sync = playlist_sync(alice, source, destination_name="Synced copy")

    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    assert first.added == 5
    sync.refresh_from_db()
    assert sync.destination_ref, "the sync made its playlist on the first run"
    assert playlist_ids(alice, sync.destination_ref) == ids[:5]
    assert sync.last_ok is True

    # The person adds three songs to the source in Amazon Music.
    music_client_for(alice.user.pk).add_playlist_tracks(source, ids[5:8])
    second = run_again(sync)
    assert second.state == Run.DONE
    assert second.job is not None
    assert second.job.track_count == 3, "only the new tracks are sent on"
    assert playlist_ids(alice, sync.destination_ref) == ids[:8]

    third = run_again(sync)
    assert third.state == Run.NOTHING_NEW
    assert third.job is None
    assert playlist_ids(alice, sync.destination_ref) == ids[:8]
    assert SyncItem.objects.filter(sync=sync, state=SyncItem.State.SYNCED).count() == 8


def test_a_run_that_finds_nothing_new_costs_one_api_call_per_page_read(
    alice: Person, amazon: SandboxServer, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 250)  # three pages of 100
    source = make_playlist(alice, "Three pages", ids)
    sync = playlist_sync(alice, source)
    assert run_to_the_end(sync).state == Run.DONE

    before = api_requests(amazon)
    run = run_again(sync)
    assert run.state == Run.NOTHING_NEW
    assert run.pages_read == 3
    assert api_requests(amazon) - before == run.pages_read
    assert TransferJob.objects.filter(user=alice.user).count() == 1


def test_mirror_mode_removes_what_the_source_removed_and_additive_mode_keeps_it(
    alice: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 4)
    source = make_playlist(alice, "Mirrored source", ids)
    mirror = playlist_sync(alice, source, name="Mirror", mode=Sync.Mode.MIRROR)
    additive = playlist_sync(alice, source, name="Additive", mode=Sync.Mode.ADDITIVE)
    run_to_the_end(mirror)
    run_to_the_end(additive)

    remove_from_playlist(alice, source, {ids[1]})
    mirrored = run_again(mirror)
    kept = run_again(additive)

    mirror.refresh_from_db()
    additive.refresh_from_db()
    assert mirrored.removed == 1
    assert playlist_ids(alice, mirror.destination_ref) == [ids[0], ids[2], ids[3]]
    assert kept.state == Run.NOTHING_NEW
    assert kept.removed == 0
    assert playlist_ids(alice, additive.destination_ref) == ids


def test_mirror_mode_leaves_a_track_another_source_track_still_needs(
    alice: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 3)
    source = make_playlist(alice, "Twice", [ids[0], ids[1], ids[0]])
    sync = playlist_sync(alice, source, mode=Sync.Mode.MIRROR)
    run_to_the_end(sync)
    sync.refresh_from_db()
    assert playlist_ids(alice, sync.destination_ref) == [ids[0], ids[1]], "never a duplicate"

    remove_from_playlist(alice, source, {ids[1]})
    run = run_again(sync)
    assert run.removed == 1
    assert playlist_ids(alice, sync.destination_ref) == [ids[0]]


def test_tracks_already_in_the_destination_are_never_added_twice(
    alice: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 5)
    destination = make_playlist(alice, "Already has some", ids[:3])
    source = make_playlist(alice, "Overlapping source", ids[1:5])
    sync = playlist_sync(
        alice,
        source,
        destination=Sync.Destination.EXISTING_PLAYLIST,
        destination_ref=destination,
    )
    run_to_the_end(sync)
    assert playlist_ids(alice, destination) == ids

    # Even a sync that has forgotten everything it did adds nothing twice.
    SyncItem.objects.filter(sync=sync).delete()
    again = run_again(sync)
    assert again.job is not None
    assert again.job.track_count == 4
    assert playlist_ids(alice, destination) == ids


def test_a_run_delivered_twice_runs_once(alice: Person) -> None:
    ids = catalog_ids(alice, 2)
    source = make_playlist(alice, "Delivered twice", ids)
    sync = playlist_sync(alice, source)
    run = latest_run(sync.id)

    assert tasks.run_sync.apply(args=(str(run.id),)).get() == Run.DONE
    assert tasks.run_sync.apply(args=(str(run.id),)).get() == "not queued"
    assert TransferJob.objects.filter(user=alice.user).count() == 1
    assert SyncItem.objects.filter(sync=sync).count() == 2


def test_a_url_sync_matches_only_new_or_changed_tracks(
    alice: Person, file_server: FileServer, settings: Any, celery_worker_thread: object
) -> None:
    settings.SYNC_ALLOW_PRIVATE_URLS = True
    lines = (SAMPLES / "artist_title.txt").read_text(encoding="utf-8").splitlines()
    file_server.files["/weekly.txt"] = "\n".join(lines[:6]).encode()
    sync = sync_create(
        user=alice.user,
        name="Weekly file",
        source_kind=Sync.SourceKind.URL,
        source_ref=file_server.url("/weekly.txt"),
        destination=Sync.Destination.NEW_PLAYLIST,
        mode=Sync.Mode.MIRROR,
    )
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    assert first.job is not None
    assert first.job.track_count == 6
    sync.refresh_from_db()
    written_first = playlist_ids(alice, sync.destination_ref)
    assert written_first

    # Two songs added and one line corrected: three tracks to match, one to take out.
    changed = [*lines[:5], lines[5] + " (Live)", *lines[6:8]]
    file_server.files["/weekly.txt"] = "\n".join(changed).encode()
    second = run_again(sync)
    assert second.job is not None
    matched = list(second.job.tracks.values_list("title", flat=True))
    assert len(matched) == 3
    assert second.removed <= 1
    written = playlist_ids(alice, sync.destination_ref)
    assert len(written) == len(set(written)), "never a duplicate"

    third = run_again(sync)
    assert third.state == Run.NOTHING_NEW


def test_a_disconnected_account_pauses_the_sync_and_says_why(
    alice: Person, bob: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 2)
    source = make_playlist(alice, "Will disconnect", ids)
    sync = playlist_sync(alice, source)
    run_to_the_end(sync)

    AmazonConnection.objects.filter(user=alice.user).delete()
    run = run_again(sync)
    sync.refresh_from_db()
    assert run.state == Run.PAUSED
    assert sync.paused
    assert "disconnected" in sync.pause_reason
    assert "Reconnect" in sync.pause_reason
    assert sync.last_ok is False


def test_a_grant_amazon_no_longer_accepts_pauses_the_sync_at_the_first_call(
    alice: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 2)
    source = make_playlist(alice, "Revoked grant", ids)
    sync = playlist_sync(alice, source, run_now=False)
    connection = alice.connection
    connection.refresh_token = "Atzr|not-a-real-refresh-token"
    connection.expires_at = timezone.now() - dt.timedelta(minutes=5)
    connection.save()
    reset_shared_client()

    run = wait_for_run(queue_run(sync))
    sync.refresh_from_db()
    assert run.state == Run.PAUSED
    assert sync.paused
    assert "Reconnect" in sync.pause_reason


def test_failures_are_retried_with_backoff_then_shown_plainly(
    alice: Person, amazon: SandboxServer, settings: Any, celery_worker_thread: object
) -> None:
    settings.SYNC_MAX_RETRIES = 2
    settings.SYNC_RETRY_BACKOFF_SECONDS = 0.05
    settings.SYNC_PAUSE_AFTER_FAILURES = 2
    settings.AMAZON_MUSIC_RETRY_BUDGET = 0.5
    reset_shared_client()
    ids = catalog_ids(alice, 2)
    source = make_playlist(alice, "Flaky", ids)
    amazon.configure(faults={"http_500": 1.0, "paths": [f"/v1/playlists/{source}/tracks"]})
    sync = playlist_sync(alice, source, run_now=False)

    first = wait_for_run(queue_run(sync))
    sync.refresh_from_db()
    assert first.state == Run.FAILED
    assert first.attempts == 3, "the first try and two retries"
    assert "Amazon Music answered" in first.message
    assert sync.last_ok is False
    assert sync.last_result == first.message
    assert sync.consecutive_failures == 1
    assert not sync.paused, "one failed run does not pause a sync"

    second = wait_for_run(queue_run(sync))
    sync.refresh_from_db()
    assert second.state == Run.FAILED
    assert sync.paused
    assert "2 failed runs in a row" in sync.pause_reason

    amazon.configure(faults=None)
    assert sync_resume(sync=sync)
    sync.refresh_from_db()
    assert sync.consecutive_failures == 0
    third = wait_for_run(queue_run(sync))
    assert third.state == Run.DONE
    assert SourceTrack.objects.filter(job=third.job).count() == 2


def test_a_source_playlist_deleted_in_amazon_music_pauses_the_sync(
    alice: Person, celery_worker_thread: object
) -> None:
    source = make_playlist(alice, "Soon gone", catalog_ids(alice, 1))
    sync = playlist_sync(alice, source, run_now=False)
    music_client_for(alice.user.pk).delete_playlist(source)

    run = wait_for_run(queue_run(sync))
    sync.refresh_from_db()
    assert run.state == Run.PAUSED
    assert "the playlist it copies from is no longer in your Amazon Music" in sync.pause_reason


def test_a_destination_playlist_deleted_in_amazon_music_pauses_the_sync(
    alice: Person, celery_worker_thread: object
) -> None:
    ids = catalog_ids(alice, 2)
    source = make_playlist(alice, "Still here", ids[:1])
    sync = playlist_sync(alice, source)
    run_to_the_end(sync)
    sync.refresh_from_db()
    music_client_for(alice.user.pk).delete_playlist(sync.destination_ref)
    music_client_for(alice.user.pk).add_playlist_tracks(source, ids[1:])

    run = run_again(sync)
    sync.refresh_from_db()
    assert run.state == Run.PAUSED
    assert run.job is None
    assert "its playlist is no longer in your Amazon Music" in sync.pause_reason
