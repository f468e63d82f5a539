"""``manage.py bench_untrusted_input``: peak memory of reading hostile uploads, per input size.

Deep JSON (arrays, objects) and XML (an iTunes plist, XSPF) of 40 KB to 1 MB go through the
upload path (pasted lists and synced URLs take the same one), each in a fresh process; a plain
pasted list is the reference. ``--unguarded`` adds runs with the depth limit lifted at small
depths, to show the growth the limit prevents (kept small: it grows with the depth squared).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from devtools.benchmarks.untrusted_input import CASES, measure

SIZES = (40_000, 80_000, 200_000, 1_000_000)
UNGUARDED_DEPTHS = (2_000, 4_000, 8_000)


class Command(BaseCommand):
    help = "Peak memory and time of reading deep JSON/XML uploads, by size."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
        parser.add_argument("--unguarded", action="store_true", help="also lift the limit")
        parser.add_argument("--json", action="store_true", help="print JSON lines")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [measure(case, size) for case in CASES for size in options["sizes"]]
        if options["unguarded"]:
            rows += [
                measure("json-arrays", depth, max_depth=depth + 10) for depth in UNGUARDED_DEPTHS
            ]
        for row in rows:
            if options["json"]:
                self.stdout.write(json.dumps(row))
            elif "error" in row:
                self.stdout.write(f"{row['case']:<13} {row['bytes']:>9,} B  ERROR {row['error']}")
            else:
                self.stdout.write(
                    f"{row['case']:<13} {row['bytes']:>9,} B  depth limit {row['max_depth']!s:<13}"
                    f" +{row['added_peak_mb']:>7} MB peak  {row['seconds']:>7} s  {row['outcome']}"
                )
