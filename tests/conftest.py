"""Fixtures shared by the whole suite: real Redis, real Celery workers, personas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

pytest_plugins = ["tests.sandbox_server", "tests.product_fixtures"]

# Tiers (README, "Tests"): a test is marked by the fixtures it uses, so a new test lands in the
# right tier without anyone remembering to mark it. `make test-fast` deselects these.
TIER_FIXTURES = {
    "browser": {"browser", "page"},
    "workers": {"celery_worker_thread", "start_worker", "worker_env"},
}


TOOLING_TESTS = Path(__file__).resolve().parent / "sandbox"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in TIER_FIXTURES.items():
            if used & fixtures:
                item.add_marker(marker)
        # The sandbox's own tests check the stand-in, not the product.
        if TOOLING_TESTS in item.path.parents:
            item.add_marker("tooling")


@pytest.fixture(scope="session", autouse=True)
def _clean_redis() -> Iterator[None]:
    """Start the session with an empty test Redis database (scripts/test.sh picks its own)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture(autouse=True)
def _fresh_redis() -> Iterator[None]:
    """Each test starts from an empty test Redis: no cached catalog answer, decision, progress,
    rate-limit bucket or queued task of another test can change what it sees. Torn down last,
    after any worker the test started has stopped."""
    yield
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@pytest.fixture
def celery_worker_thread() -> Iterator[object]:
    """A real Celery worker consuming every queue from the real Redis broker, in a thread."""
    from celery.contrib.testing.worker import start_worker

    from transfer.celery import QUEUES
    from transfer.celery import app as celery_app

    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        queues=list(QUEUES),
        shutdown_timeout=10,
    ) as worker:
        yield worker
