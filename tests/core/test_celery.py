from __future__ import annotations

import redis
from django.conf import settings

from transfer.celery import QUEUE_DEFAULT, QUEUE_MATCH, QUEUE_SYNC, QUEUE_WRITE, QUEUES
from transfer.celery import app as celery_app
from transfer.core.tasks import ping


def test_a_task_round_trips_through_a_real_worker_on_redis(celery_worker_thread) -> None:
    assert celery_app.conf.broker_url.startswith("redis://")
    result = ping.delay("hello")
    assert result.get(timeout=20) == {"pong": "hello"}
    # The broker really is the Redis the settings name, not an in-memory transport.
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.ping()


def test_the_app_is_configured_for_safe_delivery() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_time_limit
    assert conf.task_soft_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit
    declared = {queue.name for queue in conf.task_queues}
    assert declared == set(QUEUES)
    assert {QUEUE_MATCH, QUEUE_WRITE} <= declared


def _registered() -> set[str]:
    celery_app.loader.import_default_modules()
    return {name for name in celery_app.tasks if name.startswith("transfer.")}


def _queue_of(name: str) -> str:
    return celery_app.amqp.router.route({}, name)["queue"].name


# The tasks whose queue matters, by their registered names: matching in parallel, writing to
# Amazon in order, syncs apart, housekeeping on the default queue.
EXPECTED_QUEUES = {
    "transfer.transfers.tasks.match_chunk": QUEUE_MATCH,
    "transfer.transfers.tasks.write_job": QUEUE_WRITE,
    "transfer.transfers.tasks.recover_stalled": QUEUE_DEFAULT,
    "transfer.syncs.tasks.run_sync": QUEUE_SYNC,
    "transfer.syncs.tasks.take_snapshot": QUEUE_SYNC,
    "transfer.core.tasks.ping": QUEUE_DEFAULT,
}


def test_the_tasks_that_matter_are_registered_and_routed_to_their_queues() -> None:
    registered = _registered()
    missing = set(EXPECTED_QUEUES) - registered
    assert not missing, f"not registered (renamed?): {sorted(missing)}"
    for name, queue in EXPECTED_QUEUES.items():
        assert _queue_of(name) == queue, name


def test_every_registered_task_lands_on_a_declared_queue() -> None:
    for name in _registered():
        assert _queue_of(name) in QUEUES, name


def test_every_scheduled_task_exists() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled
    assert scheduled <= _registered()


def test_a_worker_loads_the_matchers_tables_before_it_starts_its_pool() -> None:
    from celery.signals import worker_init

    from transfer.celery import _preload_matcher

    receivers = [ref() for _, ref in worker_init.receivers]
    assert _preload_matcher in receivers
