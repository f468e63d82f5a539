"""The preview's own pages: they work for the job's owner, and nobody else gets anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.product_fixtures import Person
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_youtube(settings: Any) -> None:
    """No YouTube to name video ids here: id-only rows stay as the file has them."""
    settings.YOUTUBE_API_KEY = ""


CSV = b"Title,Artist\nYellow,Coldplay\nCreep,Radiohead\n"


def alices_job(alice: Person) -> TransferJob:
    [job] = intake.jobs_create_from_form(
        user=alice.user,
        source="file",
        files=[SimpleUploadedFile("mix.csv", CSV)],
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    return job


def test_the_owner_renames_reads_again_and_unticks(alice: Person) -> None:
    job = alices_job(alice)
    row = job.tracks.get(position=0)
    alice.client.post(f"/transfers/{job.id}/preview/rename/", {"name": "Mine"})
    response = alice.client.post(
        f"/transfers/{job.id}/tracks/{row.id}/include/", {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    row.refresh_from_db()
    assert row.band == SourceTrack.Band.SKIPPED
    alice.client.post(
        f"/transfers/{job.id}/preview/read-again/",
        {"title": "Artist", "artist": "Title", "album": "", "duration": "", "isrc": ""},
    )
    job.refresh_from_db()
    assert job.name == "Mine"
    first = job.tracks.get(position=0)
    assert (first.title, first.artists, first.band) == (
        "Coldplay",
        ["Yellow"],
        SourceTrack.Band.PENDING,  # reading again makes new rows: the untick starts over
    )
    page = alice.client.get(f"/transfers/{job.id}/").content.decode()
    assert "Which column fed which field" in page
    assert 'value="Artist" selected' in page


def test_nobody_else_can_touch_the_preview(alice: Person, bob: Person) -> None:
    job = alices_job(alice)
    row = job.tracks.get(position=0)
    for url, data in (
        (f"/transfers/{job.id}/preview/rename/", {"name": "Bob's now"}),
        (f"/transfers/{job.id}/preview/read-again/", {"title": "Artist", "swap": "on"}),
        (f"/transfers/{job.id}/tracks/{row.id}/include/", {}),
    ):
        assert bob.client.post(url, data).status_code == 404
    job.refresh_from_db()
    row.refresh_from_db()
    assert job.name == "mix"
    assert (row.title, row.band) == ("Yellow", SourceTrack.Band.PENDING)


def test_ids_only_playlists_say_so_and_start_is_refused(alice: Person) -> None:
    [job] = intake.jobs_create_from_form(
        user=alice.user,
        source="file",
        files=[
            SimpleUploadedFile(
                "Road-videos.csv",
                b"Video ID,Playlist Video Creation Timestamp\n"
                b"dQw4w9WgXcQ,2024-01-01T10:00:00+00:00\n9bZkp7q19f0,2024-01-02T10:00:00+00:00\n",
            )
        ],
        destination=TransferJob.Destination.NEW_PLAYLIST,
    )
    page = alice.client.get(f"/transfers/{job.id}/").content.decode()
    assert "2 tracks without a title" in page
    response = alice.client.post(f"/transfers/{job.id}/start/", follow=True)
    assert "only YouTube video ids and no titles" in response.content.decode()
    job.refresh_from_db()
    assert job.state == TransferJob.State.READY
