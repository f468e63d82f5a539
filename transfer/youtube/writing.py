"""Writing a job's matches to a YouTube playlist: one playlistItems.insert (50 units) a video.

The playlist is made by the job (a new playlist), or is ``destination_ref`` when the job has one
(a sync's playlist, made by its first run's job). playlists.insert is not idempotent either: the
new playlist carries a marker in its description (the job's, or its sync's), and before making
one the person's playlists are read (mine=true, 1 unit a page of 50) for a playlist with that
marker, so a worker killed between the insert and the checkpoint of its id makes no second one.
That read happens once per playlist made, never per write step.

Each insert is checkpointed on its own (an insert is not idempotent and the day's quota may end
between two of them); the playlist is read before each step so a lost answer adds nothing twice.
When the quota runs out the client raises YouTubeQuotaExceededError, the task comes back later
and the job goes on where it stopped, on the next Pacific day if need be.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.utils import timezone

from transfer.connections.syncs import sync_playlist_marker
from transfer.connections.writing import MARKER, finish_written, record_written, writable_rows
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress
from transfer.youtube.client import YouTubeClient
from transfer.youtube.errors import YouTubeQuotaExceededError
from transfer.youtube.services import youtube_client_for

logger = logging.getLogger(__name__)
Write = SourceTrack.Write


def youtube_write_step(*, job_id: str, budget_seconds: float) -> bool:
    job = TransferJob.objects.get(id=job_id)
    client = youtube_client_for(job.user_id)
    try:
        if not job.destination_ref:
            _create_playlist(job, client)
        writable = writable_rows(job)
        current = progress.progress_read(job.id)
        if current is None or current.write_started is None:
            progress.progress_start(job.id, stage="writing", total=writable.count())
        seen = {item.video_id for item in client.iter_playlist_items(job.destination_ref)}
        own = set(writable.filter(write_state=Write.WRITTEN).values_list("chosen_id", flat=True))
        deadline = time.monotonic() + budget_seconds
        while time.monotonic() < deadline:
            row = writable.filter(write_state=Write.PENDING).order_by("position").first()
            if row is None:
                finish_written(job, service="YouTube")
                return True
            if row.chosen_id in seen:
                # Twice in this job, or in the playlist before it (a sync's playlist, where the
                # person may have added it): only the job's own count as written by it.
                repeat = Write.DUPLICATE if row.chosen_id in own else Write.ALREADY_THERE
                SourceTrack.objects.filter(id=row.id).update(write_state=repeat)
            else:
                client.insert_item(job.destination_ref, row.chosen_id)
                seen.add(row.chosen_id)
                own.add(row.chosen_id)
                SourceTrack.objects.filter(id=row.id).update(write_state=Write.WRITTEN)
            TransferJob.objects.filter(id=job.id).update(updated_at=timezone.now(), error="")
            record_written(job)
        return False
    except YouTubeQuotaExceededError as exc:
        resume = timezone.now() + dt.timedelta(seconds=exc.resume_in)
        TransferJob.objects.filter(id=job.id).update(
            error=(
                "Paused: today's YouTube quota is used up. The transfer goes on by itself "
                f"after midnight Pacific time (about {resume:%H:%M} UTC)."
            ),
            updated_at=timezone.now(),
        )
        raise


def playlist_marker(job: TransferJob) -> str:
    """What the job's new playlist says in its description: its sync's marker when a sync's run
    made the job (a later run's job then finds the same playlist), else the job's own."""
    sync_id = job.sync_runs.values_list("sync_id", flat=True).first()
    return sync_playlist_marker(str(sync_id)) if sync_id else f"{MARKER} {job.id}"


def _create_playlist(job: TransferJob, client: YouTubeClient) -> None:
    """Create the playlist once: a retry after a lost answer or a killed worker finds it by the
    marker in its description (read with mine=true, counted against the quota like any call)."""
    marker = playlist_marker(job)
    existing = next(
        (p for p in client.iter_my_playlists() if marker in p.snippet.description), None
    )
    playlist = existing or client.create_playlist(
        job.destination_name or job.name, description=marker
    )
    TransferJob.objects.filter(id=job.id, destination_ref="").update(
        destination_ref=playlist.id,
        destination_url=f"https://www.youtube.com/playlist?list={playlist.id}",
    )
    job.refresh_from_db(fields=["destination_ref", "destination_url"])
