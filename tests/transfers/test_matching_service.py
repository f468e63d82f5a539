"""The matching stage's service: a chunk's decisions go to the database, the decision cache and
the progress together, in batches, and still each track is decided and counted once."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from tests.product_fixtures import Person
from tests.transfers.helpers import SAMPLES
from transfer.amazon.clients import reset_shared_client
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import matching, sources
from transfer.transfers.services.jobs import jobs_create
from transfer.transfers.services.progress import (
    LATEST,
    progress_decided_many,
    progress_read,
    progress_start,
)

pytestmark = pytest.mark.django_db(transaction=True)
Band = SourceTrack.Band


def matching_job(person: Person, name: str = "exportify_road_trip.csv") -> TransferJob:
    parsed = sources.parse_upload((SAMPLES / name).read_bytes(), name)
    [job] = jobs_create(
        user=person.user,
        playlists=parsed.playlists[:1],
        source_kind=TransferJob.SourceKind.FILE,
        source_format=parsed.format,
        source_ref=name,
        destination=TransferJob.Destination.NEW_PLAYLIST,
        destination_name="Road trip",
    )
    TransferJob.objects.filter(id=job.id).update(state=TransferJob.State.MATCHING)
    progress_start(job.id, stage="matching", total=job.track_count)
    job.refresh_from_db()
    return job


def summary(position: int, band: str) -> dict[str, Any]:
    return {"position": position, "title": f"Song {position}", "artists": ["Band"], "band": band}


def test_a_batch_counts_like_one_update_per_track(alice: Person) -> None:
    job = matching_job(alice)
    bands = ["matched", "review", "matched", "not_found"] * 4
    progress_decided_many(job.id, [(band, summary(i, band)) for i, band in enumerate(bands)])
    progress_decided_many(job.id, [])

    seen = progress_read(job.id)
    assert seen is not None
    assert (seen.matched, seen.review, seen.not_found) == (8, 4, 4)
    # The newest first, as many as the page shows.
    assert [item["position"] for item in seen.latest] == list(range(15, 15 - LATEST, -1))


def test_a_chunk_stores_every_decision_and_counts_each_track_once(
    alice: Person, amazon: object
) -> None:
    job = matching_job(alice)
    # The person already chose for the first track: the chunk must leave it as it is.
    first = job.tracks.get(position=0)
    SourceTrack.objects.filter(id=first.id).update(
        band=Band.MATCHED, method="person", decided_by_person=True, explanation="mine"
    )

    decided = matching.match_chunk(job_id=job.id, first=0, last=9)
    again = matching.match_chunk(job_id=job.id, first=0, last=9)

    assert (decided, again) == (9, 0)
    rows = list(job.tracks.filter(position__lte=9).order_by("position"))
    assert rows[0].method == "person"
    assert rows[0].explanation == "mine"
    for row in rows[1:]:
        assert row.band != Band.PENDING
        assert row.explanation
        assert row.decided_at is not None
        assert row.method in ("isrc", "search")
        if row.band != Band.NOT_FOUND:
            assert row.chosen_id
            assert row.chosen
            assert row.chosen["id"] == row.chosen_id
            assert row.candidates
            assert row.confidence is not None
    seen = progress_read(job.id)
    assert seen is not None
    assert seen.decided == 9, "the person's track and the second delivery count nothing"
    assert [item["position"] for item in seen.latest] == list(range(9, 0, -1))


def test_an_identical_track_later_in_a_chunk_comes_from_the_decision_cache(
    alice: Person, amazon: object
) -> None:
    job = matching_job(alice)
    original = job.tracks.get(position=0)
    job.tracks.filter(position=1).update(
        title=original.title,
        artists=original.artists,
        album=original.album,
        duration_ms=original.duration_ms,
        isrc=original.isrc,
        explicit=original.explicit,
    )

    matching.match_chunk(job_id=job.id, first=0, last=1)

    copy = job.tracks.get(position=1)
    assert copy.method == "cached"
    assert copy.chosen_id == job.tracks.get(position=0).chosen_id


def test_the_progress_moves_during_a_chunk_not_only_at_its_end(
    alice: Person, amazon: object, settings: Any
) -> None:
    # Four calls a second through the product's own limiter: the 30-track chunk takes several
    # seconds, and the page must see its decisions as they come (at least every second).
    settings.AMAZON_MUSIC_RATE_LIMIT = 4
    reset_shared_client()
    job = matching_job(alice)
    total = job.track_count

    def run() -> None:
        try:
            matching.match_chunk(job_id=job.id, first=0, last=total - 1)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    seen_between: list[int] = []
    deadline = time.monotonic() + 120
    while worker.is_alive() and time.monotonic() < deadline:
        current = progress_read(job.id)
        decided = current.decided if current else 0
        if 0 < decided < total:
            seen_between.append(decided)
        time.sleep(0.2)
    worker.join(timeout=5)

    final = progress_read(job.id)
    assert final is not None
    assert final.decided == total
    assert len(set(seen_between)) >= 2, f"progress seen during the chunk: {seen_between}"


SQLITE_STORE = """
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import matching
from transfer.transfers.services.jobs import jobs_create

call_command("migrate", verbosity=0)
user = User.objects.create_user("sqlite-person")
tracks = [TrackRecord(title=f"Song {i}", artists=("Band",)) for i in range(3)]
[job] = jobs_create(
    user=user,
    playlists=[PlaylistRecord(name="Demo", tracks=tracks)],
    source_kind=TransferJob.SourceKind.FILE,
    source_format="csv",
    source_ref="demo.csv",
    destination=TransferJob.Destination.NEW_PLAYLIST,
    destination_name="Demo",
)
rows = list(job.tracks.order_by("position"))
fields = matching._unsearchable_fields(ValueError("nothing"))
first = matching._store_many([(row.id, fields) for row in rows[:2]])
again = matching._store_many([(row.id, fields) for row in rows])
print(len(first), len(again), sorted(job.tracks.values_list("band", flat=True)))
"""


def test_decisions_are_stored_on_the_demos_sqlite(tmp_path: Any) -> None:
    # The zero-setup demo runs on SQLite, which has neither ``::`` casts nor PostgreSQL's
    # UPDATE ... FROM (VALUES ...): a chunk's decisions must still be stored there, each once.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "transfer.settings",
        "DEBUG": "true",
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_STORE],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[:2] == ["2", "1"], done.stdout
    assert "pending" not in done.stdout, done.stdout
