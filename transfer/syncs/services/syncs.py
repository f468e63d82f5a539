"""Creating, scheduling, pausing, resuming, running now and deleting syncs.

Who runs a sync is decided with conditional UPDATEs and one database constraint: the beat claims
a due sync by moving its ``next_run_at`` on only if it still holds the value it read, and a sync
can have only one queued or running ``SyncRun`` at a time. Two beats, or a beat and "Run now",
can therefore never run one sync twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from transfer.syncs import dispatch
from transfer.syncs.models import Sync, SyncRun

logger = logging.getLogger(__name__)

# A run still "running" this long after it started belonged to a worker that died.
STALE_RUNNING = dt.timedelta(minutes=20)
# A queued run waits for its retry countdown at most this long.
STALE_QUEUED = dt.timedelta(hours=3)
# Finished runs are history; an hourly sync would otherwise keep 8,760 of them a year.
RUNS_KEPT_FOR = dt.timedelta(days=90)


EXISTING_DESTINATIONS = (
    Sync.Destination.EXISTING_PLAYLIST,
    Sync.Destination.SPOTIFY_EXISTING_PLAYLIST,
)
AMAZON = (
    Sync.Destination.NEW_PLAYLIST,
    Sync.Destination.EXISTING_PLAYLIST,
    Sync.Destination.LIBRARY_TRACKS,
)


class SyncError(Exception):
    """Something the person must change (a source that cannot be synced...)."""


def sync_create(
    *,
    user: User,
    name: str,
    source_kind: str,
    source_ref: str,
    destination: str,
    destination_ref: str = "",
    destination_name: str = "",
    schedule: str = Sync.Schedule.DAILY,
    mode: str = Sync.Mode.ADDITIVE,
    run_now: bool = True,
) -> Sync:
    """Save the sync; its first run is queued at once (or at its first scheduled time)."""
    if destination in EXISTING_DESTINATIONS and not destination_ref:
        raise SyncError("Choose the playlist to keep in sync.")
    if source_kind.startswith(("spotify_", "youtube_")) and destination not in AMAZON:
        # Amazon Music is the centre: one side of every sync is Amazon Music.
        raise SyncError("A Spotify or YouTube source is kept in sync with Amazon Music.")
    if source_kind == Sync.SourceKind.AMAZON_LIBRARY and destination == (
        Sync.Destination.LIBRARY_TRACKS
    ):
        raise SyncError("The library cannot be synced into itself; choose a playlist.")
    if (
        source_kind == Sync.SourceKind.AMAZON_PLAYLIST
        and destination == Sync.Destination.EXISTING_PLAYLIST
        and destination_ref == source_ref
    ):
        raise SyncError("A playlist cannot be synced into itself.")
    now = timezone.now()
    interval = Sync.INTERVALS[Sync.Schedule(schedule)]
    with transaction.atomic():
        sync = Sync.objects.create(
            user=user,
            name=name[:300] or "Sync",
            source_kind=source_kind,
            source_ref=source_ref,
            destination=destination,
            destination_ref=destination_ref,
            destination_name=(destination_name or name)[:300],
            schedule=schedule,
            mode=mode,
            next_run_at=now + interval if run_now else now,
        )
        if run_now:
            run_queue(sync=sync, trigger=SyncRun.Trigger.MANUAL)
    logger.info("User %s created sync %s (%s)", user.pk, sync.id, source_kind)
    return sync


def sync_update(*, sync: Sync, schedule: str, mode: str) -> Sync:
    """Change how often and how a sync runs; the next run moves to fit the new schedule."""
    sync.schedule = schedule
    sync.mode = mode
    if not sync.paused:
        base = sync.last_run_at or timezone.now()
        sync.next_run_at = max(base + sync.interval, timezone.now())
    sync.save(update_fields=["schedule", "mode", "next_run_at", "updated_at"])
    return sync


def sync_pause(*, sync: Sync, reason: str = "") -> bool:
    paused = Sync.objects.filter(id=sync.id, paused=False).update(
        paused=True, pause_reason=(reason or "Paused by you.")[:500], updated_at=timezone.now()
    )
    return bool(paused)


def sync_resume(*, sync: Sync) -> bool:
    """Resume and run soon: the beat picks it up within a minute."""
    resumed = Sync.objects.filter(id=sync.id, paused=True).update(
        paused=False,
        pause_reason="",
        consecutive_failures=0,
        next_run_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return bool(resumed)


def sync_delete(*, sync: Sync) -> None:
    """Forget the sync and its history. What it wrote stays where it wrote it."""
    sync_id = sync.id
    sync.delete()
    logger.info("Deleted sync %s", sync_id)


def sync_run_now(*, sync: Sync) -> SyncRun | None:
    """Queue a run at once; None when one is already queued or running."""
    with transaction.atomic():
        return run_queue(sync=sync, trigger=SyncRun.Trigger.MANUAL)


def run_queue(*, sync: Sync, trigger: str) -> SyncRun | None:
    """A new queued run, its task sent after the commit; None if the sync has an active run."""
    try:
        with transaction.atomic():
            run = SyncRun.objects.create(sync=sync, trigger=trigger)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: dispatch.enqueue_run(run.id))
    return run


def syncs_enqueue_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Claim every due, unpaused sync once and queue a run of each. Returns how many."""
    now = now or timezone.now()
    due = list(
        Sync.objects.filter(paused=False, next_run_at__lte=now)
        .order_by("next_run_at")
        .values_list("id", "next_run_at", "schedule")[:limit]
    )
    queued = 0
    for sync_id, due_at, schedule in due:
        with transaction.atomic():
            claimed = Sync.objects.filter(id=sync_id, paused=False, next_run_at=due_at).update(
                next_run_at=_next_time(due_at, Sync.INTERVALS[Sync.Schedule(schedule)], now)
            )
            if not claimed:
                continue  # another beat took it
            sync = Sync(id=sync_id)
            if run_queue(sync=sync, trigger=SyncRun.Trigger.SCHEDULE) is not None:
                queued += 1
    return queued


def _next_time(due_at: dt.datetime | None, interval: dt.timedelta, now: dt.datetime) -> dt.datetime:
    """One interval on; after downtime, one interval from now rather than a burst of catch-ups."""
    following = (due_at or now) + interval
    return following if following > now else now + interval


def runs_recover(*, now: dt.datetime | None = None) -> int:
    """Close runs a dead worker left open, so their syncs run again on schedule; forget runs
    older than RUNS_KEPT_FOR. Returns how many were closed."""
    now = now or timezone.now()
    stale = SyncRun.objects.filter(state=SyncRun.State.RUNNING, started_at__lt=now - STALE_RUNNING)
    stale_queued = SyncRun.objects.filter(
        state=SyncRun.State.QUEUED, created_at__lt=now - STALE_QUEUED
    )
    SyncRun.objects.filter(finished_at__lt=now - RUNS_KEPT_FOR).exclude(
        state__in=SyncRun.ACTIVE_STATES
    ).delete()
    closed = 0
    for queryset in (stale, stale_queued):
        closed += queryset.update(
            state=SyncRun.State.FAILED,
            finished_at=now,
            message="The run was interrupted; the sync runs again at its next time.",
        )
    if closed:
        logger.warning("Closed %d interrupted sync run(s)", closed)
    return closed
