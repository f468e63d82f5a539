"""Writing a job's matches to a YouTube playlist: one playlistItems.insert (50 units) a video.

The playlist is made by the job (a new playlist), or is ``destination_ref`` when the job has one
(a sync's playlist, made by its first run's job).

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

from transfer.spotify.writing import _finish, _writable, record_written
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress
from transfer.youtube.errors import YouTubeQuotaExceededError
from transfer.youtube.services import youtube_client_for

logger = logging.getLogger(__name__)
Write = SourceTrack.Write


def youtube_write_step(*, job_id: str, budget_seconds: float) -> bool:
    job = TransferJob.objects.get(id=job_id)
    client = youtube_client_for(job.user_id)
    try:
        if not job.destination_ref:
            playlist = client.create_playlist(
                job.destination_name or job.name, description=f"Music Transfer job {job.id}"
            )
            TransferJob.objects.filter(id=job.id, destination_ref="").update(
                destination_ref=playlist.id,
                destination_url=f"https://www.youtube.com/playlist?list={playlist.id}",
            )
            job.refresh_from_db(fields=["destination_ref", "destination_url"])
        writable = _writable(job)
        current = progress.progress_read(job.id)
        if current is None or current.write_started is None:
            progress.progress_start(job.id, stage="writing", total=writable.count())
        seen = {item.video_id for item in client.iter_playlist_items(job.destination_ref)}
        own = set(writable.filter(write_state=Write.WRITTEN).values_list("chosen_id", flat=True))
        deadline = time.monotonic() + budget_seconds
        while time.monotonic() < deadline:
            row = writable.filter(write_state=Write.PENDING).order_by("position").first()
            if row is None:
                _finish(job)
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
