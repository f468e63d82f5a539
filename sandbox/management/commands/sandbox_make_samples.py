"""``sandbox_make_samples``: (re)write the other services' export files in sandbox/data/samples/.

The files are committed; run this only after changing the generator or ``catalog/samples.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sandbox.catalog.samples import build_samples

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples"


class Command(BaseCommand):
    help = "Write sample export files (Exportify, Spotify, iTunes, YouTube Music, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="target folder")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        for name, text in sorted(build_samples().items()):
            (out / name).write_text(text, encoding="utf-8", newline="")
            self.stdout.write(f"Wrote {out / name} ({len(text.encode()):,} bytes).")
