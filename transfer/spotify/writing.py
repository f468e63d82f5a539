"""Writing a job's matches to Spotify: a new or existing playlist in order, Liked Songs, albums.

As for Amazon, rows go out in position order 100 at a time (Spotify's limit per add), each chunk
checkpointed once Spotify has it. Spotify's add is not idempotent, so before each step the
playlist is read and every track already in it counts as written: a worker killed between an add
and its checkpoint re-reads, finds the chunk there and adds nothing twice. Saving to the library
(PUT /me/library) is idempotent by itself.
"""

from __future__ import annotations

import logging
import time

from django.utils import timezone

from transfer.connections.writing import MARKER, finish_written, record_written, writable_rows
from transfer.spotify.client import ADD_CHUNK, SpotifyClient
from transfer.spotify.services import spotify_client_for
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress

logger = logging.getLogger(__name__)
Write = SourceTrack.Write


def spotify_write_step(*, job_id: str, budget_seconds: float) -> bool:
    job = TransferJob.objects.get(id=job_id)
    client = spotify_client_for(job.user_id)
    if job.destination == "spotify_new_playlist" and not job.destination_ref:
        _create_playlist(job, client)
    writable = writable_rows(job)
    current = progress.progress_read(job.id)
    if current is None or current.write_started is None:
        progress.progress_start(job.id, stage="writing", total=writable.count())
    # Written by this job: a repeat of one of these is a duplicate within the job; a repeat of
    # anything else in the destination was there already (the person's, not the job's).
    own = set(writable.filter(write_state=Write.WRITTEN).values_list("chosen_id", flat=True))
    seen = own | set(
        writable.filter(write_state=Write.ALREADY_THERE).values_list("chosen_id", flat=True)
    )
    if job.destination in ("spotify_new_playlist", "spotify_existing_playlist"):
        seen |= {
            entry.object.id
            for entry in client.iter_playlist_entries(job.destination_ref)
            if entry.object and entry.object.id
        }
    elif job.destination == "spotify_liked":
        # Saving is idempotent, but a song liked before is the person's: it counts as already
        # there, so a mirrored sync never un-likes it.
        seen |= {s.track.id for s in client.iter_saved_tracks() if s.track.id}
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        rows = list(writable.filter(write_state=Write.PENDING).order_by("position")[:ADD_CHUNK])
        if not rows:
            finish_written(job, service="Spotify")
            return True
        state = TransferJob.objects.values_list("state", flat=True).get(id=job.id)
        if state != TransferJob.State.WRITING:
            return True
        fresh, repeats = [], []
        for row in rows:
            key = _key(job, row)
            if key in seen:
                repeats.append(row)
            else:
                seen.add(key)
                fresh.append(row)
        keys = [_key(job, row) for row in fresh]
        if keys:
            if job.destination == "spotify_liked":
                client.save_tracks([f"spotify:track:{k}" for k in keys])
            elif job.destination == "spotify_albums":
                client.save_albums([f"spotify:album:{k}" for k in keys])
            else:
                client.add_to_playlist(job.destination_ref, [f"spotify:track:{k}" for k in keys])
        SourceTrack.objects.filter(id__in=[r.id for r in fresh]).update(write_state=Write.WRITTEN)
        own.update(keys)
        new_playlist = job.destination == "spotify_new_playlist"
        duplicates = [r.id for r in repeats if new_playlist or _key(job, r) in own]
        SourceTrack.objects.filter(id__in=duplicates).update(write_state=Write.DUPLICATE)
        SourceTrack.objects.filter(
            id__in=[r.id for r in repeats if r.id not in set(duplicates)]
        ).update(write_state=Write.ALREADY_THERE)
        TransferJob.objects.filter(id=job.id).update(updated_at=timezone.now())
        record_written(job)
    return False


def _key(job: TransferJob, row: SourceTrack) -> str:
    if job.destination == "spotify_albums":
        return str((row.chosen or {}).get("album_id") or row.chosen_id)
    return row.chosen_id


def _create_playlist(job: TransferJob, client: SpotifyClient) -> None:
    """Create the playlist once: a retry after a lost answer finds it by the job's marker."""
    marker = f"{MARKER} {job.id}"
    existing = next((p for p in client.iter_playlists() if marker in (p.description or "")), None)
    playlist = existing or client.create_playlist(
        job.destination_name or job.name, description=marker, public=False
    )
    TransferJob.objects.filter(id=job.id, destination_ref="").update(
        destination_ref=playlist.id, destination_url=playlist.url
    )
    job.refresh_from_db(fields=["destination_ref", "destination_url"])
