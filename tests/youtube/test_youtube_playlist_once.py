"""A transfer or a sync into YouTube makes its playlist once, with a real Celery worker and the
stand-in over HTTP: when the answer to playlists.insert is lost (the playlist is made, the job
never checkpoints its id and its task raises), the retry finds the playlist by the marker in its
description instead of making a second one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import amazon_playlist_sync, google_connect, unique, youtube_writer
from tests.spotify.test_spotify_pipeline import playlist_with, run
from tests.spotify.test_spotify_syncs import run_to_the_end
from tests.syncs.helpers import catalog_ids, latest_run, make_playlist, wait_for_run
from tests.transfers.helpers import expected_ids, wait_for_state
from transfer.amazon.clients import music_client_for
from transfer.connections.syncs import sync_playlist_marker
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.syncs.models import Sync, SyncRun
from transfer.syncs.services.syncs import sync_run_now
from transfer.transfers import dispatch
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services.intake import jobs_create_from_form
from transfer.transfers.services.jobs import job_resume, jobs_create
from transfer.youtube.errors import YouTubeUnavailableError
from transfer.youtube.services import quota_ledger
from transfer.youtube.writing import playlist_marker, youtube_write_step

pytestmark = pytest.mark.django_db(transaction=True)
Run = SyncRun.State
State = TransferJob.State


def lose_the_next_playlist_insert_answer(services: ServiceStandIns) -> None:
    services.youtube("POST", "config", {"lost_answers": {"playlists.insert": 1}})


def assert_the_lost_answer_was_served(services: ServiceStandIns) -> None:
    assert services.youtube("GET", "config")["lost_answers"] == {"playlists.insert": 0}


def job_ready_to_write(
    alice: Person, services: ServiceStandIns, name: str
) -> tuple[TransferJob, list[str]]:
    """A transfer into a new YouTube playlist, matched (to the videos of the person's first
    playlist) and writing: only the write step is left."""
    videos = services.youtube("GET", f"accounts/{name}")["playlists"][0]["video_ids"]
    [job] = jobs_create(
        user=alice.user,
        playlists=[
            PlaylistRecord(
                name="Mix", tracks=[TrackRecord(title=v, artists=("A",)) for v in videos]
            )
        ],
        source_kind=TransferJob.SourceKind.FILE,
        source_format="csv",
        destination=TransferJob.Destination.YOUTUBE_NEW_PLAYLIST,
        destination_name="Mix",
    )
    for row, video in zip(job.tracks.order_by("position"), videos, strict=True):
        SourceTrack.objects.filter(id=row.id).update(band=SourceTrack.Band.MATCHED, chosen_id=video)
    TransferJob.objects.filter(id=job.id).update(state=State.WRITING)
    job.refresh_from_db()
    return job, videos


def test_youtube_transfer_makes_one_playlist_when_the_insert_answer_is_lost(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("yt")
    services.youtube_person(name, playlists=[3])  # one of the person's own, left alone
    google_connect(services, alice.user, name)  # the write grant the app asks for
    [job] = jobs_create_from_form(
        user=alice.user,
        source="amazon_playlist",
        playlist_ids=[playlist_with(alice, 8, 40)],
        destination=TransferJob.Destination.YOUTUBE_NEW_PLAYLIST,
    )
    lose_the_next_playlist_insert_answer(services)
    job = run(job)
    assert_the_lost_answer_was_served(services)
    playlists = services.youtube("GET", f"accounts/{name}")["playlists"]
    assert len(playlists) == 2  # the person's own, and exactly one made by the transfer
    [made] = [p for p in playlists if p["id"] == job.destination_ref]
    assert made["description"] == playlist_marker(job) == f"Music Transfer job {job.id}"
    assert made["video_ids"] == expected_ids(job)  # in order, each once


def test_youtube_sync_makes_one_playlist_when_the_insert_answer_is_lost(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = youtube_writer(services, alice.user)
    ids = catalog_ids(alice, 5)
    source = make_playlist(alice, unique("to-youtube"), ids[:4])
    lose_the_next_playlist_insert_answer(services)
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
    job = wait_for_state(first.job, State.DONE, State.FAILED, timeout=180)
    assert job.state == State.DONE, job.error
    assert_the_lost_answer_was_served(services)
    [made] = services.youtube("GET", f"accounts/{name}")["playlists"]
    assert made["id"] == job.destination_ref
    assert made["description"] == sync_playlist_marker(str(sync.id))
    videos = made["video_ids"]
    assert videos == expected_ids(job)

    # The next run's transfer writes into the same playlist, and still there is only one.
    music_client_for(alice.user.pk).add_playlist_tracks(source, ids[4:5])
    assert sync_run_now(sync=sync) is not None
    again = run_to_the_end(sync)
    assert again.state == Run.DONE, again.message
    assert again.job is not None
    assert again.job.destination_ref == job.destination_ref
    [after] = services.youtube("GET", f"accounts/{name}")["playlists"]
    assert after["video_ids"][: len(videos)] == videos
    assert len(after["video_ids"]) == len(set(after["video_ids"]))


def test_youtube_playlist_lookup_costs_one_list_page_per_playlist_made_not_per_step(
    alice: Person, services: ServiceStandIns
) -> None:
    """The task made to raise between the insert and its checkpoint, step by step: the quota
    spent is the documented one, with the lookup (1 unit) only when a playlist is to be made."""
    name = unique("yt")
    services.youtube_person(name, playlists=[3])
    google_connect(services, alice.user, name)
    job, videos = job_ready_to_write(alice, services, name)
    lose_the_next_playlist_insert_answer(services)
    ledger = quota_ledger()

    start = ledger.used()
    with pytest.raises(YouTubeUnavailableError):
        youtube_write_step(job_id=str(job.id), budget_seconds=30)
    assert ledger.used() - start == 1 + 50  # the lookup (nothing yet), the insert (answer lost)
    job.refresh_from_db()
    assert job.destination_ref == ""  # never checkpointed

    start = ledger.used()
    assert youtube_write_step(job_id=str(job.id), budget_seconds=30)
    # The lookup finds it; the playlist's items are read once; three inserts.
    assert ledger.used() - start == 1 + 1 + 3 * 50
    job.refresh_from_db()
    assert job.state == State.DONE
    playlists = services.youtube("GET", f"accounts/{name}")["playlists"]
    assert len(playlists) == 2
    [made] = [p for p in playlists if p["id"] == job.destination_ref]
    assert made["video_ids"] == videos

    # A step with the playlist known looks for nothing: one read of its items.
    TransferJob.objects.filter(id=job.id).update(state=State.WRITING)
    start = ledger.used()
    assert youtube_write_step(job_id=str(job.id), budget_seconds=30)
    assert ledger.used() - start == 1


def test_youtube_worker_killed_between_the_playlist_insert_and_its_checkpoint_makes_one_playlist(
    alice: Person, services: ServiceStandIns, start_worker: Any
) -> None:
    """A real worker process, SIGKILLed while YouTube has made the playlist and its answer is on
    the way: the job has no playlist id; resumed on another worker, it finds the playlist by its
    marker and writes into it."""
    name = unique("yt")
    services.youtube_person(name, playlists=[3])
    google_connect(services, alice.user, name)
    job, videos = job_ready_to_write(alice, services, name)
    env = {
        "GOOGLE_ENABLED": "true",
        "GOOGLE_TOKEN_URL": f"{services.google_url}/token",
        "GOOGLE_REVOKE_URL": f"{services.google_url}/revoke",
        "GOOGLE_USERINFO_URL": f"{services.google_url}/oauth2/v2/userinfo",
        "GOOGLE_AUTHORIZE_URL": f"{services.google_url}/o/oauth2/v2/auth",
        "YOUTUBE_API_URL": services.youtube_api,
        "TRANSFER_LEASE_SECONDS": "3",
    }
    # The playlist is made at once; its answer comes 15 s later (inside the client's timeout).
    services.youtube("POST", "config", {"slow_answers": {"playlists.insert": 15}})
    first = start_worker(**env)
    dispatch.enqueue_writing(job.id)

    def playlists() -> list[dict[str, Any]]:
        return list(services.youtube("GET", f"accounts/{name}")["playlists"])

    deadline = time.monotonic() + 60
    while len(playlists()) < 2:
        assert time.monotonic() < deadline, first.output()
        time.sleep(0.1)
    first.kill()
    job.refresh_from_db()
    assert job.destination_ref == "", "killed after the insert, before the checkpoint"

    services.youtube("POST", "config", {"slow_answers": {}})
    start_worker(**env)
    assert job_resume(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=120)
    assert job.state == State.DONE, job.error
    made = [p for p in playlists() if p["description"] == playlist_marker(job)]
    assert len(playlists()) == 2
    assert [p["id"] for p in made] == [job.destination_ref]
    assert made[0]["video_ids"] == videos  # in order, each once
