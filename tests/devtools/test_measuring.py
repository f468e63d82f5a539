"""Who set a benchmark's pace, from the cores each side kept busy; the machine's CPU clock."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from devtools.measuring import (
    CpuShares,
    database_cpu_seconds,
    limiting_factor,
    machine_cpu_seconds,
)


def shares(
    workers: float,
    sandbox: float | None,
    machine: float | None,
    *,
    cores: int = 2,
    database: float | None = None,
) -> CpuShares:
    return CpuShares(
        workers=workers,
        sandbox=sandbox,
        machine=machine,
        cores=cores,
        worker_slots=4,
        database=database,
    )


@pytest.mark.parametrize(
    ("used", "rate_over_limit", "expected"),
    [
        # At the goal share of T the rate limit was the bound, however busy the CPUs were.
        (shares(1.9, 0.9, 2.0), 0.95, "rate limit"),
        # The sandbox serves from one process: near one core is all it can do.
        (shares(0.6, 0.9, 1.6), 0.5, "sandbox CPU"),
        (shares(1.8, 0.1, 1.95), 0.5, "worker CPU"),
        (shares(3.5, 0.2, 3.8, cores=8), 0.5, "worker CPU"),
        (shares(1.2, 0.5, 1.9), 0.6, "machine CPU (mostly workers)"),
        (shares(0.3, 0.4, 1.9), 0.6, "machine CPU (mostly other processes)"),
        (shares(0.4, 0.3, 1.9, database=0.9), 0.6, "machine CPU (mostly the database)"),
        (shares(0.4, 0.2, 0.8), 0.4, "waiting"),
        # A sandbox this process does not run: its CPU is unknown, not zero.
        (shares(0.4, None, None), 0.4, "waiting"),
    ],
)
def test_it_names_who_set_the_pace(used: CpuShares, rate_over_limit: float, expected: str) -> None:
    assert limiting_factor(used, rate_over_limit, 0.9) == expected


@pytest.mark.django_db
def test_the_database_clock_counts_the_servers_work() -> None:
    before = database_cpu_seconds()
    if before is None:
        pytest.skip("the PostgreSQL server's processes are not readable from here")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000)")
    after = database_cpu_seconds()
    assert after is not None
    assert after - before >= 0.05


def test_the_machine_clock_counts_busy_cpu_time() -> None:
    before = machine_cpu_seconds()
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert machine_cpu_seconds() - before >= 0.15
