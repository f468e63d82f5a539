"""``manage.py bench_upload``: a whole library as one upload, through the real web and worker.

    manage.py bench_upload [--tracks 100000] [--json] [--keep-file PATH]

Writes an Exportify CSV of ``--tracks`` distinct tracks (real chart songs from sandbox/data/,
see devtools/benchmarks/upload.py) and checks it fits the upload limits; starts a sandbox (the
new-transfer page reads the person's Amazon account), gunicorn as docker-compose.yml runs it
(DEBUG off) and one Celery worker process (solo pool, so the reading runs in the process
measured); then posts the file over HTTP as a browser does and follows the upload to its
preview. A 20-track upload goes first, so that neither process pays its imports in the
measured one.

Reported: the request's wall time (the post, until its redirect) and the web workers' peak
memory added; the worker's phases from the upload's own progress (waiting in the queue, parse,
job creation with its SourceTrack rows, commit included), the worker's CPU seconds for it and
its peak resident memory (VmHWM) over its resident memory before (VmRSS), per track; the
preview page's time for the big job; and the load average at the start and the end (the
machine is shared: CPU seconds survive load better than wall times). PostgreSQL's own work
runs in its server processes and is not in the worker's CPU.

Uses this process's database (migrated) and Redis; give it a Redis database of its own, since
any other worker on the same broker would take the reading task.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from devtools.benchmarks import progress_viewers as web
from devtools.benchmarks.upload import Session, child_pids, library_csv, proc_status
from devtools.measuring import (
    measuring_person,
    process_tree_cpu_seconds,
    product_pointed_at,
    sigterm_as_exit,
    start_sandbox,
)
from devtools.workers import REPO, WorkerProcess, running_workers, worker_env
from transfer.transfers.models import SourceTrack, Upload
from transfer.transfers.services.upload_progress import upload_progress_read

TIMEOUT_SECONDS = 900


class Command(BaseCommand):
    help = "Time and memory of a whole-library upload: request, parse, job creation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tracks", type=int, default=100_000)
        workers, threads = web.compose_web_workers()
        parser.add_argument("--web-workers", type=int, default=workers, help="default: compose's")
        parser.add_argument("--web-threads", type=int, default=threads, help="default: compose's")
        parser.add_argument("--keep-file", type=Path, help="also write the CSV here")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        tracks: int = options["tracks"]
        data = library_csv(tracks)
        if options["keep_file"]:
            options["keep_file"].write_bytes(data)
        if len(data) > settings.TRANSFER_MAX_UPLOAD_BYTES or tracks > settings.TRANSFER_MAX_TRACKS:
            raise CommandError(
                f"{tracks:,} tracks make {len(data):,} bytes: past the limits "
                f"({settings.TRANSFER_MAX_TRACKS:,} tracks, "
                f"{settings.TRANSFER_MAX_UPLOAD_BYTES:,} bytes)"
            )
        self._note(f"Wrote a {tracks:,}-track Exportify CSV of {len(data):,} bytes.")
        # gunicorn runs with DEBUG off, which insists on a key of its own: share it.
        key = Fernet.generate_key().decode()
        with sigterm_as_exit(), override_settings(TOKEN_ENCRYPTION_KEYS=[key]):
            sandbox = start_sandbox(seed_args=["sandbox_seed", "--tracks", "10000", "--seed", "1"])
            try:
                with (
                    product_pointed_at(sandbox, rate_limit=0),
                    measuring_person(sandbox, "bench-upload") as user,
                ):
                    report = self._measure(user, data, tracks, key, options)
            finally:
                sandbox.stop()
        report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        for name, value in report.items():
            self.stdout.write(f"{name}: {value}")

    def _note(self, text: str) -> None:
        self.stderr.write(text)

    web_log = Path(tempfile.gettempdir()) / f"bench-upload-web-{os.getpid()}.log"

    def _measure(
        self, user: Any, data: bytes, tracks: int, key: str, options: dict[str, Any]
    ) -> dict[str, Any]:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        assert store.session_key is not None
        port = web.free_port()
        # Web and worker both run as production runs them: DEBUG off (with DEBUG on, Django
        # would also keep the SQL of every query, which the track inserts would swell).
        production = web.production_env(
            {
                "TOKEN_ENCRYPTION_KEYS": key,
                "TRANSFER_MAX_TRACKS": str(settings.TRANSFER_MAX_TRACKS),
                "TRANSFER_MAX_UPLOAD_BYTES": str(settings.TRANSFER_MAX_UPLOAD_BYTES),
            }
        )
        # The pages need the hashed static files, as the image collects them (git-ignored).
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=REPO,
            env=production,
            check=True,
        )
        server = web.start_gunicorn(
            port,
            options["web_workers"],
            options["web_threads"],
            env_extra=production,
            log=self.web_log,
        )
        worker = WorkerProcess(
            {**worker_env(), **production}, queues=("default",), name="bench-upload"
        ).start()
        try:
            browser = Session(f"http://127.0.0.1:{port}", store.session_key)
            self._wait_for_web(browser)
            self._wait_for_worker(worker)
            self._note("Warming up with a 20-track upload...")
            warm = browser.post_upload("/transfers/new/", "warm.csv", library_csv(20))
            self._follow(browser, warm, worker, timeout=120)
            assert worker.process is not None
            pid = worker.process.pid
            web_pids = child_pids(server.pid)
            web_before = {p: proc_status(p) for p in web_pids}
            worker_before = proc_status(pid)
            cpu_before = process_tree_cpu_seconds(pid)
            load_start = [round(x, 2) for x in os.getloadavg()]
            self._note(f"Posting {tracks:,} tracks...")
            posted = time.time()
            response = browser.post_upload("/transfers/new/", "library.csv", data)
            answered = time.time()
            web_after = {p: proc_status(p) for p in web_pids if Path(f"/proc/{p}").exists()}
            upload = self._follow(browser, response, worker)
            worker_cpu = process_tree_cpu_seconds(pid) - cpu_before
            worker_after = proc_status(pid)
            began = upload_progress_read(upload.id).began
            preview_started = time.perf_counter()
            preview = browser.get(f"/transfers/{upload.job_ids[0]}/")
            preview_seconds = time.perf_counter() - preview_started
            rows = SourceTrack.objects.filter(job_id__in=upload.job_ids).count()
        finally:
            worker.stop()
            web.stop(server)
            store.delete()
        added_kb = worker_after["VmHWM"] - worker_before["VmRSS"]
        web_added_kb = max(
            (web_after[p]["VmHWM"] - web_before[p]["VmRSS"] for p in web_after), default=0
        )
        return {
            "tracks": tracks,
            "file_bytes": len(data),
            "track_rows_created": rows,
            "web": f"gunicorn --workers {options['web_workers']} --threads "
            f"{options['web_threads']} (DEBUG off), posted over HTTP",
            "request_seconds": round(answered - posted, 3),
            "request_status": response.status_code,
            "web_peak_added_mb": round(web_added_kb / 1024, 1),
            "queue_wait_seconds": round(began["reading"] - answered, 3),
            "parse_seconds": round(began["creating"] - began["reading"], 3),
            "job_creation_seconds": round(began["done"] - began["creating"], 3),
            "upload_to_preview_seconds": round(began["done"] - posted, 3),
            "worker_cpu_seconds": round(worker_cpu, 2),
            "worker_rss_before_mb": round(worker_before["VmRSS"] / 1024, 1),
            "worker_peak_rss_mb": round(worker_after["VmHWM"] / 1024, 1),
            "worker_peak_added_mb": round(added_kb / 1024, 1),
            "worker_peak_added_bytes_per_track": round(added_kb * 1024 / tracks),
            "preview_page_seconds": round(preview_seconds, 3),
            "preview_status": preview.status_code,
            "load_average_start": load_start,
        }

    def _wait_for_web(self, browser: Session) -> None:
        deadline = time.monotonic() + 60
        answer = "no answer"
        while time.monotonic() < deadline:
            try:
                response = browser.get("/transfers/new/")
            except requests.ConnectionError:
                time.sleep(0.5)
                continue
            if response.status_code == 200:
                return
            answer = f"{response.status_code} {response.headers.get('Location', '')}"
            time.sleep(0.5)
        raise CommandError(
            f"gunicorn did not serve the new-transfer page: {answer}; its log: {self.web_log}"
        )

    def _wait_for_worker(self, worker: WorkerProcess) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not worker.alive():
                raise CommandError(f"The worker exited at start:\n{worker.output()}")
            if any(name.startswith(f"{worker.name}@") for name in running_workers()):
                return
        raise CommandError("The worker did not answer a ping in time")

    def _follow(
        self,
        browser: Session,
        response: Any,
        worker: WorkerProcess,
        *,
        timeout: float = TIMEOUT_SECONDS,
    ) -> Upload:
        """The posted upload, once read (or the reason it could not be)."""
        location = response.headers.get("Location", "")
        if response.status_code != 302 or "/transfers/uploads/" not in location:
            raise CommandError(f"The upload was refused ({response.status_code}): {location}")
        upload_id = location.rstrip("/").rsplit("/", 1)[-1]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            upload = Upload.objects.get(id=upload_id)
            if upload.state == Upload.State.FAILED:
                raise CommandError(f"The upload could not be read: {upload.error}")
            read = upload.state == Upload.State.DONE
            if read and "done" in upload_progress_read(upload_id).began:
                return upload
            time.sleep(0.1)
        raise CommandError(f"The upload was not read within {timeout:g} s:\n{worker.output()}")
