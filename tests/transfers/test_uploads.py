"""Uploads are stored by the request and read by a worker's task: the request's cheap checks and
limits, reading once however often it is delivered, errors a person reads, and the recovery of
an upload whose worker died. The task's service runs here in the test's process; a real worker
reads one in test_upload_worker.py, and the page is watched in Chromium in
test_upload_browser.py."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.product_fixtures import Person
from transfer.transfers import dispatch
from transfer.transfers.models import IntakeFile, SourceTrack, TransferJob, Upload
from transfer.transfers.services import intake, recovery
from transfer.transfers.services.jobs import TransferError
from transfer.transfers.services.upload_progress import upload_progress_read

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def carol() -> User:
    return User.objects.create_user("carol", password="x")


def csv_of(count: int, first: int = 0) -> bytes:
    rows = (f"Song {i},Band {i % 97},Album {i % 13},3:{i % 60:02d}\n" for i in range(first, count))
    return b"Title,Artist,Album,Duration\n" + "".join(rows).encode()


def truncated_playlist_json(count: int) -> bytes:
    """A Spotify Playlist1.json of ``count`` tracks, cut off after a track two thirds of the
    way through (as an interrupted download leaves it)."""
    items = [
        {
            "track": {
                "trackName": f"Song {i}",
                "artistName": f"Band {i % 97}",
                "albumName": "Album",
                "trackUri": f"spotify:track:{i:022d}",
            }
        }
        for i in range(count)
    ]
    playlists = [{"name": "All", "lastModifiedDate": "2024-01-01", "items": items}]
    data = json.dumps({"playlists": playlists}, indent=2).encode()
    return data[: data.rindex(b"},", 0, len(data) * 2 // 3) + 2]


def store(user: User, *files: tuple[str, bytes], queue: bool = False) -> Upload:
    return intake.upload_store(
        user=user,
        source="file",
        files=[SimpleUploadedFile(name, data) for name, data in files],
        destination=TransferJob.Destination.NEW_PLAYLIST,
        strictness="balanced",
        queue=queue,
    )


def post(person: Person, name: str, data: bytes, **extra: Any) -> Any:
    return person.client.post(
        "/transfers/new/",
        {
            "source": "file",
            "uploads": SimpleUploadedFile(name, data),
            "destination": "new_playlist",
            "strictness": "balanced",
        },
        **extra,
    )


def test_the_request_only_stores_the_file_and_queues_its_reading(
    carol: User, redis_client: redis.Redis, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upload = store(carol, ("mix.csv", csv_of(3)), queue=True)
    assert upload.state == Upload.State.WAITING
    [kept] = IntakeFile.objects.filter(upload=upload)
    assert (kept.name, kept.format, bytes(kept.data)) == ("mix.csv", "", csv_of(3))
    assert not TransferJob.objects.exists()
    # The reading waits on the broker (the real Redis) for a worker.
    [message] = redis_client.lrange("default", 0, -1)
    assert json.loads(message)["headers"]["task"] == dispatch.READ_UPLOAD


def test_reading_makes_the_jobs_once_however_often_it_is_delivered(carol: User) -> None:
    upload = store(carol, ("mix.csv", csv_of(2500)))
    [job] = intake.upload_read(upload_id=upload.id)
    assert intake.upload_read(upload_id=upload.id) == [job]
    assert TransferJob.objects.count() == 1
    assert job.tracks.count() == job.track_count == 2500
    assert list(job.tracks.order_by("position").values_list("title", flat=True)[:2]) == [
        "Song 0",
        "Song 1",
    ]
    # The preview reads the stored file again: it is the same row, not a second copy.
    [kept] = IntakeFile.objects.all()
    assert (job.intake_file_id, kept.format, kept.upload_id) == (kept.id, "csv", upload.id)
    upload.refresh_from_db()
    assert (upload.state, upload.job_ids) == (Upload.State.DONE, [str(job.id)])
    progress = upload_progress_read(upload.id)
    assert (progress.phase, progress.done) == ("done", 1)
    assert progress.began["reading"] <= progress.began["creating"] <= progress.began["done"]


def test_a_malformed_large_file_ends_with_an_error_the_person_reads_and_keeps_nothing(
    carol: User,
) -> None:
    data = truncated_playlist_json(50_000)
    assert len(data) > 5 * MB
    upload = store(carol, ("Playlist1.json", data))
    assert intake.upload_read(upload_id=upload.id) == []
    upload.refresh_from_db()
    assert upload.state == Upload.State.FAILED
    assert upload.error.startswith("Playlist1.json: line ")
    assert "The JSON ends before it is complete; the file may be truncated." in upload.error
    assert not TransferJob.objects.exists()
    assert not SourceTrack.objects.exists()
    assert not IntakeFile.objects.exists()  # the bytes go at once


def test_more_than_100000_tracks_are_refused_with_a_clear_message(carol: User) -> None:
    upload = store(carol, ("library.csv", csv_of(100_001)))
    intake.upload_read(upload_id=upload.id)
    upload.refresh_from_db()
    assert upload.state == Upload.State.FAILED
    assert "more than 100,000 tracks, the most one import may hold" in upload.error
    assert not TransferJob.objects.exists()


def test_files_together_past_the_track_limit_are_refused(carol: User, settings: Any) -> None:
    settings.TRANSFER_MAX_TRACKS = 50
    upload = store(carol, ("a.csv", csv_of(30)), ("b.csv", csv_of(60, 30)))
    intake.upload_read(upload_id=upload.id)
    upload.refresh_from_db()
    assert upload.error == (
        "Together these files have more than 50 tracks, the most one transfer may hold; split "
        "them into smaller uploads."
    )
    assert not TransferJob.objects.exists()


def test_an_upload_over_50_mb_is_refused_in_the_request_with_a_clear_message(
    alice: Person,
) -> None:
    too_big = csv_of(10) + b"x" * (50 * MB + 1 - len(csv_of(10)))
    response = post(alice, "library.csv", too_big)
    assert response.status_code == 200
    assert (
        "library.csv is 52,428,801 bytes; the largest upload accepted is 52,428,800 bytes "
        "(50 MB). Split it into smaller files."
    ) in response.content.decode()
    assert not Upload.objects.exists()
    assert not IntakeFile.objects.exists()


def test_files_together_over_the_byte_limit_are_refused(carol: User, settings: Any) -> None:
    settings.TRANSFER_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(TransferError, match="Together these files are 1,182 bytes; the largest"):
        store(carol, ("a.csv", csv_of(20)), ("b.csv", csv_of(20)))
    assert not Upload.objects.exists()


def test_a_body_announced_past_the_limit_is_refused_before_it_is_read(alice: Person) -> None:
    response = post(alice, "mix.csv", csv_of(3), CONTENT_LENGTH=str(52 * MB))
    assert response.status_code == 302
    page = alice.client.get(response["Location"]).content.decode()
    assert "That upload is larger than 52,428,800 bytes (50 MB)" in page
    assert not Upload.objects.exists()


def test_a_body_past_the_limit_gets_its_message_through_csrf_with_no_file_read(
    alice: Person, settings: Any
) -> None:
    # CSRF checked as in production: the middleware reads the form's token from the body
    # before the view runs, and the upload handler must let it through but stop at the file.
    settings.TRANSFER_MAX_UPLOAD_BYTES = MB
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    browser.get("/transfers/new/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/transfers/new/",
        {
            "csrfmiddlewaretoken": token,
            "source": "file",
            "uploads": SimpleUploadedFile("mix.csv", csv_of(3) + b"#" * (2 * MB)),
            "destination": "new_playlist",
            "strictness": "balanced",
        },
    )
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "That upload is larger than 1,048,576 bytes (1 MB)" in page
    assert not Upload.objects.exists()


def test_the_transfer_between_services_page_says_why_a_body_past_the_limit_was_refused(
    alice: Person, settings: Any
) -> None:
    settings.TRANSFER_MAX_UPLOAD_BYTES = MB
    response = alice.client.post(
        "/connections/transfer/?from=file&to=amazon",
        {
            "files": SimpleUploadedFile("mix.csv", csv_of(3) + b"#" * (2 * MB)),
            "destination": "new_playlist",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "That upload is larger than 1,048,576 bytes (1 MB)" in page
    assert not Upload.objects.exists()


def test_the_upload_handler_keeps_the_fields_and_reads_no_file_of_a_body_past_the_limit(
    settings: Any,
) -> None:
    settings.TRANSFER_MAX_UPLOAD_BYTES = MB
    body = {"csrfmiddlewaretoken": "t", "uploads": SimpleUploadedFile("a.csv", b"x" * (2 * MB))}
    request = RequestFactory().post("/transfers/new/", body)
    assert request.POST["csrfmiddlewaretoken"] == "t"
    assert not request.FILES
    small = {**body, "uploads": SimpleUploadedFile("a.csv", b"x")}
    [stored] = RequestFactory().post("/transfers/new/", small).FILES.getlist("uploads")
    assert stored.read() == b"x"


def test_the_page_polls_while_waiting_then_sends_the_person_to_the_preview(
    alice: Person,
) -> None:
    response = post(alice, "mix.csv", csv_of(3))
    location = response["Location"]
    waiting = alice.client.get(location).content.decode()
    assert "Reading your upload" in waiting
    assert "Waiting for a worker to read it" in waiting
    assert 'hx-trigger="every 1s"' in waiting
    intake.upload_read(upload_id=location.rstrip("/").rsplit("/", 1)[-1])
    job = TransferJob.objects.get()
    partial = alice.client.get(f"{location}progress/")
    assert partial["HX-Redirect"] == f"/transfers/{job.id}/"
    assert "hx-trigger" not in partial.content.decode()
    assert alice.client.get(location)["Location"] == f"/transfers/{job.id}/"


def test_the_error_is_on_the_page_and_nobody_else_sees_the_upload(
    alice: Person, bob: Person
) -> None:
    response = post(alice, "broken.xspf", b"<playlist><trackList><track><title>x</tit")
    location = response["Location"]
    intake.upload_read(upload_id=location.rstrip("/").rsplit("/", 1)[-1])
    page = alice.client.get(location).content.decode()
    assert "This upload could not be read" in page
    assert "broken.xspf" in page
    assert "hx-trigger" not in page
    assert bob.client.get(location).status_code == 404
    assert bob.client.get(f"{location}progress/").status_code == 404


def test_an_upload_whose_worker_died_is_queued_again_and_given_up_past_the_bound(
    carol: User, settings: Any, redis_client: redis.Redis
) -> None:
    now = timezone.now()
    stalled = dt.timedelta(seconds=settings.TRANSFER_STALLED_SECONDS + 1)
    died = store(carol, ("a.csv", csv_of(3)))
    waits = store(carol, ("b.csv", csv_of(3)))
    Upload.objects.filter(id=died.id).update(attempts=1, updated_at=now - stalled)
    # Nobody began this one yet: it may just wait its turn in a busy queue.
    Upload.objects.filter(id=waits.id).update(updated_at=now - stalled)
    assert recovery.uploads_recover(now=now) == [died.id]
    [message] = redis_client.lrange("default", 0, -1)
    assert json.loads(message)["headers"]["argsrepr"] == repr((str(died.id),))
    # A file that keeps killing its worker is given up, with a reason.
    Upload.objects.filter(id=died.id).update(attempts=settings.TRANSFER_MAX_RECOVERIES + 1)
    assert intake.upload_read(upload_id=died.id) == []
    died.refresh_from_db()
    assert died.state == Upload.State.FAILED
    assert "stopped the worker reading it 4 times" in died.error


def test_the_form_says_how_much_one_upload_may_hold(alice: Person) -> None:
    page = alice.client.get("/transfers/new/").content.decode()
    assert "A whole library fits: up to 100000 tracks and 50 MB in one upload." in page


def test_track_rows_are_written_whole_with_every_field(carol: User) -> None:
    """Rows go in by COPY on PostgreSQL: lists, dicts, times and nulls come back as written."""
    from transfer.formats.records import PlaylistRecord, TrackRecord
    from transfer.transfers.services.jobs import jobs_create

    tracks = [
        TrackRecord(
            title="Yellow",
            artists=("Coldplay", "Chris Martin"),
            album="Parachutes",
            duration_ms=266_000,
            isrc="GBAYE0000351",
            explicit=None,
            source_id="B00ASIN001",
            line=2,
        ),
        TrackRecord(title="", artists=(), line=3),
    ]
    [job] = jobs_create(
        user=carol,
        playlists=[PlaylistRecord(name="Mine", tracks=tracks)],
        source_kind="amazon_playlist",
        destination=TransferJob.Destination.FILE,
        predecided=True,
    )
    first, second = job.tracks.order_by("position")
    assert (first.position, first.title, first.artists, first.duration_ms) == (
        0,
        "Yellow",
        ["Coldplay", "Chris Martin"],
        266_000,
    )
    assert (first.explicit, first.line, first.band, first.chosen_id) == (
        None,
        2,
        SourceTrack.Band.MATCHED,
        "B00ASIN001",
    )
    assert first.chosen is not None
    assert first.chosen["artists"] == ["Coldplay", "Chris Martin"]
    assert first.decided_at is not None
    assert first.confidence == 1.0
    assert (second.band, second.chosen, second.candidates, second.decided_at) == (
        SourceTrack.Band.PENDING,
        None,
        [],
        None,
    )
    assert (second.write_state, second.needs_resolution) == (SourceTrack.Write.PENDING, False)
