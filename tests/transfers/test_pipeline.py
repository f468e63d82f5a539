"""The whole pipeline on real parts: PostgreSQL, Redis, Celery workers and the sandbox."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from devtools.measuring import clear_matching_caches
from tests.product_fixtures import Person
from tests.sandbox_server import SandboxServer
from tests.transfers.helpers import SAMPLES, expected_ids, playlist_track_ids, wait_for_state
from transfer.amazon.clients import music_client_for
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import sources
from transfer.transfers.services.jobs import (
    TransferError,
    job_cancel,
    job_resume,
    job_start,
    jobs_create,
    queue_position,
)
from transfer.transfers.services.progress import progress_read

pytestmark = pytest.mark.django_db(transaction=True)
State = TransferJob.State


def import_sample(person: Person, name: str, **options: object) -> TransferJob:
    parsed = sources.parse_upload((SAMPLES / name).read_bytes(), name)
    [job] = jobs_create(
        user=person.user,
        playlists=parsed.playlists[:1],
        source_kind=TransferJob.SourceKind.FILE,
        source_format=parsed.format,
        source_ref=name,
        destination=options.pop("destination", TransferJob.Destination.NEW_PLAYLIST),  # type: ignore[arg-type]
        destination_name=f"Imported {name}",
        **options,  # type: ignore[arg-type]
    )
    return job


def copy_everything_i_love(person: Person, **options: object) -> TransferJob:
    client = music_client_for(person.user.pk)
    source = next(p for p in client.iter_my_playlists() if p.title == "Everything I Love")
    record = sources.read_amazon_playlist(user_id=person.user.pk, playlist_id=source.id)
    [job] = jobs_create(
        user=person.user,
        playlists=[record],
        source_kind=TransferJob.SourceKind.AMAZON_PLAYLIST,
        source_ref=source.id,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="Everything I Love (copy)",
        predecided=True,
        **options,  # type: ignore[arg-type]
    )
    return job


def test_an_exportify_file_becomes_an_amazon_playlist_in_order(
    alice: Person, celery_worker_thread: object
) -> None:
    job = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    assert job.state == State.READY
    assert job.track_count > 20
    assert job_start(job=job)

    job = wait_for_state(job, State.DONE, State.FAILED)
    assert job.state == State.DONE, job.error
    matched = job.tracks.filter(band=SourceTrack.Band.MATCHED).count()
    assert matched >= 0.8 * job.track_count
    for track in job.tracks.filter(band=SourceTrack.Band.MATCHED)[:5]:
        assert track.explanation
        assert track.confidence is not None
        assert track.candidates
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert written == expected_ids(job), "in source order, each once"
    progress = progress_read(job.id)
    assert progress is not None
    assert progress.decided == job.track_count


def test_a_1000_track_playlist_copy_keeps_order_and_has_no_duplicates(
    alice: Person, celery_worker_thread: object
) -> None:
    job = copy_everything_i_love(alice)
    assert job.track_count == 1200
    job_start(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=180)
    assert job.state == State.DONE, job.error
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert written == expected_ids(job)
    assert len(written) == len(set(written))


def test_a_dry_run_matches_but_creates_nothing_on_amazon(
    alice: Person, celery_worker_thread: object
) -> None:
    client = music_client_for(alice.user.pk)
    before = [p.id for p in client.iter_my_playlists()]
    job = import_sample(alice, "road_trip.m3u8", dry_run=True)
    job_start(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED)
    assert job.state == State.DONE
    assert not job.tracks.filter(band=SourceTrack.Band.PENDING).exists()
    assert job.destination_ref == ""
    assert [p.id for p in client.iter_my_playlists()] == before


def test_review_tracks_wait_for_the_person(alice: Person, celery_worker_thread: object) -> None:
    job = import_sample(alice, "artist_title.txt")
    job_start(job=job)
    job = wait_for_state(job, State.REVIEW, State.WRITING, State.DONE, State.FAILED)
    # Bare "Artist - Title" lines (no album, duration or ISRC) leave some matches doubtful.
    doubtful = job.tracks.filter(band=SourceTrack.Band.REVIEW).count()
    assert doubtful > 0, "the sample must hold doubtful lines, or this test proves nothing"
    assert job.state == State.REVIEW, job.error
    assert job.destination_ref == "", "nothing is written before the review"
    time.sleep(1)
    job.refresh_from_db()
    assert job.state == State.REVIEW, "it waits: no worker moves it on by itself"
    assert job.tracks.filter(band=SourceTrack.Band.REVIEW).count() == doubtful


def test_cancel_stops_a_job(alice: Person) -> None:
    job = copy_everything_i_love(alice)
    job_start(job=job)  # no worker runs in this test: the job stays queued
    assert job_cancel(job=job)
    job.refresh_from_db()
    assert job.state == State.CANCELLED
    assert not job_cancel(job=job)


@override_settings(TRANSFER_MAX_ACTIVE_JOBS=1)
def test_jobs_past_the_limit_wait_in_a_queue_and_start_by_themselves(alice: Person) -> None:
    first = copy_everything_i_love(alice)
    second = import_sample(alice, "road_trip.m3u8")
    third = import_sample(alice, "road_trip.m3u8")
    for job in (first, second, third):
        assert job_start(job=job)  # every start is accepted
    for job in (first, second, third):
        job.refresh_from_db()
    assert first.state == State.MATCHING
    assert (second.state, queue_position(job=second)) == (State.QUEUED, 1)
    assert (third.state, queue_position(job=third)) == (State.QUEUED, 2)
    assert job_cancel(job=first)  # no worker runs here: a cancel frees the slot
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.state == State.MATCHING
    assert (third.state, queue_position(job=third)) == (State.QUEUED, 1)


def test_rate_limits_reschedule_instead_of_failing(
    alice: Person, amazon: SandboxServer, celery_worker_thread: object
) -> None:
    # Decisions cached by an earlier test would need no search at all, and so meet no 429.
    clear_matching_caches(alice.user.pk)
    amazon.configure(faults={"http_429": 0.3})
    job = import_sample(alice, "exportify_road_trip.csv", accept_suggestions=True)
    job_start(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=240)
    assert job.state == State.DONE, job.error
    served_429 = amazon.stats()["total"]["statuses"].get("429", 0)
    assert served_429 > 0, "the sandbox really did answer 429s"
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert len(written) == len(set(written))


def test_a_task_delivered_twice_writes_nothing_twice(alice: Person) -> None:
    from transfer.transfers import tasks

    job = copy_everything_i_love(alice)
    job_start(job=job)
    for first in range(0, job.track_count, 50):  # matching: predecided, nothing to do
        tasks.match_chunk.apply(args=(str(job.id), first, first + 49))
        tasks.match_chunk.apply(args=(str(job.id), first, first + 49))
    job = wait_for_state(job, State.WRITING, State.DONE)
    # Two deliveries of the same write task, one after the other, then once more.
    tasks.write_job.apply(args=(str(job.id),), task_id="delivery-1")
    tasks.write_job.apply(args=(str(job.id),), task_id="delivery-2")
    job = wait_for_state(job, State.DONE)
    tasks.write_job.apply(args=(str(job.id),), task_id="delivery-3")
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert written == expected_ids(job)


def test_a_worker_killed_mid_write_leaves_every_track_written_once_in_order(
    alice: Person, amazon: SandboxServer, start_worker: object
) -> None:
    # Slow writes, small checkpoints and a short lease, so the kill lands mid-job and the
    # next worker takes over quickly.
    amazon.configure(faults={"delay_ms": 400, "delay_share": 1.0, "paths": ["/v1/playlists"]})
    env = {"TRANSFER_WRITE_CHUNK": "40", "TRANSFER_LEASE_SECONDS": "3"}
    job = copy_everything_i_love(alice)
    first = start_worker(**env)  # type: ignore[operator]
    job_start(job=job)
    deadline = time.monotonic() + 120
    while job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count() < 200:
        assert time.monotonic() < deadline, first.output()
        time.sleep(0.2)
    first.kill()
    written_at_kill = job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count()
    assert written_at_kill < job.track_count, "the kill landed mid-job"

    amazon.configure(faults=None)
    start_worker(**env)  # type: ignore[operator]
    job_resume(job=job)
    job = wait_for_state(job, State.DONE, State.FAILED, timeout=180)
    assert job.state == State.DONE, job.error
    written = playlist_track_ids(alice.user.pk, job.destination_ref)
    assert written == expected_ids(job), "every track exactly once, in order"


def test_bad_input_creates_nothing(alice: Person) -> None:
    client = music_client_for(alice.user.pk)
    before = [p.id for p in client.iter_my_playlists()]
    with pytest.raises(TransferError):
        sources.parse_upload(b"", "empty.csv")
    with pytest.raises(TransferError):
        sources.parse_upload(
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "x.xspf"
        )
    assert not TransferJob.objects.exists()
    assert [p.id for p in client.iter_my_playlists()] == before
