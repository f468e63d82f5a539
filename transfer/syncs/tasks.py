"""Celery tasks of syncs and backups (all on the ``sync`` queue): they take ids, call a service.

Failures that may pass (Amazon busy or down, a file server that timed out, too many transfers
running) are retried with exponential backoff and jitter, and the run says plainly what happened
and when it tries again; a rate limit waits exactly as long as Amazon asked, without counting as
a failure. A failure that will not pass by waiting fails the run with the reason.
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from celery.app.task import Task
from django.conf import settings

from catalog_client import AmazonMusicError, RateLimitedError
from transfer.amazon.services import AmazonUnavailable, ReconnectRequired
from transfer.connections.errors import (
    SERVICE_ERRORS,
    service_failure,
    service_retry_after,
    service_transient,
)
from transfer.syncs.fetch import FetchError
from transfer.syncs.services import runs, snapshots, syncs
from transfer.transfers.services.jobs import TransferError

logger = logging.getLogger(__name__)


def backoff(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: doubling, capped at an hour, jittered."""
    base = settings.SYNC_RETRY_BACKOFF_SECONDS
    return min(3600.0, base * 2**retries) + random.uniform(0, max(base, 0.0) / 4)


def _plainly(exc: Exception) -> str:
    if isinstance(exc, FetchError):
        return exc.message
    if isinstance(exc, AmazonMusicError):
        return f"Amazon Music answered: {exc.message}"
    if isinstance(exc, AmazonUnavailable):
        return "Login with Amazon could not be reached."
    return str(exc)


@shared_task(bind=True, name="transfer.syncs.tasks.run_sync", max_retries=None)
def run_sync(self: Task, run_id: str) -> str:
    try:
        run = runs.run_execute(run_id=run_id)
    except RateLimitedError as exc:
        countdown = exc.retry_after + random.uniform(0, 1)
        runs.run_retry_later(
            run_id=run_id, message="Amazon asked us to slow down.", countdown=countdown
        )
        raise self.retry(countdown=countdown) from exc
    except (AmazonMusicError, AmazonUnavailable, FetchError, runs.SyncBusy) as exc:
        transient = not isinstance(exc, AmazonMusicError | FetchError) or exc.transient
        if transient and self.request.retries < settings.SYNC_MAX_RETRIES:
            countdown = backoff(self.request.retries)
            runs.run_retry_later(run_id=run_id, message=_plainly(exc), countdown=countdown)
            raise self.retry(countdown=countdown) from exc
        runs.run_fail(run_id=run_id, message=_plainly(exc))
        return "failed"
    except TransferError as exc:  # a file that is no longer a playlist we can read
        runs.run_fail(run_id=run_id, message=str(exc))
        return "failed"
    except SERVICE_ERRORS as exc:  # Spotify or YouTube (transfer.connections)
        wait = service_retry_after(exc)
        if wait is not None or (
            service_transient(exc) and self.request.retries < settings.SYNC_MAX_RETRIES
        ):
            countdown = wait if wait is not None else backoff(self.request.retries)
            runs.run_retry_later(run_id=run_id, message=str(exc), countdown=countdown)
            raise self.retry(countdown=countdown) from exc
        runs.run_fail(run_id=run_id, message=service_failure(exc))
        return "failed"
    return run.state if run is not None else "not queued"


@shared_task(name="transfer.syncs.tasks.enqueue_due")
def enqueue_due() -> int:
    """Beat, every minute: queue the due syncs and close runs that dead workers left open."""
    syncs.runs_recover()
    return syncs.syncs_enqueue_due()


@shared_task(bind=True, name="transfer.syncs.tasks.take_snapshot", max_retries=None)
def take_snapshot(self: Task, user_id: int) -> str:
    try:
        snapshot = snapshots.snapshot_take(user_id=user_id)
    except RateLimitedError as exc:
        raise self.retry(countdown=exc.retry_after + random.uniform(0, 1)) from exc
    except (AmazonMusicError, AmazonUnavailable) as exc:
        transient = not isinstance(exc, AmazonMusicError) or exc.transient
        if transient and self.request.retries < settings.SYNC_MAX_RETRIES:
            raise self.retry(countdown=backoff(self.request.retries)) from exc
        snapshots.snapshot_failed(user_id=user_id, message=_plainly(exc))
        return "failed"
    except ReconnectRequired as exc:
        snapshots.snapshot_failed(user_id=user_id, message=f"Reconnect Amazon: {exc.reason}")
        return "failed"
    return str(snapshot.id)


@shared_task(name="transfer.syncs.tasks.backup_all")
def backup_all() -> int:
    """Beat, nightly: one snapshot task per connected person, spread over a few minutes."""
    return snapshots.snapshots_enqueue_nightly()
