"""Transfers between services in Chromium, with a real Celery worker and the stand-ins over HTTP:
connect Spotify from the transfer page, move a Spotify playlist and Liked Songs into Amazon
Music in order, move an Amazon Music playlist into Spotify, and a YouTube Takeout file of video
ids resolved through the YouTube connection and moved into Amazon."""

from __future__ import annotations

import re
from typing import Any

import pytest

from devtools.sandbox_server import REPO, SandboxServer, ServiceStandIns
from tests.amazon.test_sign_in_browser import sign_in
from tests.spotify.conftest import spotify_connect, unique
from tests.spotify.test_spotify_connect_browser import allow_callbacks, back_in_app
from tests.transfers.helpers import expected_ids, playlist_track_ids, wait_for_state
from transfer.transfers.models import TransferJob

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State
TAKEOUT = REPO / "sandbox/data/samples/youtube_music_takeout_liked-videos.csv"


def start_and_finish(page: Any, job: TransferJob | None = None) -> TransferJob:
    page.get_by_role("heading", name="Check the tracks").wait_for()
    job = job or TransferJob.objects.order_by("-created_at").first()
    assert job is not None
    page.get_by_role("button", name="Start the transfer").click()
    job = wait_for_state(job, State.DONE, State.REVIEW, State.FAILED, timeout=180)
    if job.state == State.REVIEW:
        page.get_by_role("heading", name=re.compile("^Review:")).wait_for(timeout=20_000)
        page.get_by_role("button", name=re.compile("^Save .*")).click()
        job = wait_for_state(job, State.DONE, State.FAILED, timeout=180)
    assert job.state == State.DONE, job.error
    return job


def test_spotify_playlist_and_liked_songs_move_into_amazon_from_the_transfer_page(
    page: Any,
    live_server: Any,
    amazon: SandboxServer,
    services: ServiceStandIns,
    celery_worker_thread: object,
) -> None:
    allow_callbacks(services, live_server)
    name = unique("sp")
    services.spotify_person(name, liked=45, playlists=[70])
    truth = services.spotify("GET", f"accounts/{name}")
    sign_in(page, live_server, amazon)
    page.get_by_role("link", name="New transfer").first.click()
    page.get_by_role("link", name="Transfer between services").click()
    page.get_by_test_id("from-spotify").click()
    page.get_by_test_id("to-amazon").click()
    page.get_by_role("button", name="Connect Spotify").click()
    page.locator("label.account", has_text=name).click()
    page.get_by_role("button", name="Agree").click()
    back_in_app(page)

    # Liked Songs and the playlist, chosen together: one batch of two transfers.
    page.locator(".checkbox-list label", has_text="Liked Songs").locator("input").check()
    page.locator(".checkbox-list label", has_text="mix 1").locator("input").check()
    page.get_by_role("button", name="Read the tracks").click()
    page.wait_for_url(re.compile(r"/transfers/"))
    jobs = list(TransferJob.objects.filter(user__isnull=False).order_by("created_at"))
    assert sorted(j.source_kind for j in jobs) == ["spotify_liked", "spotify_playlist"]
    for job in jobs:
        page.goto(f"{live_server.url}/transfers/{job.id}/")
        done = start_and_finish(page, job)
        written = playlist_track_ids(done.user_id, done.destination_ref)
        assert written == expected_ids(done)
        source = (
            truth["liked"]
            if done.source_kind == "spotify_liked"
            else (truth["playlists"][0]["tracks"])
        )
        assert [r.source_id for r in done.tracks.order_by("position")] == [
            f"spotify:track:{t['id']}" for t in source
        ]
        assert len(written) >= 0.9 * len(source)


def test_amazon_playlist_moves_into_spotify_from_the_transfer_page(
    page: Any,
    live_server: Any,
    amazon: SandboxServer,
    services: ServiceStandIns,
    celery_worker_thread: object,
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    sign_in(page, live_server, amazon)
    from django.contrib.auth.models import User

    spotify_connect(services, User.objects.get(), name)
    page.goto(f"{live_server.url}/connections/transfer/?from=amazon&to=spotify")
    labels = page.locator(".checkbox-list label")
    sizes = [re.search(r"\((\d+)\)", labels.nth(i).inner_text()) for i in range(labels.count())]
    target = next(i for i, size in enumerate(sizes) if size and 10 <= int(size.group(1)) <= 80)
    labels.nth(target).locator("input").check()
    page.get_by_label("A new Spotify playlist for each").check()
    page.get_by_role("button", name="Read the tracks").click()
    job = start_and_finish(page)
    [made] = services.spotify("GET", f"accounts/{name}")["playlists"]
    assert made["id"] == job.destination_ref
    assert [t["id"] for t in made["tracks"]] == expected_ids(job)
    assert len(made["tracks"]) >= 0.85 * job.track_count


def test_youtube_takeout_file_is_resolved_and_moved_into_amazon_from_the_transfer_page(
    page: Any,
    live_server: Any,
    amazon: SandboxServer,
    services: ServiceStandIns,
    celery_worker_thread: object,
) -> None:
    allow_callbacks(services, live_server)
    sign_in(page, live_server, amazon)
    page.goto(f"{live_server.url}/connections/transfer/?from=youtube&to=amazon")
    page.get_by_role("button", name="Connect YouTube").click()
    page.locator("label.account", has_text="Alice").click()
    page.get_by_role("button", name="Agree").click()
    back_in_app(page)
    page.get_by_test_id("from-file").click()
    page.set_input_files("#files", str(TAKEOUT))
    page.get_by_role("button", name="Read the tracks").click()
    page.get_by_role("heading", name="Check the tracks").wait_for()
    # The preview shows titles that only YouTube knew.
    assert page.get_by_text("I Hate Everything (feat. Action Bronson)").first.is_visible()
    job = start_and_finish(page)
    written = playlist_track_ids(job.user_id, job.destination_ref)
    assert written == expected_ids(job)
    assert len(written) >= 0.8 * job.track_count


def test_spotify_playlist_kept_in_sync_with_amazon_runs_twice_without_duplicates(
    page: Any,
    live_server: Any,
    amazon: SandboxServer,
    services: ServiceStandIns,
    celery_worker_thread: object,
) -> None:
    from django.contrib.auth.models import User

    from tests.product_fixtures import Person
    from tests.syncs.helpers import latest_run, playlist_ids, wait_for_job, wait_for_run
    from transfer.spotify.services import spotify_client_for
    from transfer.syncs.models import Sync

    name = unique("sp")
    services.spotify_person(name, playlists=[25], liked=30)
    sign_in(page, live_server, amazon)
    user = User.objects.get()
    spotify_connect(services, user, name)
    page.goto(f"{live_server.url}/connections/transfer/?from=spotify&to=amazon")
    page.locator(".checkbox-list label", has_text="mix 1").locator("input").check()
    page.get_by_label("Keep in sync afterwards").select_option("daily")
    page.get_by_role("button", name="Read the tracks").click()
    page.wait_for_url(re.compile(r"/syncs/"))
    sync = Sync.objects.get()
    assert sync.source_kind == "spotify_playlist"

    def settle() -> None:
        run = wait_for_run(latest_run(sync.id), timeout=180)
        if run.job is not None:
            assert wait_for_job(run.job).state == State.DONE

    settle()
    sync.refresh_from_db()
    person = Person(user=user, client=None, sandbox_account="alice")  # type: ignore[arg-type]
    first = playlist_ids(person, sync.destination_ref)
    assert len(first) >= 20

    client = spotify_client_for(user.pk)
    playlist_id = sync.source_ref.removeprefix("playlist:")
    have = {e.object.uri for e in client.iter_playlist_entries(playlist_id) if e.object}
    extra = [s.track.uri for s in client.iter_saved_tracks() if s.track.uri not in have][:4]
    client.add_to_playlist(playlist_id, extra)
    page.goto(f"{live_server.url}/syncs/")
    page.get_by_role("button", name=f"Run {sync.name} now").click()
    page.wait_for_load_state()
    settle()
    second = playlist_ids(person, sync.destination_ref)
    assert second[: len(first)] == first
    assert len(second) > len(first)
    assert len(second) == len(set(second))  # no duplicates
