"""Spotify through the whole pipeline, with a real Celery worker: a Spotify playlist and Liked
Songs into Amazon Music in order, an Amazon playlist into Spotify, 429s that reschedule."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.sandbox_server import ServiceStandIns
from tests.product_fixtures import Person
from tests.spotify.conftest import spotify_connect, unique
from tests.transfers.helpers import expected_ids, playlist_track_ids, wait_for_state
from transfer.amazon.clients import music_client_for
from transfer.spotify.services import spotify_client_for
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services.intake import jobs_create_from_form
from transfer.transfers.services.jobs import job_start
from transfer.transfers.services.review import job_write

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State


def spotify_person(services: ServiceStandIns, alice: Person, **library: Any) -> dict[str, Any]:
    name = unique("sp")
    services.spotify_person(name, **library)
    spotify_connect(services, alice.user, name)
    return services.spotify("GET", f"accounts/{name}")


def run(job: TransferJob, timeout: float = 180) -> TransferJob:
    """Start, and when doubtful tracks wait for review, save the sure ones as a person would."""
    job_start(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, State.REVIEW, timeout=timeout)
    if job.state == State.REVIEW:
        job_write(job=job)
        job = wait_for_state(job, State.DONE, State.FAILED, timeout=timeout)
    assert job.state == State.DONE, job.error
    return job


def assert_amazon_order(alice: Person, job: TransferJob, truth: list[dict[str, Any]]) -> None:
    """Written in the source's order, each once; and the tracks are the right recordings."""
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert written == expected_ids(job)
    rows = list(job.tracks.order_by("position"))
    assert [r.source_id for r in rows] == [f"spotify:track:{t['id']}" for t in truth]
    # The stand-in knows which Amazon recording each Spotify track is. The matcher may pick
    # another release of the same recording (same ISRC on a compilation): same title, then.
    same = sum(1 for r, t in zip(rows, truth, strict=True) if r.chosen_id == t["asin"])
    assert same >= 0.85 * len(truth)
    for row in rows:
        if row.method == "isrc":
            assert (row.chosen or {}).get("isrc") == row.isrc
    assert len(written) >= 0.9 * len(truth)


def test_spotify_playlist_moves_into_a_new_amazon_playlist_in_order(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    person = spotify_person(services, alice, playlists=[80])
    playlist = person["playlists"][0]
    [job] = jobs_create_from_form(
        user=alice.user,
        source="spotify_playlist",
        playlist_ids=[f"playlist:{playlist['id']}"],
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    assert job.track_count == 80
    assert job.source_format == "Spotify"
    job = run(job)
    assert_amazon_order(alice, job, playlist["tracks"])
    isrc_share = job.tracks.filter(method="isrc").count() / job.track_count
    assert isrc_share > 0.8  # 6 in 100 carry another ISRC on Spotify: text search finds those


def test_spotify_liked_songs_move_into_amazon_in_order(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    person = spotify_person(services, alice, liked=120)
    [job] = jobs_create_from_form(
        user=alice.user,
        source="spotify_liked",
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    assert job.name == "Spotify Liked Songs"
    job = run(job)
    assert_amazon_order(alice, job, person["liked"])


def test_amazon_playlist_moves_into_a_new_spotify_playlist_in_order(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    source = playlist_with(alice, 20, 300)
    amazon_ids = playlist_track_ids(alice.user.pk, source)
    [job] = jobs_create_from_form(
        user=alice.user,
        source="amazon_playlist",
        playlist_ids=[source],
        destination=TransferJob.Destination.SPOTIFY_NEW_PLAYLIST,
    )
    job = run(job)
    [made] = services.spotify("GET", f"accounts/{name}")["playlists"]
    assert made["id"] == job.destination_ref
    # Amazon's order, each Spotify track once.
    assert [t["id"] for t in made["tracks"]] == expected_ids(job)
    asin_of = {t["id"]: t["asin"] for t in made["tracks"]}
    rows = list(job.tracks.order_by("position"))
    assert [r.source_id for r in rows] == amazon_ids
    right = sum(1 for r in rows if asin_of.get(r.chosen_id) == r.source_id)
    assert right >= 0.85 * len(rows)


def test_spotify_429s_reschedule_the_task_and_the_transfer_still_finishes(
    alice: Person,
    services: ServiceStandIns,
    settings: Any,
    redis_client: Any,
    celery_worker_thread: object,
) -> None:
    settings.SPOTIFY_RETRY_BUDGET = 0
    # Decisions cached by earlier tests would spare the searches this test wants throttled.
    for key in redis_client.scan_iter("amt:*match:*"):
        redis_client.delete(key)
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    [job] = jobs_create_from_form(
        user=alice.user,
        source="amazon_playlist",
        playlist_ids=[playlist_with(alice, 20, 60)],
        destination=TransferJob.Destination.SPOTIFY_LIKED,
    )
    services.spotify("POST", "config", {"rate_limit": 20})
    job = run(job, timeout=300)
    assert job.state == State.DONE
    assert job.retries > 0  # it was throttled, rescheduled, and came back
    liked = services.spotify("GET", f"accounts/{name}")["liked"]
    written = job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count()
    assert len(liked) == written > 0


def playlist_with(alice: Person, low: int, high: int) -> str:
    client = music_client_for(alice.user.pk)
    return next(p.id for p in client.iter_my_playlists() if low <= (p.track_count or 0) <= high)


def test_amazon_playlist_into_an_existing_spotify_playlist_adds_only_what_it_lacks(
    alice: Person, services: ServiceStandIns, celery_worker_thread: object
) -> None:
    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    target = spotify_client_for(alice.user.pk).create_playlist("Mine")
    source = playlist_with(alice, 20, 60)
    jobs = []
    for _ in range(2):
        [job] = jobs_create_from_form(
            user=alice.user,
            source="amazon_playlist",
            playlist_ids=[source],
            destination=TransferJob.Destination.SPOTIFY_EXISTING_PLAYLIST,
            existing_playlist=target.id,
        )
        assert job.destination_ref == target.id
        jobs.append(run(job))
    [mine] = services.spotify("GET", f"accounts/{name}")["playlists"]
    ids = [t["id"] for t in mine["tracks"]]
    assert ids == expected_ids(jobs[0])  # the first run, in Amazon's order
    # The second run found every track already there and added nothing.
    assert jobs[1].tracks.filter(write_state=SourceTrack.Write.WRITTEN).count() == 0
    assert jobs[1].tracks.filter(write_state=SourceTrack.Write.ALREADY_THERE).count() == len(ids)


def test_spotify_destination_review_searches_and_chooses_in_spotify_not_amazon(
    alice: Person, services: ServiceStandIns
) -> None:
    from django.urls import reverse

    from transfer.formats.records import PlaylistRecord, TrackRecord
    from transfer.transfers.services.jobs import jobs_create

    name = unique("sp")
    services.spotify_person(name)
    spotify_connect(services, alice.user, name)
    [job] = jobs_create(
        user=alice.user,
        playlists=[PlaylistRecord("x", [TrackRecord("Give Me a Try", ("The Wombats",))])],
        source_kind="file",
        destination=TransferJob.Destination.SPOTIFY_NEW_PLAYLIST,
    )
    TransferJob.objects.filter(id=job.id).update(state=State.REVIEW)
    row = job.tracks.get()
    row.band = SourceTrack.Band.REVIEW
    row.save()
    url = reverse("transfers:search", args=[job.id, row.id])
    page = alice.client.get(url, {"q": "give me a try wombats"})
    assert page.status_code == 200
    assert b"0gohFCf3LlExQw41BfajZg" in page.content  # the real Spotify id
    chosen = alice.client.post(
        reverse("transfers:choose", args=[job.id, row.id]),
        {"catalog_id": "0gohFCf3LlExQw41BfajZg", "remember": "on"},
    )
    assert chosen.status_code in (200, 302)
    row.refresh_from_db()
    assert row.chosen_id == "0gohFCf3LlExQw41BfajZg"
    from transfer.transfers.models import PinnedChoice

    assert not PinnedChoice.objects.exists()  # a Spotify id is never pinned as an Amazon track
