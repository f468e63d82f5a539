"""Fixtures for the product's own tests: settings pointed at the sandbox, people, a browser.

``amazon`` points every Amazon URL of the product at the session's sandbox server;
``alice``/``bob`` are signed-in people whose Amazon connections hold real sandbox tokens;
``page`` is a headless Chromium page (Debian's chromium, driven by Playwright) that fails the
test on any browser console error.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from catalog_client import AmazonMusicClient
from tests.sandbox_server import REPO, SandboxServer
from transfer.amazon.clients import reset_shared_client
from transfer.amazon.models import AmazonConnection
from transfer.amazon.services import connection_store_login

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def amazon(sandbox: SandboxServer, settings: Any) -> Iterator[SandboxServer]:
    """The product talks to the sandbox, as it would to Amazon."""
    settings.AMAZON_MUSIC_API_URL = sandbox.api_url
    settings.LWA_AUTHORIZE_URL = f"{sandbox.base_url}/ap/oa"
    settings.LWA_TOKEN_URL = f"{sandbox.base_url}/auth/o2/token"
    settings.LWA_PROFILE_URL = f"{sandbox.base_url}/user/profile"
    settings.LWA_REVOKE_URL = f"{sandbox.base_url}/auth/o2/token/revoke"
    settings.AMAZON_MUSIC_RATE_LIMIT = 0
    reset_shared_client()
    yield sandbox
    reset_shared_client()


@dataclass
class Person:
    user: User
    client: Client
    sandbox_account: str

    @property
    def connection(self) -> AmazonConnection:
        return AmazonConnection.objects.get(user=self.user)


def connect(sandbox: SandboxServer, account: str, *, expires_in: int | None = None) -> Person:
    tokens = sandbox.mint_token(account)
    user = User.objects.create_user(account, f"{account}@example.com")
    connection_store_login(
        user=user,
        amazon_user_id=tokens.user_id,
        name=account.title(),
        email=f"{account}@example.com",
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=timezone.now() + dt.timedelta(seconds=expires_in or tokens.expires_in),
        scopes=tokens.scope.split(),
    )
    client = Client()
    client.force_login(user)
    return Person(user, client, account)


class SandboxFootprint:
    """A sandbox person's playlists and library songs, put back as they were after a test.

    The sandbox server lives for the whole session, so a playlist one test makes, or a song it
    saves, would otherwise be seen by every later test as that person's own.
    """

    def __init__(self, sandbox: SandboxServer, account: str) -> None:
        self.sandbox = sandbox
        self.account = account
        with self._client() as client:
            self.playlists = {p.id for p in client.iter_my_playlists()}
            self.library = [item.track.id for item in client.iter_library_tracks()]

    def _client(self) -> AmazonMusicClient:
        tokens = self.sandbox.mint_token(self.account)
        return AmazonMusicClient(
            api_key=tokens.api_key,
            token_provider=tokens.access_token,
            base_url=self.sandbox.api_url,
        )

    def restore(self) -> None:
        # A test may have left faults or a rate limit switched on; the sandbox fixture would
        # reset them next anyway.
        self.sandbox.reset()
        with self._client() as client:
            for playlist in list(client.iter_my_playlists()):
                if playlist.id not in self.playlists:
                    client.delete_playlist(playlist.id)
            now = [item.track.id for item in client.iter_library_tracks()]
            for track_id in set(now) - set(self.library):
                client.remove_track(track_id)
            for track_id in [t for t in self.library if t not in set(now)]:
                client.save_track(track_id)


@pytest.fixture
def alice(amazon: SandboxServer, db: None) -> Iterator[Person]:
    footprint = SandboxFootprint(amazon, "alice")
    yield connect(amazon, "alice")
    footprint.restore()


@pytest.fixture
def bob(amazon: SandboxServer, db: None) -> Iterator[Person]:
    footprint = SandboxFootprint(amazon, "bob")
    yield connect(amazon, "bob")
    footprint.restore()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this is deliberate.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run `make test` (scripts/services.sh installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} ({msg.location.get('url')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


class WorkerProcess:
    """A real `celery worker` process on the test database, Redis and sandbox; killable."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="worker-", suffix=".log", delete=False)  # noqa: SIM115

    def start(self) -> WorkerProcess:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "transfer",
                "worker",
                "--pool",
                "solo",
                "--queues",
                "default,match,write,sync",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, exactly like a crashed machine."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]


@pytest.fixture
def worker_env(amazon: SandboxServer, settings: Any) -> dict[str, str]:
    """Environment for worker processes: the test database, test Redis, and the sandbox."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "true",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                f"{db['NAME']}"
            ),
            "REDIS_URL": settings.REDIS_URL,
            "AMAZON_MUSIC_API_URL": amazon.api_url,
            "LWA_TOKEN_URL": f"{amazon.base_url}/auth/o2/token",
            "AMAZON_MUSIC_RATE_LIMIT": "0",
        }
    )
    return env


@pytest.fixture
def start_worker(worker_env: dict[str, str]) -> Iterator[Any]:
    workers: list[WorkerProcess] = []

    def start(**extra_env: str) -> WorkerProcess:
        worker = WorkerProcess({**worker_env, **extra_env}).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
