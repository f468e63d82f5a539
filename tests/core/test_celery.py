from __future__ import annotations

import redis
from django.conf import settings

from transfer.celery import QUEUE_MATCH, QUEUE_WRITE, QUEUES
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


def test_tasks_are_routed_to_their_queues() -> None:
    router = celery_app.amqp.router
    assert router.route({}, "transfer.transfers.tasks.match_chunk")["queue"].name == QUEUE_MATCH
    assert router.route({}, "transfer.transfers.tasks.write_chunk")["queue"].name == QUEUE_WRITE
