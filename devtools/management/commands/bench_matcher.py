"""``manage.py bench_matcher``: the matcher micro-benchmark (``devtools/benchmarks/matcher.py``).

Source tracks decided per second on one core, 10 candidates each (the iTunes side of the real
pairs against its Amazon listing and 9 others). "cold" clears every normalisation cache before
each track, so every string is new; "warm" keeps them, as in a long import where artists and
albums repeat. The goal (>= 5,000 tracks/s) is judged on the best of ``--repeat`` warm runs,
best-of because other processes on the machine only ever slow a run down.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from devtools.benchmarks import matcher as bench

GOAL = 5_000


class Command(BaseCommand):
    help = "Matcher micro-benchmark: source tracks decided per second, 10 candidates each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tracks", type=int, default=20_000, help="tracks per run")
        parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (best kept)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        tracks: int = options["tracks"]
        repeat = max(1, options["repeat"])
        cold = max(bench.run(tracks, cold=True) for _ in range(repeat))
        warm = max(bench.run(tracks, cold=False) for _ in range(repeat))
        report = {
            "tracks": tracks,
            "candidates": 10,
            "cold_tracks_per_second": round(cold),
            "warm_tracks_per_second": round(warm),
            "goal": GOAL,
            "goal_met": warm >= GOAL,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"matcher: {tracks:,} source tracks x 10 candidates, one core, best of {repeat}"
        )
        self.stdout.write(f"  cold caches: {cold:>8,.0f} tracks/s")
        self.stdout.write(f"  warm caches: {warm:>8,.0f} tracks/s")
        self.stdout.write(
            f"  goal: >= {GOAL:,} tracks/s (warm): {'MET' if warm >= GOAL else 'NOT MET'}"
        )
