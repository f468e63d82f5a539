"""One run of a sync: read the source, find what is new, changed or gone, and act on it.

The steps, each safe to repeat after a crash or a retry:

1. Take stock of earlier runs (database only): tracks whose transfer finished are marked synced
   with the catalog id they became, or not found; tracks whose transfer failed or was cancelled
   are forgotten, so this run sends them again.
2. Read the source: one API call per page, nothing else (see ``sources``).
3. Compare with the sync's items. Nothing new or gone ends the run there.
4. Mirror mode: remove from the destination the catalog ids that only gone tracks had become,
   and only those the sync itself put there (a track that was in the destination before is
   the person's, not the sync's).
5. New or changed tracks become one transfer job (only those tracks), into the sync's playlist
   or library, with suggestions accepted and existing tracks skipped, started through the
   ordinary pipeline. The writer reads the destination and never adds a track it already has,
   so a run repeated, or a track already there, is never a duplicate.

The destination is Amazon Music, or a Spotify playlist, Liked Songs or a YouTube playlist
(``transfer.connections.syncs``): then the new tracks are matched against that service's
catalog and written by its writer, and "catalog id" is the service's track or video id. A
YouTube playlist is made by the first run's transfer, which waits for the day's quota like any
transfer into YouTube; later runs write into the playlist that transfer made.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog_client import AmazonMusicClient, NotFoundError, PermissionDeniedError
from transfer.amazon.clients import music_client_for
from transfer.amazon.models import AmazonConnection
from transfer.amazon.services import ReconnectRequired
from transfer.connections import syncs as service_syncs
from transfer.connections.tokens import ServiceReconnectRequired
from transfer.formats.records import PlaylistRecord
from transfer.syncs.models import Sync, SyncItem, SyncRun
from transfer.syncs.services.sources import SourceRead, reader_for, source_read
from transfer.syncs.services.syncs import sync_pause
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services.jobs import TransferError, job_check_limit, job_start, jobs_create

logger = logging.getLogger(__name__)

Item = SyncItem.State
Run = SyncRun.State
ACTIVE_JOB_STATES = (
    TransferJob.State.READY,
    TransferJob.State.MATCHING,
    TransferJob.State.REVIEW,
    TransferJob.State.WRITING,
)
SETTLED_WRITES = (
    SourceTrack.Write.WRITTEN,
    SourceTrack.Write.ALREADY_THERE,
    SourceTrack.Write.DUPLICATE,
)
# Written by the sync's own transfer (DUPLICATE: the same track as an earlier row it wrote).
OWN_WRITES = (SourceTrack.Write.WRITTEN, SourceTrack.Write.DUPLICATE)
AMAZON_DESTINATIONS = (
    Sync.Destination.NEW_PLAYLIST,
    Sync.Destination.EXISTING_PLAYLIST,
    Sync.Destination.LIBRARY_TRACKS,
)
# The transfer job each service destination becomes: the sync's playlist exists by then.
JOB_DESTINATIONS = {
    Sync.Destination.SPOTIFY_NEW_PLAYLIST: TransferJob.Destination.SPOTIFY_EXISTING_PLAYLIST,
    Sync.Destination.SPOTIFY_EXISTING_PLAYLIST: TransferJob.Destination.SPOTIFY_EXISTING_PLAYLIST,
    Sync.Destination.SPOTIFY_LIKED: TransferJob.Destination.SPOTIFY_LIKED,
    # The YouTube writer writes into ``destination_ref`` when there is one, else makes it.
    Sync.Destination.YOUTUBE_NEW_PLAYLIST: TransferJob.Destination.YOUTUBE_NEW_PLAYLIST,
    Sync.Destination.LIBRARY_TRACKS: TransferJob.Destination.LIBRARY_TRACKS,
}
JOB_SOURCE_KINDS = {
    Sync.SourceKind.AMAZON_PLAYLIST: TransferJob.SourceKind.AMAZON_PLAYLIST,
    Sync.SourceKind.AMAZON_LIBRARY: TransferJob.SourceKind.AMAZON_LIBRARY_TRACKS,
    Sync.SourceKind.URL: TransferJob.SourceKind.FILE,
    Sync.SourceKind.SPOTIFY_PLAYLIST: TransferJob.SourceKind.SPOTIFY_PLAYLIST,
    Sync.SourceKind.SPOTIFY_LIKED: TransferJob.SourceKind.SPOTIFY_LIKED,
    Sync.SourceKind.YOUTUBE_PLAYLIST: TransferJob.SourceKind.YOUTUBE_PLAYLIST,
}


class SyncBusy(Exception):
    """The person has too many transfers running; the run tries again later."""


def run_execute(*, run_id: UUID | str) -> SyncRun | None:
    """Carry out a queued run. None when it was not queued (a repeated delivery)."""
    now = timezone.now()
    claimed = SyncRun.objects.filter(id=run_id, state=Run.QUEUED).update(
        state=Run.RUNNING, started_at=now, message="", attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    run = SyncRun.objects.select_related("sync__user").get(id=run_id)
    sync = run.sync
    if sync.paused:
        return _finish(run, Run.SKIPPED, "The sync is paused.", ok=None)
    stage = "source"
    try:
        _require_connection(sync)
        if SyncRun.objects.filter(sync=sync, job__state__in=ACTIVE_JOB_STATES).exists():
            return _finish(
                run,
                Run.SKIPPED,
                "The last transfer of this sync is still running; the next run carries on.",
                ok=None,
            )
        _take_stock(sync)
        read = source_read(sync=sync)
        stage = "destination"
        return _apply(run, sync, read)
    except ReconnectRequired as exc:
        return _pause(
            run,
            sync,
            "Paused because your Amazon account is disconnected. Reconnect it, then resume "
            f"this sync. ({exc.reason or 'Amazon no longer accepts the sign-in.'})",
        )
    except service_syncs.ServiceWriteNotAllowed as exc:
        return _pause(run, sync, f"Paused: {exc.reason}")
    except ServiceReconnectRequired as exc:
        return _pause(
            run,
            sync,
            f"Paused because {exc.service} is disconnected. Connect it again on your account "
            f"page, then resume this sync. ({exc.reason})",
        )
    except PermissionDeniedError as exc:
        return _pause(run, sync, f"Paused because Amazon Music refused: {exc.user_message}")
    except service_syncs.SyncDestinationGone as exc:
        return _pause(
            run,
            sync,
            f"Paused because its {exc.service} playlist is gone. Delete this sync, or make a "
            "new one.",
        )
    except service_syncs.SERVICE_REFUSALS as exc:
        return _pause(run, sync, f"Paused because {exc.user_message}")
    except NotFoundError:
        where = "the playlist it copies from" if stage == "source" else "its playlist"
        return _pause(
            run,
            sync,
            f"Paused because {where} is no longer in your Amazon Music. Delete this sync, "
            "or put the playlist back and resume it.",
        )


def _pause(run: SyncRun, sync: Sync, reason: str) -> SyncRun:
    """Stop the schedule and say why: waiting would not help until the person acts."""
    sync_pause(sync=sync, reason=reason)
    return _finish(run, Run.PAUSED, reason, ok=False)


def _require_connection(sync: Sync) -> None:
    """Pause before any call when the account is known to be disconnected."""
    status = (
        AmazonConnection.objects.filter(user_id=sync.user_id)
        .values_list("status", "status_detail")
        .first()
    )
    if status is None:
        raise ReconnectRequired("No Amazon account is connected.")
    if status[0] != AmazonConnection.Status.ACTIVE:
        raise ReconnectRequired(status[1])
    # Spotify or YouTube as the destination: connected, and allowed to write (YouTube).
    service_syncs.service_write_check(user_id=sync.user_id, destination=sync.destination)


def _take_stock(sync: Sync) -> None:
    """Settle the items of earlier runs whose transfer has ended (database only)."""
    pending = list(
        SyncItem.objects.filter(sync=sync, state=Item.PENDING).values_list(
            "id", "position", "run__job_id", "run__job__state"
        )
    )
    by_job: dict[UUID, list[tuple[int, int | None]]] = defaultdict(list)
    forget: list[int] = []
    if sync.destination == Sync.Destination.YOUTUBE_NEW_PLAYLIST and not sync.destination_ref:
        _adopt_youtube_playlist(sync)
    for item_id, position, job_id, job_state in pending:
        if job_id is None or job_state in (TransferJob.State.FAILED, TransferJob.State.CANCELLED):
            forget.append(item_id)  # its transfer failed or is gone: send it again
        elif job_state == TransferJob.State.DONE:
            by_job[job_id].append((item_id, position))
    updates: list[SyncItem] = []
    for job_id, items in by_job.items():
        rows = {
            position: (chosen_id, write_state)
            for position, chosen_id, write_state in SourceTrack.objects.filter(
                job_id=job_id, position__in=[p for _, p in items if p is not None]
            ).values_list("position", "chosen_id", "write_state")
        }
        for item_id, position in items:
            chosen_id, write_state = (
                rows.get(position, ("", "")) if position is not None else ("", "")
            )
            if chosen_id and write_state in SETTLED_WRITES:
                updates.append(
                    SyncItem(
                        id=item_id,
                        state=Item.SYNCED,
                        catalog_id=chosen_id,
                        added_by_sync=write_state in OWN_WRITES,
                    )
                )
            else:
                updates.append(SyncItem(id=item_id, state=Item.NOT_FOUND, catalog_id=""))
    with transaction.atomic():
        SyncItem.objects.filter(id__in=forget).delete()
        SyncItem.objects.bulk_update(
            updates, ["state", "catalog_id", "added_by_sync"], batch_size=1000
        )


def _adopt_youtube_playlist(sync: Sync) -> None:
    """The YouTube playlist the sync's first transfer made (even one that failed later) is the
    sync's from then on, so no later run makes a second one."""
    made = (
        TransferJob.objects.filter(sync_runs__sync=sync)
        .exclude(destination_ref="")
        .order_by("created_at")
        .values_list("destination_ref", flat=True)
        .first()
    )
    if made:
        Sync.objects.filter(id=sync.id, destination_ref="").update(destination_ref=made)
        sync.refresh_from_db(fields=["destination_ref"])


def _apply(run: SyncRun, sync: Sync, read: SourceRead) -> SyncRun:
    rows = list(
        SyncItem.objects.filter(sync=sync).values_list("key", "catalog_id", "added_by_sync")
    )
    known = {key: catalog_id for key, catalog_id, _ in rows}
    own = {key for key, _, added in rows if added}
    new_keys = [key for key in read.tracks if key not in known]
    gone_keys = [key for key in known if key not in read.tracks]
    SyncRun.objects.filter(id=run.id).update(pages_read=read.pages, found=read.listed)
    run.pages_read, run.found = read.pages, read.listed

    removed = 0
    if gone_keys and sync.is_mirror:
        still_wanted = {known[k] for k in known if k in read.tracks and known[k]}
        doomed = {known[k] for k in gone_keys if known[k] and k in own} - still_wanted
        if doomed and (sync.destination_ref or sync.writes_to_a_library):
            removed = _remove_from_destination(sync, doomed)
    if gone_keys:
        SyncItem.objects.filter(sync=sync, key__in=gone_keys).delete()

    if not new_keys:
        if removed:
            message = f"Removed {_tracks(removed)} the source no longer has."
            return _finish(run, Run.DONE, message, removed=removed)
        message = "Nothing new."
        if gone_keys and not sync.is_mirror:
            message = f"Nothing new ({_tracks(len(gone_keys))} left the source; kept)."
        return _finish(run, Run.NOTHING_NEW, message, removed=removed)

    # One transfer at most per run; the rest count as new again next time.
    new_keys = new_keys[: settings.TRANSFER_MAX_TRACKS]
    try:
        job_check_limit(user=sync.user)
    except TransferError as exc:
        raise SyncBusy(str(exc)) from exc
    if sync.destination == Sync.Destination.NEW_PLAYLIST and not sync.destination_ref:
        _create_destination(sync)
    elif sync.destination == Sync.Destination.SPOTIFY_NEW_PLAYLIST and not sync.destination_ref:
        _create_spotify_destination(sync)
    elif sync.destination_service and sync.destination_ref:
        # As below: a playlist deleted on the service pauses the sync (one call or page).
        if not service_syncs.service_destination_exists(
            user_id=sync.user_id, destination=sync.destination, ref=sync.destination_ref
        ):
            raise service_syncs.SyncDestinationGone(sync.destination_service)
    elif sync.destination in (Sync.Destination.NEW_PLAYLIST, Sync.Destination.EXISTING_PLAYLIST):
        # One call, only when there is something to send: a deleted playlist pauses the sync
        # (NotFoundError) instead of failing a transfer every run.
        reader_for(sync.user_id).get_playlist(sync.destination_ref)
    # Amazon sources into Amazon are their own match; everything else is matched against the
    # destination's catalog (Amazon's, Spotify's or YouTube's).
    predecided = sync.destination in AMAZON_DESTINATIONS and sync.source_kind in (
        Sync.SourceKind.AMAZON_PLAYLIST,
        Sync.SourceKind.AMAZON_LIBRARY,
    )
    try:
        return _send_new(run, sync, read, new_keys, predecided=predecided, removed=removed)
    except TransferError as exc:  # the limit was reached meanwhile
        raise SyncBusy(str(exc)) from exc


def _send_new(
    run: SyncRun,
    sync: Sync,
    read: SourceRead,
    new_keys: list[str],
    *,
    predecided: bool,
    removed: int,
) -> SyncRun:
    """The new tracks as one started transfer job, and as pending items, in one transaction."""
    with transaction.atomic():
        [job] = jobs_create(
            user=sync.user,
            playlists=[PlaylistRecord(name=sync.name, tracks=[read.tracks[k] for k in new_keys])],
            source_kind=JOB_SOURCE_KINDS[Sync.SourceKind(sync.source_kind)],
            source_format=read.format,
            source_ref=sync.source_ref[:300],
            destination=JOB_DESTINATIONS.get(
                Sync.Destination(sync.destination), TransferJob.Destination.EXISTING_PLAYLIST
            ),
            destination_ref=sync.destination_ref,
            destination_name=sync.destination_name or sync.name,
            skip_existing=True,
            accept_suggestions=True,
            predecided=predecided,
        )
        SyncItem.objects.bulk_create(
            [
                SyncItem(
                    sync=sync,
                    key=key,
                    catalog_id=read.tracks[key].source_id[:32] if predecided else "",
                    run=run,
                    position=position,
                )
                for position, key in enumerate(new_keys)
            ],
            batch_size=1000,
        )
        job_start(job=job)
        SyncRun.objects.filter(id=run.id).update(job=job)
        run.job = job
        parts = [f"Sending {_tracks(len(new_keys))} new or changed"]
        if removed:
            parts.append(f"removed {_tracks(removed)}")
        return _finish(run, Run.DONE, "; ".join(parts) + ".", added=len(new_keys), removed=removed)


def _create_destination(sync: Sync) -> None:
    """The sync's own playlist, made once: the key makes a repeated create return the same."""
    client = music_client_for(sync.user_id)
    playlist = client.create_playlist(
        sync.destination_name or sync.name,
        description="Kept in sync by Music Transfer",
        idempotency_key=f"sync-{sync.id}",
    )
    Sync.objects.filter(id=sync.id, destination_ref="").update(destination_ref=playlist.id)
    sync.refresh_from_db(fields=["destination_ref"])


def _create_spotify_destination(sync: Sync) -> None:
    """The sync's own Spotify playlist, made once (found again by its marker after a crash)."""
    playlist_id, _ = service_syncs.spotify_sync_playlist(
        user_id=sync.user_id, sync_id=str(sync.id), name=sync.destination_name or sync.name
    )
    Sync.objects.filter(id=sync.id, destination_ref="").update(destination_ref=playlist_id)
    sync.refresh_from_db(fields=["destination_ref"])


def _remove_from_destination(sync: Sync, catalog_ids: set[str]) -> int:
    """Mirror mode: take these tracks out of the destination. Returns how many went."""
    if sync.destination_service:
        return service_syncs.service_remove(
            user_id=sync.user_id,
            destination=sync.destination,
            ref=sync.destination_ref,
            track_ids=catalog_ids,
        )
    writer: AmazonMusicClient = music_client_for(sync.user_id)
    if sync.destination == Sync.Destination.LIBRARY_TRACKS:
        for track_id in sorted(catalog_ids):
            writer.remove_track(track_id)
        return len(catalog_ids)
    entries = [
        entry.entry_id
        for entry in reader_for(sync.user_id).iter_playlist_tracks(sync.destination_ref)
        if entry.track.id in catalog_ids
    ]
    if entries:
        writer.remove_playlist_tracks(sync.destination_ref, entries)
    return len(entries)


def _finish(
    run: SyncRun,
    state: str,
    message: str,
    *,
    ok: bool | None = True,
    added: int = 0,
    removed: int = 0,
    failure: bool = False,
) -> SyncRun:
    """Close the run and tell the sync how it went."""
    now = timezone.now()
    SyncRun.objects.filter(id=run.id).update(
        state=state, message=message[:1000], finished_at=now, added=added, removed=removed
    )
    run.state, run.message, run.finished_at, run.added, run.removed = (
        state,
        message[:1000],
        now,
        added,
        removed,
    )
    if ok is not None:
        fields: dict[str, object] = {
            "last_run_at": now,
            "last_result": message[:1000],
            "last_ok": ok,
            "updated_at": now,
        }
        if ok:
            fields["consecutive_failures"] = 0
        Sync.objects.filter(id=run.sync_id).update(**fields)
    if failure:
        logger.warning("Sync run %s failed: %s", run.id, message)
    return run


def run_retry_later(*, run_id: UUID | str, message: str, countdown: float) -> None:
    """Back to queued, saying why and when the next try is."""
    SyncRun.objects.filter(id=run_id, state=Run.RUNNING).update(
        state=Run.QUEUED, message=f"{message} Trying again in {max(1, round(countdown))} s."[:1000]
    )


def run_fail(*, run_id: UUID | str, message: str) -> None:
    """The run failed for good: say so plainly, and pause the sync after too many in a row."""
    run = SyncRun.objects.select_related("sync").get(id=run_id)
    if run.state not in SyncRun.ACTIVE_STATES:
        return
    sync = run.sync
    _finish(run, Run.FAILED, message, ok=False, failure=True)
    Sync.objects.filter(id=sync.id).update(consecutive_failures=F("consecutive_failures") + 1)
    sync.refresh_from_db(fields=["consecutive_failures"])
    limit = settings.SYNC_PAUSE_AFTER_FAILURES
    if limit and sync.consecutive_failures >= limit:
        sync_pause(
            sync=sync,
            reason=f"Paused after {sync.consecutive_failures} failed runs in a row. "
            f"The last one said: {message}",
        )


def _tracks(n: int) -> str:
    return f"{n} track" if n == 1 else f"{n:,} tracks"
