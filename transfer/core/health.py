"""Liveness of the services the app cannot work without: the database and Redis."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from django.db import connections

from transfer.core.redis import get_redis


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the detail says which
        return Check("database", False, type(exc).__name__)
    return Check("database", True, connections["default"].vendor)


def check_redis() -> Check:
    try:
        get_redis(timeout=2).ping()
    except redis.RedisError as exc:
        return Check("redis", False, type(exc).__name__)
    return Check("redis", True, "ping")


def run_checks() -> list[Check]:
    return [check_database(), check_redis()]
