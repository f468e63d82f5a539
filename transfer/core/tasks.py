"""Housekeeping tasks, including the ping that proves a worker is consuming."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="transfer.core.tasks.ping")
def ping(payload: str) -> dict[str, str]:
    return {"pong": payload}
