"""Creating, starting, cancelling, resuming and re-running transfer jobs."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable, Iterable
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from transfer.core.choices import SourceKind, Strictness
from transfer.formats.records import PlaylistRecord, Problem, TrackRecord
from transfer.transfers import dispatch
from transfer.transfers.models import SourceTrack, TransferBatch, TransferJob
from transfer.transfers.services import progress, scheduling
from transfer.transfers.services.account import account_check_can_write
from transfer.transfers.services.errors import TransferError

logger = logging.getLogger(__name__)

# Track rows written per INSERT: big enough to be cheap per row, small enough to keep memory
# at one batch.
ROW_BATCH = 2000


def job_check_limit(*, user: User, adding: int = 1) -> None:
    """For syncs, which run later rather than queue: refuse past the person's running slots."""
    active = TransferJob.objects.filter(user=user, state__in=TransferJob.RUNNING_STATES).count()
    limit = settings.TRANSFER_MAX_ACTIVE_JOBS
    if active + adding > limit:
        raise TransferError(
            f"You can have at most {limit} transfers running at once; you have {active}. "
            "Wait for one to finish, or cancel one."
        )


@transaction.atomic
def jobs_create(
    *,
    user: User,
    playlists: list[PlaylistRecord],
    source_kind: str,
    source_format: str = "",
    source_ref: str = "",
    destination: str,
    destination_name: str = "",
    destination_ref: str = "",
    problems: Iterable[Problem] = (),
    dry_run: bool = False,
    skip_existing: bool = True,
    strictness: str = Strictness.BALANCED,
    accept_suggestions: bool = False,
    predecided: bool = False,
    on_rows: Callable[[int], object] | None = None,
) -> list[TransferJob]:
    """One job per playlist, its tracks stored in order. Nothing is sent to Amazon yet.

    ``on_rows`` hears how many track rows exist so far, after each batch (an upload's page
    shows it).

    ``predecided``: the tracks are already Amazon catalog tracks (an Amazon source), so their
    ``source_id`` is the match.
    """
    playlists = [p for p in playlists if p.tracks]
    if not playlists:
        raise TransferError("There are no tracks to transfer.")
    if sum(len(p.tracks) for p in playlists) > settings.TRANSFER_MAX_TRACKS:
        raise TransferError(
            f"That is more than {settings.TRANSFER_MAX_TRACKS:,} tracks; split it into smaller "
            "transfers."
        )
    batch = TransferBatch.objects.create(user=user) if len(playlists) > 1 else None
    problem_list = [{"line": p.line, "message": p.message} for p in problems]
    jobs = []
    created = 0
    for playlist in playlists:
        name = destination_name if destination_name and len(playlists) == 1 else playlist.name
        job = TransferJob.objects.create(
            user=user,
            batch=batch,
            name=name or "Imported playlist",
            source_kind=source_kind,
            source_format=source_format,
            source_ref=source_ref or playlist.source_id,
            destination=destination,
            destination_ref=destination_ref,
            destination_name=name or "Imported playlist",
            dry_run=dry_run,
            skip_existing=skip_existing,
            strictness=strictness,
            accept_suggestions=accept_suggestions,
            track_count=len(playlist.tracks),
            problems=problem_list,
        )
        # In batches, so that memory holds one batch of rows, not a whole library's.
        rows = (
            _row(job, position, track, predecided) for position, track in enumerate(playlist.tracks)
        )
        while batch_rows := list(itertools.islice(rows, ROW_BATCH)):
            _rows_insert(batch_rows)
            created += len(batch_rows)
            if on_rows is not None:
                on_rows(created)
        jobs.append(job)
    logger.info("Created %d transfer job(s) for user %s", len(jobs), user.pk)
    return jobs


def _rows_insert(rows: list[SourceTrack]) -> None:
    """Write a batch of new track rows: by COPY on PostgreSQL, where bulk_create's per-value
    preparation and one huge INSERT cost most of a library's job creation; bulk_create
    elsewhere (the demo's SQLite). Every concrete field but the id is written, as its
    ``pre_save`` gives it, so a field added to SourceTrack is copied too."""
    if connection.vendor != "postgresql":
        SourceTrack.objects.bulk_create(rows)
        return
    import psycopg
    from psycopg import sql
    from psycopg.types.json import Jsonb

    fields = [f for f in SourceTrack._meta.concrete_fields if not f.primary_key]
    json_fields = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(SourceTrack._meta.db_table),
        sql.SQL(", ").join([sql.Identifier(str(f.column)) for f in fields]),
    )
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor, cursor.copy(query) as copy:
        for row in rows:
            values = [f.pre_save(row, True) for f in fields]
            for i in json_fields:
                if values[i] is not None:
                    values[i] = Jsonb(values[i])
            copy.write_row(values)


def _row(job: TransferJob, position: int, track: TrackRecord, predecided: bool) -> SourceTrack:
    row = SourceTrack(
        job=job,
        position=position,
        title=track.title[:500],
        artists=list(track.artists),
        album=track.album[:500],
        duration_ms=track.duration_ms,
        isrc=track.isrc[:20],
        explicit=track.explicit,
        source_id=track.source_id[:300],
        line=track.line,
    )
    if predecided and track.source_id:
        row.band = SourceTrack.Band.MATCHED
        row.method = "amazon"
        row.chosen_id = track.source_id
        row.confidence = 1.0
        row.margin = 1.0
        row.explanation = "Already an Amazon Music track."
        row.decided_at = timezone.now()
        row.chosen = {
            "id": track.source_id,
            "title": track.title,
            "artists": list(track.artists),
            "album": track.album,
            "duration_ms": track.duration_ms,
            "isrc": track.isrc,
            "explicit": track.explicit,
            "image_url": "",
            "album_id": "",
        }
    return row


def job_start(*, job: TransferJob) -> bool:
    """READY -> QUEUED, once: every start is accepted, and runs when the person has a slot.

    Refused only for what waiting cannot fix: an account that cannot save to Amazon Music.
    """
    if job.writes_to_amazon:
        account_check_can_write(user_id=job.user_id)
    with transaction.atomic():
        queued = TransferJob.objects.filter(id=job.id, state=TransferJob.State.READY).update(
            state=TransferJob.State.QUEUED, queued_at=timezone.now(), error=""
        )
        if not queued:
            return False
        user_id = job.user_id
        transaction.on_commit(lambda: queue_advance(user_id=user_id))
    return True


def queue_advance(*, user_id: int) -> list[UUID]:
    """Start the person's queued jobs, oldest first, while they have free running slots.

    Called whenever one of their jobs stops using a slot, and by the minutely recovery. The
    person's row is locked so that two callers at once cannot overfill the slots.
    """
    started: list[UUID] = []
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user_id).first()
        running = TransferJob.objects.filter(
            user_id=user_id, state__in=TransferJob.RUNNING_STATES
        ).count()
        free = settings.TRANSFER_MAX_ACTIVE_JOBS - running
        if free <= 0:
            return started
        waiting = TransferJob.objects.filter(user_id=user_id, state=TransferJob.State.QUEUED)
        for job in waiting.order_by("queued_at", "created_at")[:free]:
            moved = TransferJob.objects.filter(id=job.id, state=TransferJob.State.QUEUED).update(
                state=TransferJob.State.MATCHING, started_at=timezone.now(), recoveries=0
            )
            if not moved:
                continue
            progress.progress_clear(job.id)
            progress.progress_start(job.id, stage="matching", total=job.track_count)
            started.append(job.id)
        if started:
            transaction.on_commit(lambda: [job_submit_matching(job_id=i) for i in started])
    if started:
        logger.info("Started %d queued job(s) of user %s", len(started), user_id)
    return started


def queue_position(*, job: TransferJob) -> int | None:
    """1 for the next of the person's queued jobs to start; None when not queued."""
    if job.state != TransferJob.State.QUEUED or job.queued_at is None:
        return None
    ahead = TransferJob.objects.filter(
        user_id=job.user_id, state=TransferJob.State.QUEUED, queued_at__lt=job.queued_at
    ).count()
    return ahead + 1


def job_submit_matching(*, job_id: UUID | str) -> int:
    """Hand the job's pending tracks to the fair scheduler, in chunks. Returns how many."""
    return dispatch.enqueue_matching(job_id)


def job_cancel(*, job: TransferJob) -> bool:
    cancelled = TransferJob.objects.filter(
        id=job.id, state__in=TransferJob.CANCELLABLE_STATES
    ).update(state=TransferJob.State.CANCELLED, finished_at=timezone.now())
    if cancelled:
        scheduling.job_forget(user_id=job.user_id, job_id=job.id)
        queue_advance(user_id=job.user_id)
    return bool(cancelled)


def job_resume(*, job: TransferJob) -> bool:
    """Pick a failed or stalled job up where it stopped: nothing done is done again.

    A failure that trying again cannot fix (``resumable`` off) is not resumed.
    """
    pending = job.tracks.filter(band=SourceTrack.Band.PENDING).exists()
    state = TransferJob.State.MATCHING if pending else TransferJob.State.WRITING
    with transaction.atomic():
        resumed = (
            TransferJob.objects.filter(id=job.id, resumable=True)
            .filter(Q(state=TransferJob.State.FAILED) | Q(state=state))
            .update(state=state, error="", lease_owner="", lease_until=None, recoveries=0)
        )
        if not resumed:
            return False
        if state == TransferJob.State.MATCHING:
            transaction.on_commit(lambda: job_submit_matching(job_id=job.id))
        else:
            transaction.on_commit(lambda: dispatch.enqueue_writing(job.id))
    return True


def job_fail(*, job_id: UUID | str, message: str, resumable: bool = True) -> None:
    """End the job with a reason the person reads; ``resumable=False`` when retrying is futile."""
    failed = (
        TransferJob.objects.filter(id=job_id)
        .exclude(state__in=TransferJob.FINISHED_STATES)
        .update(
            state=TransferJob.State.FAILED,
            error=message[:2000],
            resumable=resumable,
            finished_at=timezone.now(),
            lease_owner="",
            lease_until=None,
        )
    )
    logger.warning("Transfer job %s failed: %s", job_id, message)
    if failed:
        user_id = TransferJob.objects.values_list("user_id", flat=True).get(id=job_id)
        scheduling.job_forget(user_id=user_id, job_id=job_id)
        queue_advance(user_id=user_id)


def job_rerun(*, job: TransferJob) -> TransferJob:
    """A fresh job over the same source tracks (decisions are made again; pins still apply)."""
    tracks = [
        TrackRecord(
            title=t.title,
            artists=tuple(t.artists),
            album=t.album,
            duration_ms=t.duration_ms,
            isrc=t.isrc,
            explicit=t.explicit,
            source_id=t.source_id,
            line=t.line,
        )
        for t in job.tracks.all()
    ]
    [new] = jobs_create(
        user=job.user,
        playlists=[PlaylistRecord(name=job.name, tracks=tracks)],
        source_kind=job.source_kind,
        source_format=job.source_format,
        source_ref=job.source_ref,
        destination=job.destination,
        destination_name=job.destination_name,
        destination_ref=job.destination_ref
        if job.destination == TransferJob.Destination.EXISTING_PLAYLIST
        else "",
        dry_run=job.dry_run,
        skip_existing=job.skip_existing,
        strictness=job.strictness,
        accept_suggestions=job.accept_suggestions,
        predecided=SourceKind(job.source_kind).is_amazon,
    )
    return new


def job_claim(*, job_id: UUID | str, owner: str, seconds: int) -> bool:
    """Take the job's lease (writing is one worker at a time). True if this owner holds it."""
    now = timezone.now()
    return bool(
        TransferJob.objects.filter(id=job_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_until=now + dt.timedelta(seconds=seconds))
    )


def job_renew(*, job_id: UUID | str, owner: str, seconds: int) -> bool:
    """Extend the lease if ``owner`` still holds it (even lapsed: nobody took it meanwhile)."""
    return bool(
        TransferJob.objects.filter(id=job_id, lease_owner=owner).update(
            lease_until=timezone.now() + dt.timedelta(seconds=seconds)
        )
    )


def job_release(*, job_id: UUID | str, owner: str) -> None:
    TransferJob.objects.filter(id=job_id, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )
