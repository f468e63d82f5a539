"""``manage.py bench_call_overhead``: what each API call costs the worker around the request.

Measures CPU microseconds per call (``time.process_time``, so other processes on the machine
only add noise, not time) for the per-call work issue 17 profiled, old way against new:

* the access token: a database query and a Fernet decrypt on every call, against the
  process cache (transfer/amazon/tokens.py), whose only per-call cost is one Redis GET;
* Redis: a new client and TCP connection per call, against the shared pool (get_redis());
* requests: a session that scans the proxy environment on every call, against
  ``trust_env=False`` (catalog_client's session), on a local HTTP server.

It creates a throwaway user with a fake connection (no Amazon call is made) and deletes it.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from transfer.amazon import tokens
from transfer.amazon.models import AmazonConnection
from transfer.amazon.services import connection_access_token
from transfer.core.redis import get_redis


def cpu_us(call: Callable[[], object], n: int) -> float:
    call()  # warm: first connection, first query plan
    started = time.process_time()
    for _ in range(n):
        call()
    return round((time.process_time() - started) / n * 1e6, 1)


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


class Command(BaseCommand):
    help = "CPU microseconds per API call spent on token, Redis and proxy lookups, old vs new."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calls", type=int, default=2000, help="calls per measurement")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        n: int = options["calls"]
        user, _ = User.objects.get_or_create(username="bench-call-overhead")
        AmazonConnection.objects.update_or_create(
            user=user,
            defaults={
                "amazon_user_id": "bench",
                "access_token": "Atza|" + "a" * 300,
                "refresh_token": "Atzr|" + "r" * 300,
                "expires_at": timezone.now() + dt.timedelta(hours=1),
            },
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/v1/probe"
        key = "amt:bench:call-overhead"
        scanning, direct = requests.Session(), requests.Session()
        direct.trust_env = False
        try:
            uid = user.pk
            report = {
                "token_db_and_decrypt_us": cpu_us(lambda: connection_access_token(user_id=uid), n),
                "token_process_cache_us": cpu_us(lambda: tokens.cached_access_token(uid), n),
                "redis_new_client_us": cpu_us(
                    lambda: redis.Redis.from_url(settings.REDIS_URL).incr(key), n
                ),
                "redis_shared_pool_us": cpu_us(lambda: get_redis().incr(key), n),
                "requests_env_scan_us": cpu_us(lambda: scanning.get(url, timeout=5), n // 2),
                "requests_trust_env_false_us": cpu_us(lambda: direct.get(url, timeout=5), n // 2),
            }
        finally:
            server.shutdown()
            get_redis().delete(key)
            user.delete()
            tokens.forget_all()
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        for name, value in report.items():
            self.stdout.write(f"{name:32} {value:10.1f}")
