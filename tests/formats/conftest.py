"""Fixtures for the file-format tests, which need no database, Redis or Django."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _clean_redis() -> None:
    """Overrides the suite-wide Redis flush: these tests never touch Redis, and must run
    with ``-p no:django`` where Django settings (and so REDIS_URL) are not configured."""


@pytest.fixture(autouse=True)
def _fresh_redis() -> None:
    """Overrides the suite-wide per-test Redis flush, for the same reason."""
