"""Fixtures for the Spotify tests: the sandbox server's Spotify stand-in, reset after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devtools.sandbox_server import SandboxServer, ServiceStandIns


@pytest.fixture
def standins(sandbox_server: SandboxServer) -> Iterator[ServiceStandIns]:
    services = ServiceStandIns(sandbox_server)
    yield services
    services.reset()
