"""Fixtures of the dashboard tests: a staff member, and Redis counters and queues that start
empty, so that every figure on the page comes from what the test put there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.syncs.conftest import file_server  # noqa: F401  (shared fixture)
from transfer.celery import QUEUES


@pytest.fixture
def staff(db: None) -> Client:
    user = User.objects.create_user("sam", "sam@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _quiet_redis() -> Iterator[None]:
    """No API, task or queue figures left over from other tests, before or after."""

    def clear() -> None:
        client = redis.Redis.from_url(settings.REDIS_URL)
        for pattern in ("amc:m:*", "amt:tasks:m:*", "amt:worker:*"):
            for key in client.scan_iter(match=pattern, count=1000):
                client.delete(key)
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*QUEUES)

    clear()
    yield
    clear()
