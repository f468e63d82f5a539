"""What the measurement commands share: a sandbox to measure against, a person, clean caches.

The commands measure the product itself (the same services, client and caches a deployment
runs), pointed at a sandbox server started as a separate process by the development tooling in
devtools/. Nothing here imports the sandbox's code: it is reached over HTTP, and its management
commands run as subprocesses.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.test.utils import override_settings
from django.utils import timezone

from catalog_client import read_counters
from devtools.running_sandbox import RunningSandbox
from devtools.sandbox_server import SandboxServer
from transfer.amazon.clients import music_client_for, reset_shared_client
from transfer.amazon.services import connection_store_login
from transfer.transfers.services.matching import DECISION_CACHE_VERSION


@contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """SIGTERM raises SystemExit meanwhile, so that the ``finally`` blocks stop the sandbox and
    workers a command started instead of leaving them running; the old handler comes back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def start_sandbox(
    *,
    seed_args: list[str],
    url: str = "",
    database: Path | None = None,
) -> SandboxServer:
    """A fresh sandbox seeded with ``seed_args``, or the running one at ``url``.

    The fresh one is seeded every time rather than copied from the test suite's cache
    (var/test-cache/ keeps a single database, and swapping it would slow the next test run).
    """
    if url:
        return RunningSandbox(url, database).start()
    return SandboxServer(seed_args=seed_args, cache=False).start()


def sandbox_manage(sandbox: SandboxServer, *args: str) -> None:
    """Run a sandbox management command against the sandbox's own database."""
    if isinstance(sandbox, RunningSandbox):
        sandbox.manage(*args)
    else:
        sandbox._manage(*args)


@contextmanager
def product_pointed_at(sandbox: SandboxServer, *, rate_limit: float) -> Iterator[None]:
    """This process's product settings aimed at the sandbox, as a deployment aims them at Amazon.

    ``rate_limit`` is the client's shared limit (AMAZON_MUSIC_RATE_LIMIT; 0 turns it off).
    """
    with ExitStack() as stack:
        stack.enter_context(
            override_settings(
                AMAZON_MUSIC_API_URL=sandbox.api_url,
                AMAZON_MUSIC_API_KEY=sandbox.api_key,
                LWA_AUTHORIZE_URL=f"{sandbox.base_url}/ap/oa",
                LWA_TOKEN_URL=f"{sandbox.base_url}/auth/o2/token",
                LWA_PROFILE_URL=f"{sandbox.base_url}/user/profile",
                LWA_REVOKE_URL=f"{sandbox.base_url}/auth/o2/token/revoke",
                LWA_CLIENT_ID=sandbox.client_id,
                LWA_CLIENT_SECRET=sandbox.client_secret,
                AMAZON_MUSIC_RATE_LIMIT=rate_limit,
            )
        )
        # The process-wide client was built from the old settings.
        reset_shared_client()
        stack.callback(reset_shared_client)
        yield


@contextmanager
def measuring_person(sandbox: SandboxServer, label: str, *, keep: bool = False) -> Iterator[User]:
    """A new sandbox account and a Django user connected to it; the user is deleted afterwards
    (with their jobs) unless ``keep``.

    A fresh account keeps the seeded people (alice...) as they are, whatever gets written.
    """
    tag = f"{label}-{uuid.uuid4().hex[:10]}"
    email = f"{tag}@example.com"
    sandbox.create_account(tag, email)
    tokens = sandbox.mint_token(email)
    user = User.objects.create_user(tag, email)
    try:
        connection_store_login(
            user=user,
            amazon_user_id=tokens.user_id,
            name=tag,
            email=email,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=timezone.now() + dt.timedelta(seconds=tokens.expires_in),
            scopes=tokens.scope.split(),
        )
        yield user
    finally:
        if not keep:
            # Cascades to the person's jobs, tracks and Amazon connection.
            User.objects.filter(pk=user.pk).delete()


def clear_matching_caches(user_id: int) -> tuple[int, int]:
    """Forget cached match decisions and catalog answers, so nothing comes from an earlier run.

    Returns (decisions, catalog entries) deleted. Only the caches' own keys go: sessions,
    progress, the broker and the rate limiter are untouched.
    """
    decisions = _delete_matching(cache.make_key(f"match:v{DECISION_CACHE_VERSION}:") + "*")
    client_cache = music_client_for(user_id).cache
    return decisions, client_cache.clear() if client_cache is not None else 0


def _delete_matching(pattern: str) -> int:
    client = redis_client()
    deleted = 0
    batch: list[Any] = []
    for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            deleted += int(client.delete(*batch))
            batch = []
    if batch:
        deleted += int(client.delete(*batch))
    return deleted


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@dataclass(frozen=True)
class Counters:
    """catalog_client's fleet-wide counters (every process on this Redis) at one moment."""

    values: dict[str, int]

    @classmethod
    def now(cls, user_id: int) -> Counters:
        # This process's own pending counts first; workers flush theirs when they stop.
        music_client_for(user_id).metrics.flush()
        return cls(read_counters(redis_client(), minutes=24 * 60))

    def __sub__(self, earlier: Counters) -> dict[str, int]:
        return {k: v - earlier.values.get(k, 0) for k, v in self.values.items()}


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process and all its descendants, from /proc.

    Children that have already exited and been reaped count in their parent's ``cutime`` only
    when the parent waited for them, so read this while the processes are still running.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(map(int, (task / "children").read_text().split()))
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(stat[11]) + int(stat[12])
    return total / ticks


def machine_cpu_seconds() -> float:
    """CPU seconds every core of the machine has been busy since boot (all processes), from
    /proc/stat: everything but idle and iowait."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # user .. steal, less idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float | None:
    """CPU seconds so far of the PostgreSQL server this process uses: every backend, live or
    ended (an ended backend's time is in the postmaster's children's time once reaped).

    The whole server, not one database: on a shared machine other databases' work is in it
    too. None when the database is not PostgreSQL, or its processes are not on this machine
    or not readable.
    """
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            (directory,) = cursor.fetchone()
        pid = int(Path(directory, "postmaster.pid").read_text().split()[0])
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError, DatabaseError):
        return None
    reaped = (int(stat[13]) + int(stat[14])) / os.sysconf("SC_CLK_TCK")
    return process_tree_cpu_seconds(pid) + reaped


@dataclass(frozen=True)
class CpuShares:
    """How many cores each side kept busy on average over a measured stretch of wall time."""

    workers: float
    sandbox: float | None
    machine: float | None
    cores: int
    # The most cores the workers can use at once (processes x threads; one core per thread).
    worker_slots: int
    # The PostgreSQL server (the workers' queries, mostly).
    database: float | None = None


# A side counts as the limit once it used this share of what it can use.
SATURATED = 0.85


def limiting_factor(shares: CpuShares, rate_over_limit: float, rate_goal: float) -> str:
    """Who set the pace: ``rate limit``, ``sandbox CPU``, ``worker CPU``, ``machine CPU`` or
    ``waiting`` (nobody's CPU was full: latency, polling, retries).

    The sandbox serves from one process, so its Python can keep one core busy at most.
    """
    if rate_over_limit >= rate_goal:
        return "rate limit"
    sandbox = shares.sandbox or 0.0
    if sandbox >= SATURATED:
        return "sandbox CPU"
    if shares.workers >= SATURATED * min(shares.worker_slots, shares.cores):
        return "worker CPU"
    if shares.machine is not None and shares.machine >= SATURATED * shares.cores:
        # Every core was busy: name the side that used most of them.
        database = shares.database or 0.0
        users = {
            "workers": shares.workers,
            "the sandbox": sandbox,
            "the database": database,
            "other processes": shares.machine - shares.workers - sandbox - database,
        }
        return f"machine CPU (mostly {max(users, key=lambda name: users[name])})"
    return "waiting"


def requests_served(stats: dict[str, Any], api_key: str) -> tuple[int, int]:
    """(requests, 429s) the sandbox counted for one x-api-key since its counters were zeroed."""
    mine = stats.get("by_api_key", {}).get(api_key, {})
    return int(mine.get("requests", 0)), int(mine.get("throttled", 0))
