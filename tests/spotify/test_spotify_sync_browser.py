"""A cross-service sync made from the sync page in Chromium, with a real Celery worker and the
Spotify stand-in over HTTP: an Amazon Music playlist kept in a new Spotify playlist, run twice
(the second run finds nothing new and writes nothing), then a new track sent alone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import spotify_connect, unique
from tests.spotify.test_spotify_syncs import run_to_the_end, spotify_playlist, track_ids
from tests.syncs.helpers import catalog_ids, latest_run, make_playlist
from tests.syncs.test_browser import log_in
from transfer.amazon.clients import music_client_for
from transfer.syncs.models import Sync, SyncRun

pytestmark = pytest.mark.django_db(transaction=True)
Run = SyncRun.State


def run_now_and_finish(page: Any, sync: Sync) -> SyncRun:
    before = latest_run(sync.id).id
    page.get_by_role("button", name=f"Run {sync.name} now").click()
    page.get_by_text(f"Running “{sync.name}” now.").wait_for()
    run = latest_run(sync.id)
    assert run.id != before
    return run_to_the_end(sync)


def test_an_amazon_playlist_kept_in_a_spotify_playlist_from_the_sync_page_runs_twice(
    page: Any,
    live_server: Any,
    alice: Person,
    services: ServiceStandIns,
    celery_worker_thread: object,
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    ids = catalog_ids(alice, 11)
    title = unique("Road to Spotify")
    source = make_playlist(alice, title, ids[:10])
    log_in(page, live_server, alice.user)
    page.goto(f"{live_server.url}/syncs/new/")
    cards = page.get_by_test_id("service-connections")
    assert "Connected as" in cards.locator("#service-spotify").inner_text()

    page.get_by_label("An Amazon Music playlist").check()
    page.get_by_label("Amazon Music playlist", exact=True).select_option(label=title)
    page.get_by_label("A new Spotify playlist").check()
    page.get_by_label("Name of the new playlist").fill("Road trip, on Spotify")
    page.get_by_label("How often").select_option("weekly")
    page.get_by_label("Mirror: also remove what the source removed").check()
    page.get_by_role("button", name="Save and run now").click()

    page.get_by_role("heading", name=title).wait_for()
    sync = Sync.objects.get(user=alice.user)
    assert (sync.source_ref, sync.destination, sync.mode) == (
        source,
        "spotify_new_playlist",
        "mirror",
    )
    assert "A new Spotify playlist: Road trip, on Spotify" in page.locator("dl").inner_text()
    first = run_to_the_end(sync)
    assert first.state == Run.DONE, first.message
    sync.refresh_from_db()
    after_first = track_ids(spotify_playlist(services, name, sync.destination_ref))
    assert len(after_first) >= 8
    assert len(after_first) == len(set(after_first))

    # Run it again from the page: nothing new, nothing written.
    page.reload()
    second = run_now_and_finish(page, sync)
    assert second.state == Run.NOTHING_NEW, second.message
    assert track_ids(spotify_playlist(services, name, sync.destination_ref)) == after_first
    page.reload()
    page.get_by_text("Nothing new.").first.wait_for()

    # A new track on Amazon: only it is sent, once, after the others.
    music_client_for(alice.user.pk).add_playlist_tracks(source, ids[10:11])
    page.reload()
    third = run_now_and_finish(page, sync)
    assert third.state == Run.DONE, third.message
    assert third.job is not None
    assert third.job.track_count == 1
    after = track_ids(spotify_playlist(services, name, sync.destination_ref))
    assert after[: len(after_first)] == after_first
    assert len(after) == len(set(after))
    assert len(services.spotify("GET", f"accounts/{name}")["playlists"]) == 1
    page.reload()
    page.get_by_text(re.compile(r"Sending 1 track new or changed")).first.wait_for()
