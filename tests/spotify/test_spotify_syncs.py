"""Cross-service syncs with a real worker: a Spotify playlist kept in step with an Amazon Music
playlist, run twice with no duplicates; Liked Songs into the library; a disconnect pauses."""

from __future__ import annotations

import pytest

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import spotify_connect, unique
from tests.syncs.helpers import latest_run, playlist_ids, wait_for_job, wait_for_run
from transfer.spotify.services import spotify_client_for, spotify_disconnect
from transfer.syncs.models import Sync, SyncRun
from transfer.syncs.services.syncs import sync_create, sync_run_now
from transfer.transfers.models import TransferJob

pytestmark = pytest.mark.django_db(transaction=True)
Run = SyncRun.State


def run_to_the_end(sync: Sync) -> SyncRun:
    run = wait_for_run(latest_run(sync.id))
    if run.job is not None:
        job = wait_for_job(run.job)
        assert job.state == TransferJob.State.DONE, job.error
    return run


def test_spotify_playlist_sync_into_amazon_runs_twice_without_duplicates(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name, playlists=[30], liked=40)
    spotify_connect(services, alice.user, name)
    playlist = services.spotify("GET", f"accounts/{name}")["playlists"][0]
    sync = sync_create(
        user=alice.user,
        name="From Spotify",
        source_kind="spotify_playlist",
        source_ref=f"playlist:{playlist['id']}",
        destination=Sync.Destination.NEW_PLAYLIST,
        destination_name="From Spotify",
    )
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    sync.refresh_from_db()
    after_first = playlist_ids(alice, sync.destination_ref)
    assert len(after_first) >= 25
    assert len(after_first) == len(set(after_first))

    # Five more songs on Spotify (from the person's Liked Songs), then the sync runs again.
    client = spotify_client_for(alice.user.pk)
    liked = [s.track.uri for s in client.iter_saved_tracks()]
    already = {f"spotify:track:{t['id']}" for t in playlist["tracks"]}
    extra = [uri for uri in liked if uri not in already][:5]
    client.add_to_playlist(playlist["id"], extra)
    assert sync_run_now(sync=sync) is not None
    second = run_to_the_end(sync)
    assert second.state == Run.DONE, second.message
    assert second.job is not None
    assert second.job.track_count == 5  # only what is new
    after_second = playlist_ids(alice, sync.destination_ref)
    assert after_second[: len(after_first)] == after_first
    assert len(after_second) == len(set(after_second))  # no duplicates
    assert len(after_second) > len(after_first)

    assert sync_run_now(sync=sync) is not None
    third = run_to_the_end(sync)
    assert third.state == Run.NOTHING_NEW
    assert playlist_ids(alice, sync.destination_ref) == after_second


def test_spotify_disconnect_pauses_its_syncs_with_the_reason(
    alice: Person, services: ServiceStandIns
) -> None:
    name = unique("sp")
    services.spotify_person(name, liked=5)
    spotify_connect(services, alice.user, name)
    sync = sync_create(
        user=alice.user,
        name="Liked Songs",
        source_kind="spotify_liked",
        source_ref="liked",
        destination=Sync.Destination.LIBRARY_TRACKS,
        run_now=False,
    )
    spotify_disconnect(user=alice.user)
    sync.refresh_from_db()
    assert sync.paused
    assert sync.pause_reason == "Spotify was disconnected."
