"""Shared helpers for the file-format tests: the sample files and hypothesis settings."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

# For every property test here. No deadline: a slow CI machine must not fail a property test
# (no timing assertions). Set per test, not as a global profile, to leave other suites alone.
PROPERTY = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=60,
    # The same examples on every run, so CI never fails on a case nobody saw locally.
    derandomize=True,
)


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()
