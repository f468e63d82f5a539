"""A sandbox server that someone else started: steer it through the same SandboxServer methods.

The measurement commands normally start their own sandbox (devtools/sandbox_server.py). Given
``--sandbox-url`` they use a running one instead: its control API for tokens and rate limits,
and, when its database file is known too, its management commands (``_manage``) to load data.
"""

from __future__ import annotations

from pathlib import Path

from devtools.sandbox_server import SandboxServer


class RunningSandbox(SandboxServer):
    """A sandbox at ``base_url`` that this process neither starts nor stops."""

    def __init__(self, base_url: str, database_path: Path | None = None) -> None:
        super().__init__(cache=False)
        self._url = base_url.rstrip("/")
        self.database_path = database_path

    @property
    def base_url(self) -> str:
        return self._url

    def start(self) -> RunningSandbox:
        self._wait_until_healthy()
        return self

    def stop(self) -> None:
        """Not ours to stop."""

    def manage(self, *args: str) -> None:
        """Run a sandbox management command against this server's database."""
        if self.database_path is None:
            raise RuntimeError("The sandbox's database file is unknown (give --sandbox-db)")
        self._manage(*args)
