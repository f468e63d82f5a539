"""Cross-service syncs with a real worker: a Spotify playlist kept in step with an Amazon Music
playlist and the other way round, run twice with no duplicates, mirror removing only what the
sync added; the Amazon library into Liked Songs and Liked Songs into the library; a disconnected
Spotify pauses the syncs that read or write it, saying why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devtools.sandbox_server import SandboxServer, ServiceStandIns
from tests.product_fixtures import Person, SandboxFootprint, connect
from tests.spotify.conftest import amazon_playlist_sync, spotify_connect, unique
from tests.syncs.helpers import (
    catalog_ids,
    latest_run,
    make_playlist,
    playlist_ids,
    remove_from_playlist,
    wait_for_job,
    wait_for_run,
)
from transfer.amazon.clients import music_client_for
from transfer.spotify.services import spotify_client_for, spotify_disconnect
from transfer.syncs.models import Sync, SyncItem, SyncRun
from transfer.syncs.services.runs import run_execute
from transfer.syncs.services.sources import reader_for
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


# -- Amazon Music into Spotify, and Liked Songs into the library ---------------------------------


@pytest.fixture
def carol(amazon: SandboxServer, db: None) -> Iterator[Person]:
    """Carol's Amazon library is 100 songs: a library sync is quick to match."""
    footprint = SandboxFootprint(amazon, "carol")
    yield connect(amazon, "carol")
    footprint.restore()


def spotify_playlist(
    services: ServiceStandIns, account: str, playlist_id: str
) -> list[dict[str, Any]]:
    """The Spotify playlist's tracks (id, ISRC, Amazon ASIN) as the stand-in holds them now."""
    person = services.spotify("GET", f"accounts/{account}")
    tracks: list[dict[str, Any]] = next(p for p in person["playlists"] if p["id"] == playlist_id)[
        "tracks"
    ]
    return tracks


def track_ids(tracks: list[dict[str, Any]]) -> list[str]:
    return [t["id"] for t in tracks]


def test_amazon_playlist_sync_into_a_new_spotify_playlist_runs_twice_without_duplicates(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    first_ids = catalog_ids(alice, 15)
    source = make_playlist(alice, unique("to-spotify"), first_ids[:12])
    sync = amazon_playlist_sync(
        alice.user,
        source,
        Sync.Destination.SPOTIFY_NEW_PLAYLIST,
        name="To Spotify",
        destination_name="Kept from Amazon",
        mode=Sync.Mode.MIRROR,
    )
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    sync.refresh_from_db()
    assert sync.destination_ref
    after_first = track_ids(spotify_playlist(services, name, sync.destination_ref))
    assert len(after_first) >= 10  # most of the 12 are on Spotify (3 in 100 are not)
    assert len(after_first) == len(set(after_first))
    # The matcher chose the same recordings (the stand-in knows each one's Amazon ASIN; it may
    # pick another release of one, sharing its ISRC).
    asins = {t["asin"] for t in spotify_playlist(services, name, sync.destination_ref)}
    assert len(asins & set(first_ids[:12])) >= 0.75 * len(after_first)

    # Nothing new: the second run reads the source and writes nothing.
    assert sync_run_now(sync=sync) is not None
    second = run_to_the_end(sync)
    assert second.state == Run.NOTHING_NEW, second.message
    assert second.job is None
    assert track_ids(spotify_playlist(services, name, sync.destination_ref)) == after_first

    # Three more on Amazon: only those are matched and added, after the others.
    music_client_for(alice.user.pk).add_playlist_tracks(source, first_ids[12:15])
    assert sync_run_now(sync=sync) is not None
    third = run_to_the_end(sync)
    assert third.state == Run.DONE, third.message
    assert third.job is not None
    assert third.job.track_count == 3
    after_third = track_ids(spotify_playlist(services, name, sync.destination_ref))
    assert after_third[: len(after_first)] == after_first
    assert len(after_third) == len(set(after_third)) > len(after_first)

    # Mirror: a track removed on Amazon leaves the Spotify playlist too, and only that one.
    item = SyncItem.objects.filter(sync=sync, state=SyncItem.State.SYNCED).order_by("key")[0]
    gone_asin = item.key.removeprefix("a:")
    remove_from_playlist(alice, source, {gone_asin})
    assert sync_run_now(sync=sync) is not None
    fourth = run_to_the_end(sync)
    assert fourth.state == Run.DONE, fourth.message
    assert fourth.removed == 1
    after_fourth = track_ids(spotify_playlist(services, name, sync.destination_ref))
    assert after_fourth == [t for t in after_third if t != item.catalog_id]
    [made] = services.spotify("GET", f"accounts/{name}")["playlists"]  # one playlist, ever
    assert made["id"] == sync.destination_ref


def test_mirrored_sync_into_an_existing_spotify_playlist_removes_only_what_it_added(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name, liked=6)
    spotify_connect(services, alice.user, name)
    liked = services.spotify("GET", f"accounts/{name}")["liked"]
    # The person's own playlist already holds the first song; the Amazon source has all six.
    client = spotify_client_for(alice.user.pk)
    target = client.create_playlist("Mine")
    client.add_to_playlist(target.id, [f"spotify:track:{liked[0]['id']}"])
    source = make_playlist(alice, unique("src"), [t["asin"] for t in liked])
    sync = amazon_playlist_sync(
        alice.user,
        source,
        Sync.Destination.SPOTIFY_EXISTING_PLAYLIST,
        name="Into mine",
        destination_ref=target.id,
        mode=Sync.Mode.MIRROR,
    )
    assert run_to_the_end(sync).state == Run.DONE
    after_first = track_ids(spotify_playlist(services, name, target.id))
    assert after_first[0] == liked[0]["id"]
    assert len(after_first) == len(set(after_first)) >= 5

    # Both songs leave the Amazon playlist: the sync's own goes, the person's stays.
    remove_from_playlist(alice, source, {liked[0]["asin"], liked[1]["asin"]})
    assert sync_run_now(sync=sync) is not None
    run = run_to_the_end(sync)
    assert run.state == Run.DONE, run.message
    now = track_ids(spotify_playlist(services, name, target.id))
    assert liked[0]["id"] in now
    assert liked[1]["id"] not in now
    assert now == [t for t in after_first if t != liked[1]["id"]]


def test_amazon_library_sync_into_spotify_liked_songs_runs_twice_without_duplicates(
    carol: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, carol.user, name)
    sync = sync_create(
        user=carol.user,
        name="Library to Liked Songs",
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.SPOTIFY_LIKED,
        mode=Sync.Mode.MIRROR,
    )
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    liked = services.spotify("GET", f"accounts/{name}")["liked"]
    library = [i.track.id for i in reader_for(carol.user.pk).iter_library_tracks()]
    assert len(liked) >= 0.85 * len(library)
    assert len({t["id"] for t in liked}) == len(liked)
    # The very recordings (or another release of one, under its ISRC).
    assert len({t["asin"] for t in liked} & set(library)) >= 0.8 * len(liked)

    assert sync_run_now(sync=sync) is not None
    second = run_to_the_end(sync)
    assert second.state == Run.NOTHING_NEW, second.message
    assert services.spotify("GET", f"accounts/{name}")["liked"] == liked

    # Mirror: a song taken out of the Amazon library is un-liked on Spotify, and only it.
    item = SyncItem.objects.filter(sync=sync, state=SyncItem.State.SYNCED).order_by("key")[0]
    music_client_for(carol.user.pk).remove_track(item.key.removeprefix("a:"))
    assert sync_run_now(sync=sync) is not None
    third = run_to_the_end(sync)
    assert third.state == Run.DONE, third.message
    assert third.removed == 1
    now = services.spotify("GET", f"accounts/{name}")["liked"]
    assert track_ids(now) == [t for t in track_ids(liked) if t != item.catalog_id]


def test_spotify_liked_songs_sync_into_the_amazon_library_runs_twice_without_duplicates(
    carol: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name, liked=20, playlists=[10])
    spotify_connect(services, carol.user, name)
    before = [i.track.id for i in reader_for(carol.user.pk).iter_library_tracks()]
    sync = sync_create(
        user=carol.user,
        name="Liked Songs",
        source_kind=Sync.SourceKind.SPOTIFY_LIKED,
        source_ref="liked",
        destination=Sync.Destination.LIBRARY_TRACKS,
    )
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    assert first.job is not None
    assert first.job.track_count == 20
    after_first = [i.track.id for i in reader_for(carol.user.pk).iter_library_tracks()]
    assert len(after_first) == len(set(after_first))
    assert len(set(after_first) - set(before)) >= 15

    assert sync_run_now(sync=sync) is not None
    second = run_to_the_end(sync)
    assert second.state == Run.NOTHING_NEW, second.message
    assert [i.track.id for i in reader_for(carol.user.pk).iter_library_tracks()] == after_first

    # Two more liked on Spotify: only those two are matched and saved.
    person = services.spotify("GET", f"accounts/{name}")
    liked = set(track_ids(person["liked"]))
    extra = [t for t in person["playlists"][0]["tracks"] if t["id"] not in liked]
    spotify_client_for(carol.user.pk).save_tracks([f"spotify:track:{t['id']}" for t in extra[:2]])
    assert sync_run_now(sync=sync) is not None
    third = run_to_the_end(sync)
    assert third.state == Run.DONE, third.message
    assert third.job is not None
    assert third.job.track_count == 2
    after_third = [i.track.id for i in reader_for(carol.user.pk).iter_library_tracks()]
    assert len(after_third) == len(set(after_third))
    assert set(after_first) <= set(after_third)


def test_disconnecting_spotify_pauses_the_syncs_that_write_to_it_and_the_page_says_why(
    alice: Person, services: ServiceStandIns
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    into_spotify = sync_create(
        user=alice.user,
        name="Into Spotify",
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.SPOTIFY_LIKED,
        run_now=False,
    )
    amazon_only = sync_create(
        user=alice.user,
        name="Amazon only",
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.NEW_PLAYLIST,
        run_now=False,
    )
    response = alice.client.post("/connections/spotify/disconnect/")
    assert response.status_code == 302
    into_spotify.refresh_from_db()
    amazon_only.refresh_from_db()
    assert into_spotify.paused
    assert into_spotify.pause_reason == "Spotify was disconnected."
    assert not amazon_only.paused
    page = alice.client.get("/syncs/").content.decode()
    assert "Spotify was disconnected." in page


def test_a_sync_into_spotify_without_a_connection_pauses_at_its_run_with_the_reason(
    alice: Person, services: ServiceStandIns
) -> None:
    sync = sync_create(
        user=alice.user,
        name="Into Spotify",
        source_kind=Sync.SourceKind.AMAZON_LIBRARY,
        source_ref="library",
        destination=Sync.Destination.SPOTIFY_LIKED,
    )
    run = run_execute(run_id=latest_run(sync.id).id)
    assert run is not None
    assert run.state == Run.PAUSED
    sync.refresh_from_db()
    assert sync.paused
    assert "Spotify is disconnected" in sync.pause_reason
    assert "You have not connected Spotify yet." in sync.pause_reason
