"""Pages stay fast with a 5,000-track job: each renders with a fixed, small number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from tests.product_fixtures import Person
from transfer.transfers.models import SourceTrack, TransferJob

pytestmark = pytest.mark.django_db
TRACKS = 5_000


def big_job(person: Person, state: str) -> TransferJob:
    job = TransferJob.objects.create(
        user=person.user,
        name="Five thousand",
        source_kind="file",
        destination="new_playlist",
        state=state,
        track_count=TRACKS,
    )
    bands = ["matched"] * 8 + ["review", "not_found"]
    candidate = {
        "id": "B0CAND0001",
        "title": "Song",
        "artists": ["Artist"],
        "album": "Album",
        "duration_ms": 200_000,
        "isrc": "",
        "explicit": False,
        "image_url": "",
        "album_id": "",
        "score": 0.6,
        "signals": [{"name": "title", "score": 1.0, "note": "title: same", "agrees": True}],
    }
    SourceTrack.objects.bulk_create(
        [
            SourceTrack(
                job=job,
                position=i,
                title=f"Song {i}",
                artists=["Artist"],
                band=bands[i % 10],
                chosen_id="B0CAND0001" if bands[i % 10] != "not_found" else "",
                chosen=candidate,
                candidates=[candidate] * 5,
                explanation="Best guess",
            )
            for i in range(TRACKS)
        ],
        batch_size=1000,
    )
    return job


@pytest.mark.parametrize(
    ("state", "path"),
    [
        ("ready", ""),
        ("review", ""),
        ("review", "?page=40"),
        ("done", ""),
        ("matching", ""),
        ("matching", "progress/"),
    ],
)
def test_every_page_of_a_5000_track_job_needs_few_queries(
    alice: Person, django_assert_max_num_queries: Any, state: str, path: str
) -> None:
    job = big_job(alice, state)
    with django_assert_max_num_queries(12):
        response = alice.client.get(f"/transfers/{job.id}/{path}")
    assert response.status_code == 200


def test_history_with_many_big_jobs_needs_few_queries(
    alice: Person, django_assert_max_num_queries: Any
) -> None:
    for state in ("done", "review", "failed"):
        big_job(alice, state)
    with django_assert_max_num_queries(8):
        response = alice.client.get("/transfers/")
    assert response.status_code == 200
    assert response.content.decode().count(">Five thousand</a>") == 3
