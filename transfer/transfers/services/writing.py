"""The writing stage: save the matched tracks to Amazon Music in order, with checkpoints.

One delivery of the write task writes a job at a time: it takes the job row's lease under a
random owner token of its own (never the task id, which a duplicated message shares), keeps it
renewed from a small thread while it works, and checks that it still holds it before every
write to Amazon, so two deliveries running at once cannot both create or write. The lease is
short (TRANSFER_LEASE_SECONDS): a killed worker's job is taken over, and shown as "a worker
stopped; resuming", within seconds. Tracks go out in position order,
a chunk at a time; after Amazon accepts a chunk its rows are marked written in one UPDATE, the
checkpoint. A worker killed between the two re-sends that chunk on resume, which adds nothing:
playlist adds go with ``addDuplicateTracks: false`` and library saves are idempotent PUTs.
Nothing is ever written twice because each catalog id is written at most once per job.
"""

from __future__ import annotations

import enum
import logging
import secrets
import threading
import time
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog_client import AmazonMusicClient
from transfer.amazon.clients import music_client_for
from transfer.connections.pipeline import destination_service, service_write_step
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import progress
from transfer.transfers.services.jobs import job_claim, job_release, job_renew, queue_advance

logger = logging.getLogger(__name__)

Dest = TransferJob.Destination
Write = SourceTrack.Write


class Step(enum.Enum):
    MORE = "more"  # the time budget ran out: queue the next step
    DONE = "done"  # nothing left to write, or the job is no longer writing
    BUSY = "busy"  # another worker holds the job's lease: try again when it expires


def job_write_step(*, job_id: UUID | str, budget_seconds: float = 60.0) -> Step:
    """Write for up to ``budget_seconds`` and say what should happen next."""
    owner = secrets.token_hex(16)  # this delivery's own: a re-delivered message gets another
    seconds = settings.TRANSFER_LEASE_SECONDS
    if not job_claim(job_id=job_id, owner=owner, seconds=seconds):
        return Step.BUSY
    try:
        with LeaseKeeper(job_id=job_id, owner=owner, seconds=seconds) as lease:
            return _write(job_id, lease, budget_seconds)
    except LeaseLost:
        logger.warning("Lost the write lease of job %s to another worker; stopping", job_id)
        return Step.BUSY
    finally:
        job_release(job_id=job_id, owner=owner)


def _write(job_id: UUID | str, lease: LeaseKeeper, budget_seconds: float) -> Step:
    job = TransferJob.objects.get(id=job_id)
    if job.state != TransferJob.State.WRITING:
        return Step.DONE
    service = destination_service(job.destination)
    if service:  # Spotify or YouTube (transfer.connections.pipeline)
        lease.confirm()
        done = service_write_step(
            job_id=str(job.id), service=service, budget_seconds=budget_seconds
        )
        return Step.DONE if done else Step.MORE
    client = music_client_for(job.user_id)
    if job.destination == Dest.NEW_PLAYLIST and not job.destination_ref:
        lease.confirm()
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
        lease.confirm()
        _write_chunk(job, client, rows, seen, lease)
    return Step.MORE


class LeaseLost(Exception):
    """Another delivery holds the job's lease now: this one must not write."""


class LeaseKeeper:
    """Keeps this delivery's lease on a job alive from a thread while the delivery works.

    The thread renews every third of the lease, so a slow Amazon call never lets the lease
    lapse while its worker lives, and a killed worker's lease lapses within one lease time.
    ``confirm`` renews from the calling thread too and raises ``LeaseLost`` if another owner
    has it: it is the check made right before each write.
    """

    def __init__(self, *, job_id: UUID | str, owner: str, seconds: int) -> None:
        self.job_id = job_id
        self.owner = owner
        self.seconds = seconds
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.seconds)

    def confirm(self) -> None:
        if self._lost.is_set() or not job_renew(
            job_id=self.job_id, owner=self.owner, seconds=self.seconds
        ):
            self._lost.set()
            raise LeaseLost(str(self.job_id))

    def _run(self) -> None:
        try:
            while not self._stop.wait(max(self.seconds / 3, 0.2)):
                if not job_renew(job_id=self.job_id, owner=self.owner, seconds=self.seconds):
                    self._lost.set()
                    return
        except Exception:  # a database hiccup: the next confirm() in the writer decides
            logger.exception("Could not renew the write lease of job %s", self.job_id)
        finally:
            connection.close()  # this thread's own database connection


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
    job: TransferJob,
    client: AmazonMusicClient,
    rows: list[SourceTrack],
    seen: set[str],
    lease: LeaseKeeper,
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
                lease.confirm()
                client.save_track(track_id)
        elif job.destination == Dest.LIBRARY_ALBUMS:
            for album_id in ids:
                lease.confirm()
                client.save_album(album_id)
    # The checkpoint: Amazon has these now.
    now = timezone.now()
    with transaction.atomic():
        SourceTrack.objects.filter(id__in=[r.id for r in fresh]).update(write_state=Write.WRITTEN)
        SourceTrack.objects.filter(id__in=repeats).update(write_state=Write.DUPLICATE)
        TransferJob.objects.filter(id=job.id).update(updated_at=now)
    # Set from the database, not added to: a chunk sent twice can never count twice.
    progress.progress_set_written(job.id, _done(job))


def _done(job: TransferJob) -> int:
    return job.tracks.filter(
        write_state__in=[Write.WRITTEN, Write.ALREADY_THERE, Write.DUPLICATE]
    ).count()


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
