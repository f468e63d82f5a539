"""``manage.py bench_transfer``: transfers end to end, against the sandbox, under a rate limit.

    manage.py bench_transfer [--rate 20] [--workers 4] [--concurrency 1] [--tracks 10000]
                             [--copy 1000] [--catalog 50000] [--json] [--keep-sandbox]
    manage.py bench_transfer --fairness [--tracks 10000] [--small 30] [--json]

Starts a sandbox seeded with ``--catalog`` tracks and limits it to ``--rate`` (T) requests per
second, starts ``--workers`` real ``celery worker`` processes (AMAZON_MUSIC_RATE_LIMIT=T, so the
client's shared Redis limiter keeps them under it together), then measures three phases:

1. import: a CSV of ``--tracks`` catalog tracks as another service lists them (written by the
   sandbox's ``sandbox_export_tracks``: half without ISRC, lead artist only, no album, ...)
   imported into a new playlist, every matched and review track written (accept_suggestions);
2. copy: an Amazon playlist of ``--copy`` tracks copied to a new playlist;
3. re-run: the import again (job_rerun) with the caches the import left warm.

``--fairness`` measures the fair share across people instead: a ``--small``-track import by
one person alone (``small_idle_s``), then a ``--tracks`` import by another person and, once it
is under way, the same-size small import by the first person (``small_behind_big_s``, other
tracks of the catalog so no cache helps it); each small time runs from the start to the end of
the job (matched and written). The big job runs to its end for its throughput (API calls per
second over T during its matching stage). Goals: small_behind_big_s <= 2 x small_idle_s, and
the big job at >= 0.9 of T.

Per phase: wall time, tracks/s, API calls (as the sandbox counted them) and calls per track,
the catalog cache's hit rate and the share of tracks decided from the decision cache, the
achieved request rate over T, 429s served and failed tracks; the CPU the workers and the sandbox
spent (ms per track, ms per request) and the cores they and the whole machine kept busy, from
which a line "limit:" names who set the pace: the rate limit (at >= 0.9 of T), sandbox CPU (its
one server process near a full core), worker CPU, machine CPU (every core busy; the biggest user
named: workers, the sandbox, the PostgreSQL server or other processes), or waiting (nobody's
CPU full). Goals: the import at >= 0.9 of T
with no failed track; the re-run at <= 0.05 calls per track. Decision and catalog caches are
cleared first, so the import starts cold. Workers are restarted for each phase so that each
phase's client counters are complete when it is read (a worker sends them as it stops).
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.test.utils import override_settings

from devtools.measuring import (
    Counters,
    CpuShares,
    clear_matching_caches,
    database_cpu_seconds,
    limiting_factor,
    machine_cpu_seconds,
    measuring_person,
    process_tree_cpu_seconds,
    product_pointed_at,
    requests_served,
    sandbox_manage,
    sigterm_as_exit,
    start_sandbox,
)
from devtools.sandbox_server import SandboxServer
from devtools.workers import WorkerPool, running_workers, worker_env
from transfer.amazon.clients import music_client_for
from transfer.transfers.models import SourceTrack, TransferJob
from transfer.transfers.services import sources
from transfer.transfers.services.jobs import job_rerun, job_start, jobs_create

RATE_GOAL = 0.9
WARM_CALLS_GOAL = 0.05
FINAL_STATES = (
    TransferJob.State.DONE,
    TransferJob.State.FAILED,
    TransferJob.State.CANCELLED,
    TransferJob.State.REVIEW,
)


@dataclass
class Phase:
    """What one phase did; ratios are computed from these counts."""

    name: str
    state: str
    tracks: int
    seconds: float
    calls: int
    throttled: int
    cache_hits: int
    cache_misses: int
    # Tracks the matcher decided, and of those, how many came from the decision cache.
    decided: int
    decided_from_cache: int
    failed: int
    matched: int
    review: int
    not_found: int
    written: int
    # Not written because the same catalog track was written earlier in the job (two source
    # tracks of one recording), or was in the playlist already: not failures.
    duplicates: int
    # The matching stage alone (None for a copy, whose tracks need no matching).
    matching_seconds: float | None = None
    matching_calls: int | None = None
    # CPU seconds (user + system) the worker processes and the sandbox's server processes
    # spent during the phase, so a reader sees which side was the limit (None: not ours).
    worker_cpu_seconds: float | None = None
    sandbox_cpu_seconds: float | None = None
    # Every process's CPU seconds on the machine, its cores, and how many tasks the workers
    # can run at once: with the two above, whose CPU (if anyone's) was the limit.
    machine_cpu_seconds: float | None = None
    database_cpu_seconds: float | None = None
    cores: int = 1
    worker_slots: int = 1

    def worker_cpu_ms_per_track(self) -> float | None:
        if self.worker_cpu_seconds is None or not self.tracks:
            return None
        return self.worker_cpu_seconds * 1000 / self.tracks

    def sandbox_cpu_ms_per_request(self) -> float | None:
        if self.sandbox_cpu_seconds is None or not self.calls:
            return None
        return self.sandbox_cpu_seconds * 1000 / self.calls

    def cpu_shares(self) -> CpuShares:
        """Cores each side kept busy on average over the phase."""
        seconds = self.seconds or 1.0

        def cores(cpu: float | None) -> float | None:
            return None if cpu is None else round(cpu / seconds, 2)

        return CpuShares(
            workers=cores(self.worker_cpu_seconds) or 0.0,
            sandbox=cores(self.sandbox_cpu_seconds),
            machine=cores(self.machine_cpu_seconds),
            cores=self.cores,
            worker_slots=self.worker_slots,
            database=cores(self.database_cpu_seconds),
        )

    def tracks_per_second(self) -> float:
        return self.tracks / self.seconds if self.seconds else 0.0

    def calls_per_track(self) -> float:
        return self.calls / self.tracks if self.tracks else 0.0

    def rate(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0

    def matching_rate(self) -> float | None:
        if not self.matching_seconds or self.matching_calls is None:
            return None
        return self.matching_calls / self.matching_seconds

    def cache_hit_rate(self) -> float | None:
        lookups = self.cache_hits + self.cache_misses
        return self.cache_hits / lookups if lookups else None

    def decision_hit_rate(self) -> float | None:
        return self.decided_from_cache / self.decided if self.decided else None

    def as_dict(self, limit: float) -> dict[str, Any]:
        matching_rate = self.matching_rate()
        return {
            **asdict(self),
            "tracks_per_second": round(self.tracks_per_second(), 2),
            "calls_per_track": round(self.calls_per_track(), 4),
            "achieved_rate": round(self.rate(), 2),
            "achieved_over_limit": round(self.rate() / limit, 3) if limit else None,
            "matching_rate": round(matching_rate, 2) if matching_rate is not None else None,
            "matching_over_limit": round(matching_rate / limit, 3)
            if matching_rate is not None and limit
            else None,
            "cache_hit_rate": _round(self.cache_hit_rate()),
            "decision_cache_hit_rate": _round(self.decision_hit_rate()),
            "worker_cpu_ms_per_track": _round(self.worker_cpu_ms_per_track()),
            "sandbox_cpu_ms_per_request": _round(self.sandbox_cpu_ms_per_request()),
            "cpu_cores_used": asdict(self.cpu_shares()),
            "limit": limiting_factor(
                self.cpu_shares(), self.rate() / limit if limit else 0.0, RATE_GOAL
            ),
        }


class Command(BaseCommand):
    help = "Benchmark an import, a playlist copy and a warm re-run against a rate-limited sandbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rate", type=float, default=20.0, help="requests/s limit T")
        parser.add_argument("--workers", type=int, default=4, help="worker processes")
        parser.add_argument(
            "--concurrency", type=int, default=1, help="tasks at once per worker (threads)"
        )
        parser.add_argument("--tracks", type=int, default=10_000, help="tracks to import")
        parser.add_argument("--copy", type=int, default=1_000, help="tracks in the copied playlist")
        parser.add_argument(
            "--catalog", type=int, default=50_000, help="tracks in the sandbox's catalog"
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of catalog and import file")
        parser.add_argument(
            "--isrc-share", type=float, default=0.5, help="share of import rows with an ISRC"
        )
        parser.add_argument(
            "--chunk",
            type=int,
            default=0,
            help="tracks per matching task (default: TRANSFER_MATCH_CHUNK)",
        )
        parser.add_argument(
            "--timeout", type=float, default=3600, help="seconds a phase may take at most"
        )
        parser.add_argument(
            "--source",
            choices=["file", "spotify"],
            default="file",
            help="file: an export file into Amazon (the default); spotify: a Spotify library "
            "into Amazon and an Amazon playlist into Spotify (devtools/benchmarks/"
            "spotify_transfer.py; the issue's figures use --tracks 5000 --copy 1000)",
        )
        parser.add_argument(
            "--spotify-rate",
            type=int,
            default=0,
            help="with --source spotify: Spotify calls per rolling 30 s (0: unlimited)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--fairness",
            action="store_true",
            help="measure a small job alone and behind another person's --tracks job",
        )
        parser.add_argument("--small", type=int, default=30, help="tracks of the small job")
        parser.add_argument(
            "--keep-sandbox",
            action="store_true",
            help="leave the sandbox running (and the bench person in the database) afterwards",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with sigterm_as_exit():
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options["rate"] <= 0:
            raise CommandError("--rate must be above 0")
        if options["source"] == "spotify":
            self._spotify(options)
            return
        if options["copy"] > options["tracks"] and not options["fairness"]:
            raise CommandError("--copy cannot exceed --tracks (it copies imported tracks)")
        self.options = options
        others = running_workers()
        if others:
            # They would take the bench's tasks (and fail them: its jobs are not in their
            # database), and the bench would wait for work that never comes back.
            raise CommandError(
                f"Other Celery workers consume this broker ({', '.join(others)}): run the "
                "bench on a Redis of its own (REDIS_URL, e.g. another database number)."
            )
        chunk = options["chunk"] or settings.TRANSFER_MATCH_CHUNK
        started = time.monotonic()
        self._note(f"Starting a sandbox with {options['catalog']:,} tracks...")
        sandbox = start_sandbox(
            seed_args=[
                "sandbox_seed",
                "--tracks",
                str(options["catalog"]),
                "--seed",
                str(options["seed"]),
            ]
        )
        keep = options["keep_sandbox"]
        try:
            with tempfile.TemporaryDirectory(prefix="bench-transfer-") as tmp:
                source = Path(tmp) / "import.csv"
                sandbox_manage(
                    sandbox,
                    "sandbox_export_tracks",
                    "--count",
                    str(options["tracks"]),
                    "--seed",
                    str(options["seed"]),
                    "--isrc-share",
                    str(options["isrc_share"]),
                    "--out",
                    str(source),
                )
                if options["fairness"]:
                    for seed, name in (
                        (options["seed"] + 1, "small1"),
                        (options["seed"] + 2, "small2"),
                    ):
                        sandbox_manage(
                            sandbox,
                            "sandbox_export_tracks",
                            "--count",
                            str(options["small"]),
                            "--seed",
                            str(seed),
                            "--isrc-share",
                            str(options["isrc_share"]),
                            "--out",
                            str(Path(tmp) / f"{name}.csv"),
                        )
                sandbox.configure(rate_limit=options["rate"])
                if options["fairness"]:
                    slots = options["workers"] * options["concurrency"]
                    with (
                        override_settings(TRANSFER_MATCH_CHUNK=chunk, TRANSFER_MATCH_SLOTS=slots),
                        product_pointed_at(sandbox, rate_limit=options["rate"]),
                        measuring_person(sandbox, "bench-big", keep=keep) as big,
                        measuring_person(sandbox, "bench-small", keep=keep) as small,
                    ):
                        fairness = self._fairness(sandbox, big, small, Path(tmp))
                    phases = []
                else:
                    with (
                        override_settings(TRANSFER_MATCH_CHUNK=chunk),
                        product_pointed_at(sandbox, rate_limit=options["rate"]),
                        measuring_person(sandbox, "bench", keep=keep) as user,
                    ):
                        phases = self._run(sandbox, user, source)
        finally:
            if keep:
                atexit.unregister(sandbox.stop)
                self._note(
                    f"Sandbox left running at {sandbox.base_url} (database "
                    f"{sandbox.database_path}); stop it with: kill {_pid(sandbox)}"
                )
            else:
                sandbox.stop()
        if options["fairness"]:
            report = self._fairness_report(fairness, chunk, time.monotonic() - started)
            if options["json"]:
                self.stdout.write(json.dumps(report))
            else:
                self.stdout.write(json.dumps(report, indent=2))
            return
        report = self._report(phases, chunk, time.monotonic() - started)
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            self._print(report)

    def _spotify(self, options: dict[str, Any]) -> None:
        from devtools.benchmarks import spotify_transfer

        self.options = options
        if running_workers():
            raise CommandError("Other Celery workers consume this broker: use a Redis of its own.")
        report = spotify_transfer.run(self, options)
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            spotify_transfer.print_report(self.stdout.write, report)

    # --- the phases -------------------------------------------------------------------------

    def _run(self, sandbox: SandboxServer, user: User, source: Path) -> list[Phase]:
        cleared = clear_matching_caches(user.pk)
        self._note(f"Cleared {cleared[0]:,} cached decisions and {cleared[1]:,} catalog entries.")
        parsed = sources.parse_upload(source.read_bytes(), source.name)
        [imported] = jobs_create(
            user=user,
            playlists=parsed.playlists[:1],
            source_kind=TransferJob.SourceKind.FILE,
            source_format=parsed.format,
            source_ref=source.name,
            destination=TransferJob.Destination.NEW_PLAYLIST,
            destination_name="bench import",
            accept_suggestions=True,
        )
        import_phase = self._phase(sandbox, user, "import", lambda: imported)

        # Setup, not measured: an Amazon playlist of --copy tracks to copy.
        client = music_client_for(user.pk)
        written = list(
            imported.tracks.filter(write_state=SourceTrack.Write.WRITTEN)
            .order_by("position")
            .values_list("chosen_id", flat=True)[: self.options["copy"]]
        )
        playlist = client.create_playlist("bench copy source")
        client.add_playlist_tracks(playlist.id, written)

        def copy_job() -> TransferJob:
            record = sources.read_amazon_playlist(user_id=user.pk, playlist_id=playlist.id)
            [job] = jobs_create(
                user=user,
                playlists=[record],
                source_kind=TransferJob.SourceKind.AMAZON_PLAYLIST,
                source_ref=playlist.id,
                destination=TransferJob.Destination.NEW_PLAYLIST,
                destination_name="bench copy",
                predecided=True,
            )
            return job

        copy_phase = self._phase(sandbox, user, "copy", copy_job, matches=False)
        # Created before the clock starts, like the import's job: storing rows is not transfer.
        rerun = job_rerun(job=imported)
        rerun_phase = self._phase(sandbox, user, "re-run (warm)", lambda: rerun)
        return [import_phase, copy_phase, rerun_phase]

    def _phase(
        self,
        sandbox: SandboxServer,
        user: User,
        name: str,
        make_job: Any,
        *,
        matches: bool = True,
    ) -> Phase:
        """Start workers, then time one job from its creation to its end; workers stop after."""
        options = self.options
        self._note(f"Phase {name}: starting {options['workers']} workers...")
        pool = WorkerPool(options["workers"], concurrency=options["concurrency"], env=worker_env())
        pool.start()
        try:
            pool.wait_ready()
            counters_before = Counters.now(user.pk)
            calls_before, throttled_before = requests_served(sandbox.stats(), sandbox.api_key)
            cpu_before = _cpu(pool, sandbox)
            machine_before = machine_cpu_seconds()
            database_before = database_cpu_seconds()
            started = time.monotonic()
            job: TransferJob = make_job()
            if not job_start(job=job):
                raise CommandError(f"The {name} job could not start ({job.state})")
            self._note(f"Phase {name}: {job.track_count:,} tracks, job {job.id}")
            matching_calls: int | None = None
            matching_seconds: float | None = None
            deadline = started + options["timeout"]
            last_note = started
            while True:
                state = TransferJob.objects.values_list("state", flat=True).get(id=job.id)
                now = time.monotonic()
                if matches and matching_calls is None and state != TransferJob.State.MATCHING:
                    matching_calls = requests_served(sandbox.stats(), sandbox.api_key)[0]
                    matching_calls -= calls_before
                    matching_seconds = now - started
                if state in FINAL_STATES:
                    break
                if now > deadline:
                    raise CommandError(f"The {name} job was still {state} after the timeout")
                if now - last_note >= 30:
                    last_note = now
                    self._progress(name, job, now - started)
                time.sleep(0.25)
            seconds = time.monotonic() - started
            calls_after, throttled_after = requests_served(sandbox.stats(), sandbox.api_key)
            # Read before the workers stop: an exited process's CPU can no longer be read.
            cpu_after = _cpu(pool, sandbox)
            machine_after = machine_cpu_seconds()
            database_after = database_cpu_seconds()
        finally:
            pool.stop()
        counts = Counters.now(user.pk) - counters_before
        job.refresh_from_db()
        if job.started_at and job.matched_at and matches:
            # The database's own clock for the matching stage, rather than the polling's.
            matching_seconds = (job.matched_at - job.started_at).total_seconds()
        tracks = job.tracks
        bands = {b: tracks.filter(band=b).count() for b in SourceTrack.Band.values}
        decided = tracks.exclude(method__in=["", "amazon"]).count() if matches else 0
        phase = Phase(
            name=name,
            state=job.state,
            tracks=job.track_count,
            seconds=round(seconds, 2),
            calls=calls_after - calls_before,
            throttled=throttled_after - throttled_before,
            cache_hits=counts.get("cache_hits", 0),
            cache_misses=counts.get("cache_misses", 0),
            decided=decided,
            decided_from_cache=tracks.filter(method="cached").count() if matches else 0,
            failed=_failed(job),
            matched=bands[SourceTrack.Band.MATCHED],
            review=bands[SourceTrack.Band.REVIEW],
            not_found=bands[SourceTrack.Band.NOT_FOUND],
            written=tracks.filter(write_state=SourceTrack.Write.WRITTEN).count(),
            duplicates=tracks.filter(
                write_state__in=[SourceTrack.Write.DUPLICATE, SourceTrack.Write.ALREADY_THERE]
            ).count(),
            matching_seconds=round(matching_seconds, 2) if matching_seconds else None,
            matching_calls=matching_calls,
            worker_cpu_seconds=round(cpu_after[0] - cpu_before[0], 3),
            sandbox_cpu_seconds=_difference(cpu_after[1], cpu_before[1]),
            machine_cpu_seconds=round(machine_after - machine_before, 3),
            database_cpu_seconds=_difference(database_after, database_before),
            cores=os.cpu_count() or 1,
            worker_slots=options["workers"] * options["concurrency"],
        )
        self._note(
            f"Phase {name}: {phase.state} in {phase.seconds:.1f} s, {phase.calls:,} calls, "
            f"{phase.rate():.1f}/s"
        )
        return phase

    def _progress(self, name: str, job: TransferJob, elapsed: float) -> None:
        pending = job.tracks.filter(band=SourceTrack.Band.PENDING).count()
        written = job.tracks.filter(write_state=SourceTrack.Write.WRITTEN).count()
        self._note(
            f"  {name}: {elapsed:.0f} s, {job.track_count - pending:,} decided, {written:,} written"
        )

    # --- fairness ---------------------------------------------------------------------------

    def _import_job(self, user: User, path: Path, name: str) -> TransferJob:
        parsed = sources.parse_upload(path.read_bytes(), path.name)
        [job] = jobs_create(
            user=user,
            playlists=parsed.playlists[:1],
            source_kind=TransferJob.SourceKind.FILE,
            source_format=parsed.format,
            source_ref=path.name,
            destination=TransferJob.Destination.NEW_PLAYLIST,
            destination_name=name,
            accept_suggestions=True,
        )
        return job

    def _wait(self, job: TransferJob, started: float, label: str) -> float:
        """Seconds from ``started`` until the job ends (matched and written)."""
        deadline = started + self.options["timeout"]
        last_note = time.monotonic()
        while True:
            state = TransferJob.objects.values_list("state", flat=True).get(id=job.id)
            now = time.monotonic()
            if state in FINAL_STATES:
                return now - started
            if now > deadline:
                raise CommandError(f"The {label} job was still {state} after the timeout")
            if now - last_note >= 30:
                last_note = now
                self._progress(label, job, now - started)
            time.sleep(0.1)

    def _fairness(
        self, sandbox: SandboxServer, big: User, small: User, tmp: Path
    ) -> dict[str, Any]:
        options = self.options
        limit = options["rate"]
        clear_matching_caches(big.pk)
        self._note(f"Fairness: starting {options['workers']} workers...")
        pool = WorkerPool(
            options["workers"],
            concurrency=options["concurrency"],
            env=worker_env(TRANSFER_MATCH_SLOTS=str(options["workers"] * options["concurrency"])),
        )
        pool.start()
        try:
            pool.wait_ready()
            # 1. The small job alone.
            alone = self._import_job(small, tmp / "small1.csv", "bench small alone")
            started = time.monotonic()
            job_start(job=alone)
            small_idle = self._wait(alone, started, "small alone")
            self._note(f"Fairness: small job alone in {small_idle:.1f} s")
            # 2. The big job, then (once its chunks fill the workers) the small one again.
            big_job = self._import_job(big, tmp / "import.csv", "bench big")
            calls_before = requests_served(sandbox.stats(), sandbox.api_key)[0]
            big_started = time.monotonic()
            job_start(job=big_job)
            warm = min(200, big_job.track_count // 10)
            while (
                big_job.tracks.exclude(band=SourceTrack.Band.PENDING).count() < warm
                and time.monotonic() - big_started < options["timeout"]
            ):
                time.sleep(0.2)
            behind = self._import_job(small, tmp / "small2.csv", "bench small behind")
            started = time.monotonic()
            job_start(job=behind)
            small_behind = self._wait(behind, started, "small behind big")
            self._note(f"Fairness: small job behind the big one in {small_behind:.1f} s")
            # The matching stage's calls, read as it ends: writing is bound by its own latency
            # (a few large adds), not by the budget the fair share divides.
            matching_calls: int | None = None
            while matching_calls is None:
                state = TransferJob.objects.values_list("state", flat=True).get(id=big_job.id)
                if state != TransferJob.State.MATCHING:
                    matching_calls = requests_served(sandbox.stats(), sandbox.api_key)[0]
                    matching_calls -= calls_before
                elif time.monotonic() - big_started > options["timeout"]:
                    raise CommandError("The big job was still matching after the timeout")
                else:
                    time.sleep(0.1)
            big_seconds = self._wait(big_job, big_started, "big")
            calls_after = requests_served(sandbox.stats(), sandbox.api_key)[0]
        finally:
            pool.stop()
        big_job.refresh_from_db()
        alone.refresh_from_db()
        behind.refresh_from_db()
        matching_seconds = (
            (big_job.matched_at - big_job.started_at).total_seconds()
            if big_job.matched_at and big_job.started_at
            else big_seconds
        )
        # Calls while the big job matched: the small job's few are part of the shared budget.
        big_calls = calls_after - calls_before
        big_rate = big_calls / big_seconds if big_seconds else 0.0
        return {
            "small_tracks": options["small"],
            "small_idle_s": round(small_idle, 2),
            "small_behind_big_s": round(small_behind, 2),
            "ratio": round(small_behind / small_idle, 2) if small_idle else None,
            "small_states": [alone.state, behind.state],
            "big_tracks": big_job.track_count,
            "big_state": big_job.state,
            "big_seconds": round(big_seconds, 2),
            "big_matching_seconds": round(matching_seconds, 2),
            "big_calls": big_calls,
            "big_rate": round(big_rate, 2),
            "big_rate_over_limit": round(big_rate / limit, 3) if limit else None,
            "big_matching_calls": matching_calls,
            "big_matching_rate_over_limit": round(matching_calls / matching_seconds / limit, 3)
            if limit and matching_seconds
            else None,
            "big_failed": _failed(big_job),
        }

    def _fairness_report(
        self, fairness: dict[str, Any], chunk: int, seconds: float
    ) -> dict[str, Any]:
        options = self.options
        goals = {
            "small_behind_big_at_most_2x_idle": fairness["small_behind_big_s"]
            <= 2 * fairness["small_idle_s"],
            "big_rate_over_limit": (fairness["big_rate_over_limit"] or 0) >= RATE_GOAL,
            "big_matching_rate_over_limit": (fairness["big_matching_rate_over_limit"] or 0)
            >= RATE_GOAL,
        }
        return {
            "rate_limit": options["rate"],
            "workers": options["workers"],
            "concurrency": options["concurrency"],
            "match_chunk": chunk,
            "match_slots": options["workers"] * options["concurrency"],
            "fair_credit": settings.TRANSFER_FAIR_CREDIT,
            "catalog_tracks": options["catalog"],
            "seconds_total": round(seconds, 1),
            # The machine's load at the end: figures from a loaded machine are not idle figures.
            "load_average": [round(value, 2) for value in os.getloadavg()],
            "fairness": fairness,
            "goals": goals,
        }

    # --- output -----------------------------------------------------------------------------

    def _report(self, phases: list[Phase], chunk: int, seconds: float) -> dict[str, Any]:
        options = self.options
        limit = options["rate"]
        imported, _, rerun = phases
        import_rate = imported.rate() / limit
        goals = {
            "import_rate_over_limit": import_rate >= RATE_GOAL,
            "no_failed_track": all(p.failed == 0 and p.state == "done" for p in phases),
            "warm_calls_per_track": rerun.calls_per_track() <= WARM_CALLS_GOAL,
        }
        return {
            "rate_limit": limit,
            "workers": options["workers"],
            "concurrency": options["concurrency"],
            "match_chunk": chunk,
            "catalog_tracks": options["catalog"],
            "isrc_share": options["isrc_share"],
            "seconds_total": round(seconds, 1),
            # A busy machine slows everything it measures: say how busy it was.
            "load_average": [round(value, 2) for value in os.getloadavg()],
            "phases": [p.as_dict(limit) for p in phases],
            "goals": goals,
        }

    def _print(self, report: dict[str, Any]) -> None:
        out = self.stdout.write
        limit = report["rate_limit"]
        out(
            f"bench_transfer: limit T = {limit:g} requests/s, {report['workers']} workers x "
            f"{report['concurrency']}, match chunk {report['match_chunk']}, catalog "
            f"{report['catalog_tracks']:,} tracks, {report['isrc_share']:.0%} of import rows "
            "with ISRC"
        )
        out("")
        header = (
            f"{'phase':<14} {'tracks':>7} {'state':>6} {'wall s':>8} {'tracks/s':>9} "
            f"{'calls':>7} {'calls/trk':>9} {'cache hit':>9} {'decided':>8} {'rate/s':>7} "
            f"{'rate/T':>7} {'429s':>5} {'failed':>6}"
        )
        out(header)
        out("-" * len(header))
        for p in report["phases"]:
            out(
                f"{p['name']:<14} {p['tracks']:>7,} {p['state']:>6} {p['seconds']:>8.1f} "
                f"{p['tracks_per_second']:>9.1f} {p['calls']:>7,} {p['calls_per_track']:>9.3f} "
                f"{_pct(p['cache_hit_rate']):>9} {_pct(p['decision_cache_hit_rate']):>8} "
                f"{p['achieved_rate']:>7.1f} {p['achieved_over_limit']:>7.2f} "
                f"{p['throttled']:>5} {p['failed']:>6}"
            )
        out("")
        out(
            "cache hit: catalog lookups answered from the catalog cache; decided: tracks "
            "answered from the decision cache (of those the matcher decided)."
        )
        for p in report["phases"]:
            out(
                f"{p['name']}: worker CPU {_ms(p['worker_cpu_ms_per_track'])} per track "
                f"({p['worker_cpu_seconds']} s), sandbox CPU "
                f"{_ms(p['sandbox_cpu_ms_per_request'])} per request "
                f"({p['sandbox_cpu_seconds']} s)"
            )
            used = p["cpu_cores_used"]
            out(
                f"{p['name']}: limit: {p['limit']} (rate {p['achieved_over_limit']:.2f} of T; "
                f"cores busy: workers {used['workers']:.2f} of {used['worker_slots']}, sandbox "
                f"{_cores(used['sandbox'])} of 1, database {_cores(used['database'])}, whole "
                f"machine {_cores(used['machine'])} of {used['cores']})"
            )
        for p in report["phases"]:
            line = (
                f"{p['name']}: {p['matched']:,} matched, {p['review']:,} review, "
                f"{p['not_found']:,} not found, {p['written']:,} written "
                f"({p['duplicates']:,} duplicates not written again)"
            )
            if p["matching_rate"] is not None:
                line += (
                    f"; matching stage {p['matching_seconds']:.1f} s, {p['matching_calls']:,} "
                    f"calls, {p['matching_rate']:.1f}/s = {p['matching_over_limit']:.2f} of T"
                )
            out(line)
        goals = report["goals"]
        imported, _, rerun = report["phases"]
        out("")
        out(
            f"goal: import at >= {RATE_GOAL} of T: {imported['achieved_over_limit']:.2f}  "
            f"{_met(goals['import_rate_over_limit'])}"
        )
        out(f"goal: no failed track: {_met(goals['no_failed_track'])}")
        out(
            f"goal: warm re-run <= {WARM_CALLS_GOAL} calls/track: "
            f"{rerun['calls_per_track']:.3f}  {_met(goals['warm_calls_per_track'])}"
        )
        out(f"(total {report['seconds_total']:.0f} s including sandbox start and setup)")
        out(f"load average at the end: {report['load_average']}")

    def _note(self, text: str) -> None:
        """Progress on stderr, so that --json output stays one object on stdout."""
        if self.options["verbosity"] >= 1:
            self.stderr.write(text)


def _cpu(pool: WorkerPool, sandbox: SandboxServer) -> tuple[float, float | None]:
    """CPU seconds so far of the worker processes, and of the sandbox when this process runs it."""
    workers = sum(
        process_tree_cpu_seconds(worker.process.pid)
        for worker in pool.workers
        if worker.process is not None
    )
    server = sandbox._process
    return workers, process_tree_cpu_seconds(server.pid) if server is not None else None


def _difference(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else round(after - before, 3)


def _failed(job: TransferJob) -> int:
    """Tracks the job let down: still undecided, or to be written and not written."""
    bands = [SourceTrack.Band.MATCHED]
    if job.accept_suggestions:
        bands.append(SourceTrack.Band.REVIEW)
    undecided = Q(band=SourceTrack.Band.PENDING)
    unwritten = (
        Q(band__in=bands)
        & ~Q(chosen_id="")
        & Q(write_state__in=[SourceTrack.Write.PENDING, SourceTrack.Write.NOT_WRITTEN])
    )
    if not job.writes_to_amazon:
        return job.tracks.filter(undecided).count()
    return job.tracks.filter(undecided | unwritten).count()


def _pid(sandbox: SandboxServer) -> str:
    process = sandbox._process
    return str(process.pid) if process is not None else "?"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ms"


def _cores(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _met(value: bool) -> str:
    return "MET" if value else "NOT MET"
