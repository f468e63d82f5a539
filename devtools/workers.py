"""Real ``celery worker`` processes for measurements, on this process's database, Redis and Amazon.

Development tooling, like devtools/sandbox_server.py: the benchmark starts workers the way a
deployment runs them (separate processes, the shared Redis rate limiter between them) so that
what it measures is the product, not a stand-in. The environment of a worker is this process's
own plus the settings that may have been changed at run time (a test database's name, the
sandbox's URL, the rate limit), so the workers see exactly what the caller sees.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

REPO = Path(__file__).resolve().parent.parent
ALL_QUEUES = ("default", "match", "write", "sync")


def database_url(config: Mapping[str, Any]) -> str:
    """A DATABASE_URL that dj-database-url turns back into this DATABASES entry."""
    engine = str(config["ENGINE"])
    if engine.endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    if not engine.endswith("postgresql"):
        raise ValueError(f"Workers can only be started on SQLite or PostgreSQL, not {engine}")
    user = quote(str(config.get("USER") or ""), safe="")
    password = quote(str(config.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "127.0.0.1"
    port = config.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{quote(str(config['NAME']), safe='')}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment for a worker that shares this process's settings as they are now."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "transfer.settings",
            "DATABASE_URL": database_url(settings.DATABASES["default"]),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "AMAZON_MUSIC_API_URL": settings.AMAZON_MUSIC_API_URL,
            "AMAZON_MUSIC_API_KEY": settings.AMAZON_MUSIC_API_KEY,
            "AMAZON_MUSIC_RATE_LIMIT": str(settings.AMAZON_MUSIC_RATE_LIMIT or 0),
            "LWA_TOKEN_URL": settings.LWA_TOKEN_URL,
            "LWA_CLIENT_ID": settings.LWA_CLIENT_ID,
            "LWA_CLIENT_SECRET": settings.LWA_CLIENT_SECRET,
            "TRANSFER_MATCH_CHUNK": str(settings.TRANSFER_MATCH_CHUNK),
            "TRANSFER_WRITE_CHUNK": str(settings.TRANSFER_WRITE_CHUNK),
            "TRANSFER_MAX_TRACKS": str(settings.TRANSFER_MAX_TRACKS),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    """One ``celery worker`` process.

    ``concurrency`` 1 runs the solo pool, more runs that many threads: either way the tasks run
    in the worker's own process, so the API client's counters are flushed when it stops (a
    prefork child is killed without running its exit hooks).
    """

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        concurrency: int = 1,
        queues: tuple[str, ...] = ALL_QUEUES,
        name: str = "",
    ) -> None:
        self.env = dict(env)
        self.concurrency = concurrency
        self.queues = queues
        self.name = name or f"bench-{os.getpid()}-{id(self):x}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="worker-", suffix=".log")[1])

    def command(self) -> list[str]:
        pool = ["--pool", "solo"] if self.concurrency <= 1 else ["--pool", "threads"]
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "transfer",
            "worker",
            *pool,
            "--concurrency",
            str(max(1, self.concurrency)),
            "--queues",
            ",".join(self.queues),
            "--hostname",
            f"{self.name}@%h",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]

    def start(self) -> WorkerProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20) -> None:
        """A warm shutdown (SIGTERM: finish the current task), then SIGKILL if it hangs.

        The log is deleted after a clean exit and kept (its path is in ``log_path``) otherwise.
        """
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process.returncode == 0:
            self.log_path.unlink(missing_ok=True)

    def output(self, chars: int = 4000) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]


def running_workers(timeout: float = 1.0) -> list[str]:
    """Names of the workers that answer a ping on this process's broker right now."""
    from transfer.celery import app

    replies = app.control.ping(timeout=timeout) or []
    return sorted(name for reply in replies for name in reply)


class WorkerPool:
    """Several worker processes started and stopped together (a context manager)."""

    def __init__(
        self, count: int, *, concurrency: int = 1, env: Mapping[str, str] | None = None
    ) -> None:
        base = dict(env) if env is not None else worker_env()
        self.workers = [
            WorkerProcess(base, concurrency=concurrency, name=f"bench{i}-{os.getpid()}")
            for i in range(count)
        ]

    def start(self) -> WorkerPool:
        for worker in self.workers:
            worker.start()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Until every worker answers a ping, so the first measured second is not start-up."""
        deadline = time.monotonic() + timeout
        wanted = {w.name for w in self.workers}
        while time.monotonic() < deadline:
            dead = [w for w in self.workers if not w.alive()]
            if dead:
                raise RuntimeError(f"A worker exited at start:\n{dead[0].output()}")
            answered = {name.split("@", 1)[0] for name in running_workers()}
            if wanted <= answered:
                return
        raise RuntimeError("The workers did not answer a ping in time")

    def stop(self) -> None:
        for worker in self.workers:
            if worker.alive() and worker.process is not None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.workers:
            worker.stop()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
