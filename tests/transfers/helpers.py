"""Shared steps of the transfer tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.test import Client

from transfer.amazon.clients import music_client_for
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import intake

SAMPLES = Path(__file__).resolve().parents[2] / "sandbox" / "data" / "samples"


def wait_for_state(job: TransferJob, *states: str, timeout: float = 120) -> TransferJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stayed {job.state} (wanted {states}); error: {job.error}")


def read_stored_upload(client: Client, response: Any) -> Any:
    """The new-transfer form stored an upload: read it as the worker's task does (its service,
    in this process), then open the upload's page as the person's browser would."""
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    assert location.startswith("/transfers/uploads/"), location
    intake.upload_read(upload_id=location.rstrip("/").rsplit("/", 1)[-1])
    return client.get(location)


def playlist_track_ids(user_id: int, playlist_id: str) -> list[str]:
    client = music_client_for(user_id)
    return [entry.track.id for entry in client.iter_playlist_tracks(playlist_id)]


def expected_ids(job: TransferJob) -> list[str]:
    """The catalog ids a job should have written, in source order, each once."""
    bands = [SourceTrack.Band.MATCHED]
    if job.accept_suggestions:
        bands.append(SourceTrack.Band.REVIEW)
    seen: set[str] = set()
    ids = []
    rows = job.tracks.filter(band__in=bands).order_by("position")
    for chosen in rows.values_list("chosen_id", flat=True):
        if chosen and chosen not in seen:
            seen.add(chosen)
            ids.append(chosen)
    return ids
