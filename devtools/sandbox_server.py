"""Run a real sandbox server: its own SQLite file, seeded, served by gunicorn on a free port.

Development tooling shared by the test suite, the benchmarks and the measurement commands; it
starts the sandbox as a separate process and talks to it over HTTP only.

The product's tests and the sandbox's own tests talk to it only over HTTP, as the product talks
to Amazon. Use the session fixture ``sandbox_server`` (one server per test run), or ``sandbox``,
the same server with its run-time config and counters reset after each test::

    def test_something(sandbox):
        tokens = sandbox.mint_token("alice")
        requests.get(f"{sandbox.api_url}/me", headers=tokens.headers, timeout=10)

Seeding takes a while, so the seeded database is cached under var/test-cache/, keyed on a hash
of the sandbox's source and the seed arguments, and copied for each session.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO / "var" / "test-cache"
START_TIMEOUT = 60.0
# Parts of the sandbox that only serve requests: editing them keeps the cached database.
SERVING_ONLY = frozenset(
    {"api", "lwa", "templates", "control.py", "urls.py", "README.md", "spotify", "youtube"}
)
SEED_TIMEOUT = 900

# The demo client the sandbox registers from its settings; the fixture pins the values so the
# environment of the machine cannot change them.
CLIENT_ID = "amzn1.application-oa2-client.demo0000000000000000000000000000"
CLIENT_SECRET = "amzn1.oa2-cs.v1.demo-secret"
API_KEY = "amzn1.application.00000000000000000000000000000demo"
REDIRECT_URIS = (
    "http://testserver/accounts/amazon/login/callback/",
    "http://127.0.0.1:8000/accounts/amazon/login/callback/",
    "http://localhost:8000/accounts/amazon/login/callback/",
)


# alice, bob, carol (UNLIMITED/PRIME), dave (FREE), erin (no Amazon Music); alice owns a
# 1,200-track playlist. See sandbox/catalog/people.py.
DEFAULT_SEED_ARGS = ("sandbox_seed", "--tracks", "10000", "--seed", "1")


@dataclass(frozen=True)
class Tokens:
    """What the control API's token minting returns, plus the headers a v1 call needs."""

    access_token: str
    refresh_token: str
    api_key: str
    client_id: str
    user_id: str
    music_user_id: str
    scope: str
    expires_in: int
    raw: dict[str, Any] = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "x-api-key": self.api_key}


class SandboxServer:
    """Start, stop and steer one sandbox server process."""

    def __init__(
        self,
        *,
        seed_args: list[str] | None = None,
        env: dict[str, str] | None = None,
        cache: bool = True,
    ) -> None:
        self.seed_args = seed_args or list(DEFAULT_SEED_ARGS)
        self.extra_env = env or {}
        self.cache = cache
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.api_key = API_KEY
        self.redirect_uris = list(REDIRECT_URIS)
        self.port = 0
        self.workdir: Path | None = None
        self.database_path: Path | None = None
        self.log_path: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: Any = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v1"

    @property
    def redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "sandbox.settings",
                "SANDBOX_DATABASE_PATH": str(self.database_path),
                "LWA_CLIENT_ID": self.client_id,
                "LWA_CLIENT_SECRET": self.client_secret,
                "AMAZON_MUSIC_API_KEY": self.api_key,
                "SANDBOX_REDIRECT_URIS": ",".join(self.redirect_uris),
                # Off unless a test turns it on, so no test is throttled by another's traffic.
                "SANDBOX_RATE_LIMIT": "0",
                "SANDBOX_CONTROL_API": "true",
                "SANDBOX_PUBLIC_URL": self.base_url,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self) -> SandboxServer:
        self.workdir = Path(tempfile.mkdtemp(prefix="sandbox-server-"))
        self.database_path = self.workdir / "sandbox.sqlite3"
        self.log_path = self.workdir / "server.log"
        self.port = _free_port()
        self._prepare_database()
        self._log_file = self.log_path.open("ab")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "sandbox.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--threads",
            "16",
            "--timeout",
            "120",
        ]
        if _gunicorn_has_control_socket():
            # Several servers on one machine would fight over the shared control socket.
            command.append("--no-control-socket")
        self._process = subprocess.Popen(
            command, cwd=REPO, env=self.env(), stdout=self._log_file, stderr=subprocess.STDOUT
        )
        atexit.register(self.stop)
        self._wait_until_healthy()
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self.workdir is not None and not os.environ.get("SANDBOX_KEEP_WORKDIR"):
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _manage(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            timeout=SEED_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode(errors="replace")[-4000:]
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{output}")

    def _prepare_database(self) -> None:
        assert self.database_path is not None
        cached = CACHE_DIR / f"sandbox-{self._cache_key()}.sqlite3"
        if self.cache and cached.exists():
            shutil.copyfile(cached, self.database_path)
            return
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage(*self.seed_args)
        # Fold the write-ahead log into the main file so a plain copy is complete.
        with sqlite3.connect(self.database_path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self.cache:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            for old in CACHE_DIR.glob("sandbox-*.sqlite3"):
                old.unlink(missing_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.partial")
            shutil.copyfile(self.database_path, partial)
            os.replace(partial, cached)

    def _cache_key(self) -> str:
        """A hash of the seed arguments and of every sandbox file that can change the data."""
        # The demo client row is written at seed time from these values.
        pinned = [*self.seed_args, self.client_id, self.client_secret, self.api_key]
        digest = hashlib.sha256(" ".join([*pinned, *self.redirect_uris]).encode())
        for path in sorted((REPO / "sandbox").rglob("*")):
            relative = path.relative_to(REPO / "sandbox")
            if (
                path.is_file()
                and "__pycache__" not in relative.parts
                and relative.parts[0] not in SERVING_ONLY
                and not relative.name.startswith("views_")
            ):
                digest.update(str(relative).encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()[:20]

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"The sandbox server exited:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"The sandbox server did not become healthy:\n{self.log_tail()}")

    # -- control API -------------------------------------------------------------------------

    def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = requests.request(
            method, f"{self.base_url}/_sandbox/{path}", json=body, timeout=30
        )
        if response.status_code >= 400:
            raise RuntimeError(f"{method} /_sandbox/{path}: {response.status_code} {response.text}")
        return response.json()

    def config(self) -> dict[str, Any]:
        return self._control("GET", "config")

    def configure(self, **config: Any) -> dict[str, Any]:
        """Change run-time settings, e.g. ``configure(rate_limit=5, faults={"http_500": 1})``."""
        return self._control("POST", "config", config)

    def reset(self) -> dict[str, Any]:
        """Defaults back, faults off, rate-limit buckets full, counters at zero."""
        return self._control("POST", "reset")

    def register_client(
        self,
        client_id: str,
        client_secret: str,
        security_profile_id: str,
        redirect_uris: list[str],
        *,
        name: str | None = None,
        music_enabled: bool = True,
    ) -> dict[str, Any]:
        return self._control(
            "POST",
            "clients",
            {
                "name": name or client_id,
                "client_id": client_id,
                "client_secret": client_secret,
                "security_profile_id": security_profile_id,
                "redirect_uris": redirect_uris,
                "music_enabled": music_enabled,
            },
        )

    def allow_redirect_uri(self, uri: str) -> None:
        """Add a redirect URI (e.g. a live_server callback) to the demo client."""
        if uri not in self.redirect_uris:
            self.redirect_uris.append(uri)
        self.register_client(self.client_id, self.client_secret, self.api_key, self.redirect_uris)

    def create_account(
        self,
        name: str,
        email: str,
        *,
        subscription_tier: str = "UNLIMITED",
        has_music_account: bool = True,
    ) -> dict[str, Any]:
        return self._control(
            "POST",
            "accounts",
            {
                "name": name,
                "email": email,
                "subscription_tier": subscription_tier,
                "has_music_account": has_music_account,
            },
        )

    def mint_token(
        self, account: str = "alice", scopes: list[str] | None = None, client_id: str | None = None
    ) -> Tokens:
        body: dict[str, Any] = {}
        if scopes is not None:
            body["scopes"] = scopes
        if client_id is not None:
            body["client_id"] = client_id
        raw = self._control("POST", f"accounts/{account}/token", body)
        return Tokens(
            access_token=raw["access_token"],
            refresh_token=raw["refresh_token"],
            api_key=raw["api_key"],
            client_id=raw["client_id"],
            user_id=raw["user_id"],
            music_user_id=raw["music_user_id"],
            scope=raw["scope"],
            expires_in=raw["expires_in"],
            raw=raw,
        )

    def stats(self) -> dict[str, Any]:
        return self._control("GET", "stats")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _gunicorn_has_control_socket() -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, check=False, timeout=30
    )
    return b"--no-control-socket" in result.stdout


class ServiceStandIns:
    """Steer the Spotify and Google/YouTube stand-ins of a running sandbox server.

    ``spotify_api``/``youtube_api``/``google_url``/``spotify_accounts`` are the base URLs the
    product's settings point at; the methods wrap /_sandbox/spotify/ and /_sandbox/youtube/.
    """

    def __init__(self, server: SandboxServer) -> None:
        self.server = server

    @property
    def spotify_api(self) -> str:
        return f"{self.server.base_url}/spotify/v1"

    @property
    def spotify_accounts(self) -> str:
        return f"{self.server.base_url}/spotify/accounts"

    @property
    def google_url(self) -> str:
        return f"{self.server.base_url}/google"

    @property
    def youtube_api(self) -> str:
        return f"{self.server.base_url}/youtube/v3"

    def spotify(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.server._control(method, f"spotify/{path}", body)

    def youtube(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.server._control(method, f"youtube/{path}", body)

    def spotify_person(
        self, name: str, *, liked: int = 0, playlists: list[int] | None = None, albums: int = 0
    ) -> dict[str, Any]:
        body = {"name": name, "liked": liked, "playlists": playlists or [], "albums": albums}
        return self.spotify("POST", "accounts", body)

    def spotify_token(self, name: str, scopes: list[str] | None = None) -> dict[str, Any]:
        return self.spotify("POST", f"accounts/{name}/token", {"scopes": scopes} if scopes else {})

    def youtube_person(self, name: str, *, playlists: list[int] | None = None) -> dict[str, Any]:
        return self.youtube("POST", "accounts", {"name": name, "playlists": playlists or []})

    def youtube_token(self, name: str, scopes: list[str] | None = None) -> dict[str, Any]:
        return self.youtube("POST", f"accounts/{name}/token", {"scopes": scopes} if scopes else {})

    def reset(self) -> None:
        self.spotify("POST", "reset")
        self.youtube("POST", "reset")
