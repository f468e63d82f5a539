"""How sync services queue their tasks without importing them (see transfers/dispatch.py)."""

from __future__ import annotations

from uuid import UUID

from celery import current_app

RUN_SYNC = "transfer.syncs.tasks.run_sync"
ENQUEUE_DUE = "transfer.syncs.tasks.enqueue_due"
TAKE_SNAPSHOT = "transfer.syncs.tasks.take_snapshot"
BACKUP_ALL = "transfer.syncs.tasks.backup_all"


def enqueue_run(run_id: UUID | str) -> None:
    current_app.send_task(RUN_SYNC, args=(str(run_id),))


def enqueue_snapshot(user_id: int, *, countdown: float = 0) -> None:
    current_app.send_task(TAKE_SNAPSHOT, args=(user_id,), countdown=countdown or None)
