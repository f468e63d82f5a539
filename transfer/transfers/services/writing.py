"""The writing stage: save the matched tracks to Amazon Music in order, with checkpoints.

One worker writes a job at a time (a lease on the job row). Tracks go out in position order,
a chunk at a time; after Amazon accepts a chunk its rows are marked written in one UPDATE, the
checkpoint. A worker killed between the two re-sends that chunk on resume, which adds nothing:
playlist adds go with ``addDuplicateTracks: false`` and library saves are idempotent PUTs.
Nothing is ever written twice because each catalog id is written at most once per job.
"""

from __future__ import annotations

import enum
import logging
import time
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog_client import AmazonMusicClient
from transfer.amazon.clients import music_client_for
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress
from transfer.transfers.services.jobs import job_claim, job_release, queue_advance

logger = logging.getLogger(__name__)

Dest = TransferJob.Destination
Write = SourceTrack.Write


class Step(enum.Enum):
    MORE = "more"  # the time budget ran out: queue the next step
    DONE = "done"  # nothing left to write, or the job is no longer writing
    BUSY = "busy"  # another worker holds the job's lease: try again when it expires


def job_write_step(*, job_id: UUID | str, owner: str, budget_seconds: float = 60.0) -> Step:
    """Write for up to ``budget_seconds`` and say what should happen next."""
    if not job_claim(job_id=job_id, owner=owner, seconds=settings.TRANSFER_LEASE_SECONDS):
        return Step.BUSY
    try:
        job = TransferJob.objects.get(id=job_id)
        if job.state != TransferJob.State.WRITING:
            return Step.DONE
        client = music_client_for(job.user_id)
        if job.destination == Dest.NEW_PLAYLIST and not job.destination_ref:
            _create_playlist(job, client)
        current = progress.progress_read(job.id)
        if current is None or current.write_started is None:
            progress.progress_start(job.id, stage="writing", total=_writable(job).count())
        deadline = time.monotonic() + budget_seconds
        seen = _already_written_ids(job, client)
        if _keeps_repeats(job):
            _checkpoint_sent(job, client)
        while time.monotonic() < deadline:
            rows = list(_to_write(job).order_by("position")[: settings.TRANSFER_WRITE_CHUNK])
            if not rows:
                _finish(job)
                return Step.DONE
            if _state(job.id) != TransferJob.State.WRITING:
                return Step.DONE  # cancelled
            _write_chunk(job, client, rows, seen)
            job_claim(job_id=job.id, owner=owner, seconds=settings.TRANSFER_LEASE_SECONDS)
        return Step.MORE
    finally:
        job_release(job_id=job_id, owner=owner)


def _writable(job: TransferJob) -> QuerySet[SourceTrack]:
    bands = [SourceTrack.Band.MATCHED]
    if job.accept_suggestions:
        bands.append(SourceTrack.Band.REVIEW)
    return job.tracks.filter(band__in=bands).exclude(chosen_id="")


def _to_write(job: TransferJob) -> QuerySet[SourceTrack]:
    return _writable(job).filter(write_state=Write.PENDING)


def _create_playlist(job: TransferJob, client: AmazonMusicClient) -> None:
    playlist = client.create_playlist(
        job.destination_name or job.name,
        description="Transferred with Music Transfer",
        idempotency_key=str(job.id),
    )
    TransferJob.objects.filter(id=job.id, destination_ref="").update(
        destination_ref=playlist.id, destination_url=playlist.url or ""
    )
    job.refresh_from_db(fields=["destination_ref", "destination_url"])


def _already_written_ids(job: TransferJob, client: AmazonMusicClient) -> set[str]:
    """Catalog ids that must not be written again: earlier in this job, or already there."""
    seen = set(
        job.tracks.filter(write_state__in=[Write.WRITTEN, Write.ALREADY_THERE]).values_list(
            "chosen_id", flat=True
        )
    )
    if job.destination == Dest.EXISTING_PLAYLIST and job.skip_existing:
        seen.update(entry.track.id for entry in client.iter_playlist_tracks(job.destination_ref))
    return seen


def _keeps_repeats(job: TransferJob) -> bool:
    """A copy of an Amazon playlist into a new one keeps its intentional repeats."""
    return (
        job.source_kind == TransferJob.SourceKind.AMAZON_PLAYLIST
        and job.destination == Dest.NEW_PLAYLIST
    )


def _checkpoint_sent(job: TransferJob, client: AmazonMusicClient) -> None:
    """With repeats allowed, Amazon no longer drops a re-sent chunk, so before writing we
    compare: entries in the new playlist beyond the rows marked written were sent by a worker
    that died before its checkpoint; they are marked written instead of being sent twice."""
    written = job.tracks.filter(write_state=Write.WRITTEN).count()
    present = sum(1 for _ in client.iter_playlist_tracks(job.destination_ref))
    if present > written:
        ids = list(
            _to_write(job).order_by("position").values_list("id", flat=True)[: present - written]
        )
        SourceTrack.objects.filter(id__in=ids).update(write_state=Write.WRITTEN)


def _write_chunk(
    job: TransferJob, client: AmazonMusicClient, rows: list[SourceTrack], seen: set[str]
) -> None:
    fresh: list[SourceTrack] = []
    repeats: list[int] = []
    keep_repeats = _keeps_repeats(job)
    for row in rows:
        key = _write_key(job, row)
        if key in seen and not keep_repeats:
            repeats.append(row.id)
        else:
            seen.add(key)
            fresh.append(row)
    ids = [_write_key(job, row) for row in fresh]
    if ids:
        if job.destination in (Dest.NEW_PLAYLIST, Dest.EXISTING_PLAYLIST):
            client.add_playlist_tracks(job.destination_ref, ids, add_duplicates=keep_repeats)
        elif job.destination == Dest.LIBRARY_TRACKS:
            for track_id in ids:
                client.save_track(track_id)
        elif job.destination == Dest.LIBRARY_ALBUMS:
            for album_id in ids:
                client.save_album(album_id)
    # The checkpoint: Amazon has these now.
    now = timezone.now()
    SourceTrack.objects.filter(id__in=[r.id for r in fresh]).update(write_state=Write.WRITTEN)
    SourceTrack.objects.filter(id__in=repeats).update(write_state=Write.DUPLICATE)
    TransferJob.objects.filter(id=job.id).update(updated_at=now)
    progress.progress_written(job.id, len(rows))


def _write_key(job: TransferJob, row: SourceTrack) -> str:
    if job.destination == Dest.LIBRARY_ALBUMS:
        return str((row.chosen or {}).get("album_id") or row.chosen_id)
    return row.chosen_id


def _finish(job: TransferJob) -> None:
    job.tracks.filter(write_state=Write.PENDING).filter(
        ~Q(band=SourceTrack.Band.MATCHED) | Q(chosen_id="")
    ).update(write_state=Write.NOT_WRITTEN)
    TransferJob.objects.filter(id=job.id, state=TransferJob.State.WRITING).update(
        state=TransferJob.State.DONE, finished_at=timezone.now()
    )
    logger.info("Job %s written", job.id)
    queue_advance(user_id=job.user_id)  # a running slot is free: the person's next job starts


def _state(job_id: UUID | str) -> str:
    return str(TransferJob.objects.values_list("state", flat=True).get(id=job_id))
