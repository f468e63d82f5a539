"""``manage.py bench_matcher``: the matcher micro-benchmark (``devtools/benchmarks/matcher.py``).

Source tracks decided per second on one core, 10 candidates each (the iTunes side of the real
pairs against its Amazon listing and 9 others). "cold" clears every normalisation cache before
each track, so every string is new; "warm" keeps them, as in a long import where artists and
albums repeat. The goals (issue 17: >= 10,000 tracks/s warm, >= 3,000 cold) are judged on the
best of ``--repeat`` runs, best-of because other processes on the machine only ever slow a run
down. Both wall-clock and CPU-time rates are printed: on a loaded machine the CPU-time rate is
what the matcher itself costs.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from devtools.benchmarks import matcher as bench

GOAL = 10_000
COLD_GOAL = 3_000


class Command(BaseCommand):
    help = "Matcher micro-benchmark: source tracks decided per second, 10 candidates each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tracks", type=int, default=20_000, help="tracks per run")
        parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (best kept)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        tracks: int = options["tracks"]
        repeat = max(1, options["repeat"])
        colds = [bench.measure(tracks, cold=True) for _ in range(repeat)]
        warms = [bench.measure(tracks, cold=False) for _ in range(repeat)]
        cold, cold_cpu = max(c[0] for c in colds), max(c[1] for c in colds)
        warm, warm_cpu = max(w[0] for w in warms), max(w[1] for w in warms)
        report = {
            "tracks": tracks,
            "candidates": 10,
            "cold_tracks_per_second": round(cold),
            "warm_tracks_per_second": round(warm),
            "cold_cpu_tracks_per_second": round(cold_cpu),
            "warm_cpu_tracks_per_second": round(warm_cpu),
            "goal": GOAL,
            "cold_goal": COLD_GOAL,
            "goal_met": warm >= GOAL and cold >= COLD_GOAL,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"matcher: {tracks:,} source tracks x 10 candidates, one core, best of {repeat}"
        )
        self.stdout.write(
            f"  cold caches: {cold:>8,.0f} tracks/s wall clock, {cold_cpu:>8,.0f} per CPU second"
        )
        self.stdout.write(
            f"  warm caches: {warm:>8,.0f} tracks/s wall clock, {warm_cpu:>8,.0f} per CPU second"
        )
        met = "MET" if report["goal_met"] else "NOT MET"
        self.stdout.write(f"  goal: >= {GOAL:,} warm and >= {COLD_GOAL:,} cold (wall clock): {met}")
