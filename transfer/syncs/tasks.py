"""Celery tasks of syncs and backups (all on the ``sync`` queue): they take ids, call a service.

Failures that may pass (Amazon busy or down, a file server that timed out, too many transfers
running) are retried with exponential backoff and jitter, and the run says plainly what happened
and when it tries again; a rate limit waits exactly as long as Amazon asked, without counting as
a failure. A failure that will not pass by waiting fails the run with the reason. The policy is
the one in transfer/core/retrying.py, with the sync settings' budget.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.app.task import Task

from catalog_client import AmazonMusicError
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.connections.errors import SERVICE_ERRORS, service_failure
from transfer.core.retrying import RetryPolicy, RetryState, Verdict, reschedule
from transfer.syncs import dispatch
from transfer.syncs.fetch import FetchError
from transfer.syncs.services import runs, snapshots, syncs
from transfer.transfers.services.jobs import TransferError

logger = logging.getLogger(__name__)


# What a run can meet: Amazon, a file at a URL, a busy person, and Spotify or YouTube sources.
RUN_ERRORS: tuple[type[Exception], ...] = (
    AmazonMusicError,
    AmazonUnavailable,
    FetchError,
    runs.SyncBusy,
    *SERVICE_ERRORS,
)


class _Busy(Exception):
    """SyncBusy as the retry policy sees it: transient, with a plain reason."""

    transient = True

    def __init__(self, busy: runs.SyncBusy) -> None:
        super().__init__(str(busy))
        self.user_message = str(busy) or "Too many transfers are running."


def _plainly(exc: BaseException) -> str:
    if isinstance(exc, SERVICE_ERRORS):
        return service_failure(exc)
    if isinstance(exc, FetchError):
        return exc.message
    if isinstance(exc, AmazonMusicError):
        if exc.status is not None:
            return f"Amazon Music answered: {exc.user_message}"
        return exc.user_message
    if isinstance(exc, AmazonUnavailable):
        return "Login with Amazon could not be reached."
    return str(exc)


@shared_task(bind=True, name=dispatch.RUN_SYNC, max_retries=None)
def run_sync(self: Task, run_id: str, retry_state: dict[str, Any] | None = None) -> str:
    try:
        run = runs.run_execute(run_id=run_id)
    except RUN_ERRORS as exc:
        failure: BaseException = _Busy(exc) if isinstance(exc, runs.SyncBusy) else exc
        decision = RetryPolicy.for_syncs().decide(failure, RetryState.load(retry_state))
        if decision.verdict is Verdict.GIVE_UP:
            runs.run_fail(run_id=run_id, message=_plainly(exc))
            return "failed"
        message = (
            "Amazon asked us to slow down."
            if decision.verdict is Verdict.WAIT and not isinstance(exc, SERVICE_ERRORS)
            else _plainly(exc)
        )
        runs.run_retry_later(run_id=run_id, message=message, countdown=decision.countdown)
        reschedule(self, decision, exc)
    except TransferError as exc:  # a file that is no longer a playlist we can read
        runs.run_fail(run_id=run_id, message=str(exc))
        return "failed"
    return run.state if run is not None else "not queued"


@shared_task(name=dispatch.ENQUEUE_DUE)
def enqueue_due() -> int:
    """Beat, every minute: queue the due syncs and close runs that dead workers left open."""
    syncs.runs_recover()
    return syncs.syncs_enqueue_due()


@shared_task(bind=True, name=dispatch.TAKE_SNAPSHOT, max_retries=None)
def take_snapshot(self: Task, user_id: int, retry_state: dict[str, Any] | None = None) -> str:
    try:
        snapshot = snapshots.snapshot_take(user_id=user_id)
    except (AmazonMusicError, AmazonUnavailable) as exc:
        decision = RetryPolicy.for_syncs().decide(exc, RetryState.load(retry_state))
        if decision.verdict is Verdict.GIVE_UP:
            snapshots.snapshot_failed(user_id=user_id, message=_plainly(exc))
            return "failed"
        reschedule(self, decision, exc)
    except ReconnectRequired as exc:
        snapshots.snapshot_failed(user_id=user_id, message=f"Reconnect Amazon: {exc.reason}")
        return "failed"
    return str(snapshot.id)


@shared_task(name=dispatch.BACKUP_ALL)
def backup_all() -> int:
    """Beat, nightly: one snapshot task per connected person, spread over a few minutes."""
    return snapshots.snapshots_enqueue_nightly()
