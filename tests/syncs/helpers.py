"""Shared steps of the sync tests: playlists made for one test, waiting for runs and jobs."""

from __future__ import annotations

import time
from uuid import UUID

from tests.product_fixtures import Person
from transfer.amazon.clients import music_client_for
from transfer.syncs.models import SyncRun
from transfer.syncs.services.sources import reader_for
from transfer.transfers.models import TransferJob

FINISHED_RUNS = (
    SyncRun.State.DONE,
    SyncRun.State.NOTHING_NEW,
    SyncRun.State.SKIPPED,
    SyncRun.State.FAILED,
    SyncRun.State.PAUSED,
)


def catalog_ids(person: Person, count: int) -> list[str]:
    """Distinct catalog track ids from the person's big seeded playlist."""
    client = reader_for(person.user.pk)
    source = next(p for p in client.iter_my_playlists() if p.title == "Everything I Love")
    ids: list[str] = []
    for entry in client.iter_playlist_tracks(source.id):
        if entry.track.id not in ids:
            ids.append(entry.track.id)
        if len(ids) == count:
            break
    return ids


def make_playlist(person: Person, title: str, track_ids: list[str]) -> str:
    client = music_client_for(person.user.pk)
    playlist = client.create_playlist(title)
    if track_ids:
        client.add_playlist_tracks(playlist.id, track_ids)
    return playlist.id


def playlist_ids(person: Person, playlist_id: str) -> list[str]:
    """What the playlist holds now, read past every cache."""
    return [e.track.id for e in reader_for(person.user.pk).iter_playlist_tracks(playlist_id)]


def remove_from_playlist(person: Person, playlist_id: str, track_ids: set[str]) -> None:
    entries = [
        e.entry_id
        for e in reader_for(person.user.pk).iter_playlist_tracks(playlist_id)
        if e.track.id in track_ids
    ]
    music_client_for(person.user.pk).remove_playlist_tracks(playlist_id, entries)


def wait_for_run(run: SyncRun, *states: str, timeout: float = 120) -> SyncRun:
    states = states or FINISHED_RUNS
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in states:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run stayed {run.state} (wanted {states}): {run.message}")


def wait_for_job(job: TransferJob, timeout: float = 180) -> TransferJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stayed {job.state}: {job.error}")


def latest_run(sync_id: UUID) -> SyncRun:
    return SyncRun.objects.filter(sync_id=sync_id).order_by("-created_at")[0]
