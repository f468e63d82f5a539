"""Many people watching one job: the progress partial under concurrent polling.

Starts gunicorn as docker-compose.yml runs it (its ``--workers`` and ``--threads``, DEBUG off) on
this process's database and Redis, makes a job that is matching (a thread records a decision
every half second, so the partial really changes), signs a person in, and runs ``viewers``
asyncio clients that poll like the page does: a GET with the last ETag in If-None-Match,
then the wait the partial's own ``hx-trigger="every Ns"`` asks for (``closed`` mode: no wait,
each viewer asks again at once, which measures the most the server can serve).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from devtools.workers import database_url

REPO = Path(__file__).resolve().parents[2]
_INTERVAL = re.compile(rb'hx-trigger="every (\d+)s"')


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(share: float) -> float:
            if not ordered:
                return float("nan")
            return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

        return {
            "requests": len(ordered),
            "requests_per_second": round(len(ordered) / self.seconds, 1) if self.seconds else 0,
            "p50_ms": pct(0.50),
            "p90_ms": pct(0.90),
            "p99_ms": pct(0.99),
            "max_ms": round(1000 * ordered[-1], 1) if ordered else float("nan"),
            "mean_ms": round(1000 * statistics.fmean(ordered), 1) if ordered else float("nan"),
            "errors": self.errors,
            "statuses": dict(sorted(self.statuses.items())),
        }


def compose_web_workers() -> tuple[int, int]:
    """(workers, threads) of the web service's gunicorn command in docker-compose.yml."""
    text = (REPO / "docker-compose.yml").read_text()
    command = next(line for line in text.splitlines() if "gunicorn transfer.wsgi" in line)
    workers = re.search(r"--workers (\d+)", command)
    threads = re.search(r"--threads (\d+)", command)
    return (int(workers.group(1)) if workers else 1, int(threads.group(1)) if threads else 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(env_extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process run as production runs it (DEBUG off), on this process's
    database, Redis and Amazon settings; ``env_extra`` on top."""
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # the session below is signed with it
            "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url(settings.DATABASES["default"]),
            "REDIS_URL": settings.REDIS_URL,
            "LOG_LEVEL": "WARNING",
        }
    )
    # Production settings insist on every Amazon setting; this process's values will do.
    for name in (
        "AMAZON_MUSIC_API_URL",
        "LWA_AUTHORIZE_URL",
        "LWA_TOKEN_URL",
        "LWA_PROFILE_URL",
        "LWA_REVOKE_URL",
        "LWA_CLIENT_ID",
        "LWA_CLIENT_SECRET",
        "AMAZON_MUSIC_API_KEY",
    ):
        env[name] = str(getattr(settings, name))
    env.update(env_extra or {})
    return env


def start_gunicorn(
    port: int,
    workers: int,
    threads: int,
    *,
    env_extra: dict[str, str] | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """gunicorn as compose runs it; ``env_extra`` on top of its environment, its stderr to
    ``log`` when given."""
    env = production_env(env_extra)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "transfer.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "2048",
    ]
    if log is not None:
        with log.open("ab") as handle:
            return subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=handle
            )
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait_until_serving(port: int, path: str, cookie: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = asyncio.run(_get(port, path, cookie, ""))
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not serve the progress partial in time")


async def _get(port: int, path: str, cookie: str, etag: str) -> tuple[int, bytes, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [
            f"GET {path} HTTP/1.1",
            "Host: 127.0.0.1",
            f"Cookie: sessionid={cookie}",
            "HX-Request: true",
            "Connection: close",
        ]
        if etag:
            lines.append(f"If-None-Match: {etag}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split()[1])
    headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    return status, body, headers.get("ETag", "")


async def _viewer(
    port: int, path: str, cookie: str, until: float, closed: bool, results: Results
) -> None:
    etag, wait = "", 1.0
    # Viewers open the page at different moments, not all in the same millisecond.
    await asyncio.sleep(wait * (hash((id(results), id(asyncio.current_task()))) % 1000) / 1000)
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            status, body, new_etag = await asyncio.wait_for(_get(port, path, cookie, etag), 30)
        except (OSError, TimeoutError, ValueError, IndexError):
            results.errors += 1
            await asyncio.sleep(0.5)
            continue
        results.latencies.append(time.perf_counter() - started)
        results.statuses[str(status)] = results.statuses.get(str(status), 0) + 1
        if status not in (200, 304):
            results.errors += 1
        if status == 200:
            etag = new_etag
            found = _INTERVAL.search(body)
            wait = float(found.group(1)) if found else wait
        if not closed:
            await asyncio.sleep(wait)


async def _run_viewers(
    port: int, path: str, cookie: str, viewers: int, seconds: float, closed: bool
) -> Results:
    results = Results()
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(_viewer(port, path, cookie, until, closed, results) for _ in range(viewers))
    )
    results.seconds = time.monotonic() - started
    return results


def run_viewers(
    port: int, path: str, cookie: str, viewers: int, seconds: float, closed: bool
) -> Results:
    return asyncio.run(_run_viewers(port, path, cookie, viewers, seconds, closed))


class Churn:
    """Records a decision on the job every ``every`` seconds, as a matching worker would."""

    def __init__(self, job_id: object, every: float = 0.5) -> None:
        self.job_id = job_id
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Churn:
        if self.every > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        from transfer.transfers.services import progress

        n = 0
        while not self._stop.wait(self.every):
            n += 1
            summary = {
                "position": n,
                "title": f"Song {n}",
                "artists": ["Band"],
                "band": "matched",
                "chosen": f"Song {n}",
                "confidence": 0.97,
            }
            progress.progress_decided(self.job_id, "matched", summary)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
