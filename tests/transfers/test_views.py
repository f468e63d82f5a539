"""The transfer pages: each works for its owner, and nobody else gets anything."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.product_fixtures import Person
from tests.transfers.helpers import SAMPLES, read_stored_upload
from transfer.transfers.models import SourceTrack, TransferBatch, TransferJob

pytestmark = pytest.mark.django_db


def upload(person: Person, name: str, **fields: str) -> TransferJob:
    with (SAMPLES / name).open("rb") as handle:
        response = person.client.post(
            "/transfers/new/",
            {
                "source": "file",
                "uploads": handle,
                "destination": "new_playlist",
                "playlist_name": f"From {name}",
                "strictness": "balanced",
                "skip_existing": "on",
                **fields,
            },
        )
    page = read_stored_upload(person.client, response)
    assert page.status_code == 302  # read: on to the preview
    return TransferJob.objects.filter(user=person.user).latest("created_at")


def test_an_upload_is_read_and_previewed_before_anything_starts(alice: Person) -> None:
    job = upload(alice, "exportify_road_trip.csv")
    assert job.state == TransferJob.State.READY
    page = alice.client.get(f"/transfers/{job.id}/")
    body = page.content.decode()
    assert "Check the tracks" in body
    assert "Exportify" in body
    assert "Start the transfer" in body
    assert "Give Me a Try" in body


def test_a_bad_file_is_refused_with_a_clear_message_and_creates_nothing(alice: Person) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("broken.xspf", b"<playlist><trackList><track><title>x</tit")
    response = alice.client.post(
        "/transfers/new/",
        {"source": "file", "uploads": bad, "destination": "new_playlist", "strictness": "balanced"},
    )
    page = read_stored_upload(alice.client, response)
    assert page.status_code == 200
    assert "This upload could not be read" in page.content.decode()
    assert "broken.xspf" in page.content.decode()
    assert not TransferJob.objects.exists()


def test_a_pasted_list_becomes_a_transfer(alice: Person) -> None:
    response = alice.client.post(
        "/transfers/new/",
        {
            "source": "text",
            "text": "Ed Sheeran - Bad Habits\nTaylor Swift - Anti-Hero\n",
            "destination": "new_playlist",
            "strictness": "balanced",
        },
    )
    page = read_stored_upload(alice.client, response)
    assert page.status_code == 302
    job = TransferJob.objects.get(user=alice.user)
    assert job.track_count == 2
    assert page["Location"] == f"/transfers/{job.id}/"


def test_the_form_explains_what_is_missing(alice: Person) -> None:
    response = alice.client.post(
        "/transfers/new/", {"source": "file", "destination": "existing_playlist"}
    )
    body = response.content.decode()
    assert "Choose at least one file." in body
    assert "Choose the playlist to add to." in body


def test_history_lists_only_the_persons_transfers(alice: Person, bob: Person) -> None:
    job = upload(alice, "road_trip.m3u8")
    assert job.name in alice.client.get("/transfers/").content.decode()
    assert job.name not in bob.client.get("/transfers/").content.decode()


def test_the_empty_history_invites_a_first_transfer(bob: Person) -> None:
    assert "Start your first transfer" in bob.client.get("/transfers/").content.decode()


def test_the_progress_partial_stops_polling_when_the_job_is_over(alice: Person) -> None:
    job = upload(alice, "road_trip.m3u8")
    TransferJob.objects.filter(id=job.id).update(state=TransferJob.State.DONE)
    partial = alice.client.get(f"/transfers/{job.id}/progress/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial["HX-Refresh"] == "true"
    assert "hx-trigger" not in partial.content.decode()


def test_the_progress_partial_polls_while_matching(alice: Person) -> None:
    job = upload(alice, "road_trip.m3u8")
    TransferJob.objects.filter(id=job.id).update(state=TransferJob.State.MATCHING)
    partial = alice.client.get(f"/transfers/{job.id}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in partial


def job_urls(job: TransferJob, row: SourceTrack) -> list[tuple[str, str]]:
    base = f"/transfers/{job.id}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/progress/"),
        ("get", f"{base}/export/csv/"),
        ("get", f"{base}/export/unmatched/"),
        ("get", f"{base}/tracks/{row.id}/search/?q=x"),
        ("post", f"{base}/start/"),
        ("post", f"{base}/cancel/"),
        ("post", f"{base}/resume/"),
        ("post", f"{base}/rerun/"),
        ("get", f"{base}/accept-all/"),
        ("post", f"{base}/accept-all/"),
        ("post", f"{base}/skip-not-found/"),
        ("post", f"{base}/undo/"),
        ("post", f"{base}/write/"),
        ("post", f"{base}/tracks/{row.id}/choose/"),
        ("post", f"{base}/tracks/{row.id}/skip/"),
        ("post", f"{base}/delete/"),
    ]


def test_another_person_gets_404_on_every_transfer_url(alice: Person, bob: Person) -> None:
    job = upload(alice, "road_trip.m3u8")
    row = job.tracks.first()
    assert row is not None
    for method, url in job_urls(job, row):
        response = getattr(bob.client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    job.refresh_from_db()
    assert job.state == TransferJob.State.READY
    assert TransferJob.objects.filter(id=job.id).exists()


def batch_urls(batch_id: object) -> list[tuple[str, str]]:
    base = f"/transfers/batch/{batch_id}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/progress/"),
        ("post", f"{base}/start/"),
        ("get", f"{base}/review/"),
        ("get", f"{base}/review/accept/"),
        ("post", f"{base}/review/accept/"),
        ("post", f"{base}/review/skip-not-found/"),
        ("post", f"{base}/review/undo/"),
        ("post", f"{base}/review/write/"),
    ]


def test_another_person_gets_404_on_every_batch_url(alice: Person, bob: Person) -> None:
    batch = TransferBatch.objects.create(user=alice.user)
    job = upload(alice, "road_trip.m3u8")
    TransferJob.objects.filter(id=job.id).update(batch=batch)
    for method, url in batch_urls(batch.id):
        response = getattr(bob.client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert getattr(alice.client, method)(url).status_code in (200, 302), (method, url)
    job.refresh_from_db()
    assert job.state != TransferJob.State.READY  # alice's own start went through


def test_anonymous_visitors_are_sent_to_sign_in(alice: Person) -> None:
    job = upload(alice, "road_trip.m3u8")
    row = job.tracks.first()
    assert row is not None
    anonymous = Client()
    for method, url in [("get", "/transfers/"), ("get", "/transfers/new/"), *job_urls(job, row)]:
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
