"""``manage.py bench_progress``: 200 people watching one job's progress (the goal: p99 <= 200 ms
with the compose file's 3 web workers, no errors).

Uses this process's database (migrated) and Redis: it makes a bench person and a 1,200-track
job that is matching, starts gunicorn like docker-compose.yml does, and has ``--viewers``
clients poll the progress partial as the page does for ``--seconds`` (see
``devtools/benchmarks/progress_viewers.py``). ``--closed`` makes every viewer ask again at
once instead of waiting the partial's interval: the most the web workers can serve. The
machine's load average is printed with the figures, since they depend on it.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from devtools.benchmarks import progress_viewers as bench
from transfer.formats.records import PlaylistRecord, TrackRecord
from transfer.transfers.models import TransferJob
from transfer.transfers.services import progress
from transfer.transfers.services.jobs import jobs_create

GOAL_P99_MS = 200.0


class Command(BaseCommand):
    help = "Concurrent viewers of one job's progress partial against gunicorn: p50/p99/errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--viewers", type=int, default=200)
        parser.add_argument("--seconds", type=float, default=30.0)
        workers, threads = bench.compose_web_workers()
        parser.add_argument("--workers", type=int, default=workers, help="default: compose's")
        parser.add_argument("--threads", type=int, default=threads, help="default: compose's")
        parser.add_argument("--closed", action="store_true", help="no wait between polls")
        parser.add_argument(
            "--change-every",
            type=float,
            default=0.5,
            help="seconds between recorded decisions (0: the job's progress does not move)",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user, _ = User.objects.get_or_create(username="bench-progress-viewer")
        [job] = jobs_create(
            user=user,
            playlists=[
                PlaylistRecord(
                    name="Watched by many",
                    tracks=[TrackRecord(title=f"Song {i}", artists=("Band",)) for i in range(1200)],
                )
            ],
            source_kind=TransferJob.SourceKind.TEXT,
            destination=TransferJob.Destination.NEW_PLAYLIST,
        )
        TransferJob.objects.filter(id=job.id).update(
            state=TransferJob.State.MATCHING, started_at=timezone.now()
        )
        progress.progress_start(job.id, stage="matching", total=1200)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key is not None
        path = f"/transfers/{job.id}/progress/"
        port = bench.free_port()
        server = bench.start_gunicorn(port, options["workers"], options["threads"])
        try:
            bench.wait_until_serving(port, path, session.session_key)
            with bench.Churn(job.id, every=options["change_every"]):
                results = bench.run_viewers(
                    port,
                    path,
                    session.session_key,
                    options["viewers"],
                    options["seconds"],
                    options["closed"],
                )
        finally:
            bench.stop(server)
            TransferJob.objects.filter(id=job.id).delete()
            session.delete()
        report = {
            "viewers": options["viewers"],
            "seconds": options["seconds"],
            "gunicorn_workers": options["workers"],
            "gunicorn_threads": options["threads"],
            "mode": "closed loop" if options["closed"] else "polling as the page does",
            "progress_changes_every_s": options["change_every"] or "never",
            **results.summary(),
            "goal_p99_ms": GOAL_P99_MS,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        for key, value in report.items():
            self.stdout.write(f"{key}: {value}")
