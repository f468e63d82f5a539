"""pytest fixtures for a real sandbox server (the server itself: devtools/sandbox_server.py).

Use the session fixture ``sandbox_server`` (one server per test run), or ``sandbox``, the same
server with its run-time config and counters reset after each test::

    def test_something(sandbox):
        tokens = sandbox.mint_token("alice")
        requests.get(f"{sandbox.api_url}/me", headers=tokens.headers, timeout=10)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devtools.sandbox_server import (
    API_KEY,
    CLIENT_ID,
    CLIENT_SECRET,
    REPO,
    SandboxServer,
    Tokens,
)

__all__ = ["API_KEY", "CLIENT_ID", "CLIENT_SECRET", "REPO", "SandboxServer", "Tokens"]


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One sandbox server for the whole test session."""
    server = SandboxServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    """The session's sandbox server, with config, faults and counters reset after the test."""
    yield sandbox_server
    sandbox_server.reset()
