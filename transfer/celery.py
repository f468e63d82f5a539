"""The Celery app: its queues, routes and delivery guarantees, declared in one place.

Tasks are acknowledged late so that a worker killed mid-task leaves the message on the broker
for another worker; every task is therefore written to be idempotent.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfer.settings")

# Matching is read-only and parallel; writing to Amazon must keep order, so it has its own queue
# that deployments can serve with a single-concurrency worker if they wish.
QUEUE_DEFAULT = "default"
QUEUE_MATCH = "match"
QUEUE_WRITE = "write"
QUEUE_SYNC = "sync"
QUEUES = (QUEUE_DEFAULT, QUEUE_MATCH, QUEUE_WRITE, QUEUE_SYNC)

app = Celery("transfer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue=QUEUE_DEFAULT,
    task_queues=[Queue(name) for name in QUEUES],
    task_routes={
        "transfer.transfers.tasks.match_*": {"queue": QUEUE_MATCH},
        "transfer.transfers.tasks.write_*": {"queue": QUEUE_WRITE},
        "transfer.syncs.tasks.*": {"queue": QUEUE_SYNC},
    },
    # With acks_late the broker must not redeliver a long task while it is still running.
    broker_transport_options={"visibility_timeout": 3600},
    result_expires=3600,
    broker_connection_retry_on_startup=True,
    worker_send_task_events=True,
    task_send_sent_event=True,
)
app.autodiscover_tasks()


@worker_init.connect
def _preload_matcher(**kwargs: Any) -> None:
    # In the worker's main process, before the pool starts: prefork children inherit the
    # matcher's tables (pykakasi's kanji table, the artist aliases) instead of each loading
    # them on its first Japanese title.
    from transfer.matching.scripts import preload

    preload()
