"""``sandbox_load_catalog FILE.csv``: add (or update) catalog tracks from a CSV file.

Idempotent: a row that describes a stored track updates it, so loading a file twice adds nothing
the second time. The search index is updated in the same transaction. Columns are documented in
sandbox/README.md; other layouts map with ``--columns title=song,artists=artist`` or a
``--preset`` (``amazon-pairs`` reads the Amazon side of the iTunes-Amazon benchmark, and is
chosen by itself when the file has an ``amazon_song_name`` column).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from sandbox.catalog.load import PRESETS, LoadError, LoadRow, column_mapping, load_rows, parse_row
from sandbox.search.index import raw_cursor


def _pairs(text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        target, sep, source = item.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise CommandError(f"--columns wants target=source pairs, got {item!r}")
        pairs[target.strip().lower()] = source.strip()
    return pairs


class Command(BaseCommand):
    help = "Add catalog tracks from a CSV file (idempotent; see sandbox/README.md for columns)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file with a header row (.csv or .csv.gz)")
        parser.add_argument(
            "--columns",
            default="",
            help="map our columns to the file's: title=song_name,artists=artist_name,...",
        )
        parser.add_argument("--preset", choices=sorted(PRESETS), help="a known column layout")
        parser.add_argument(
            "--detokenise",
            action="store_true",
            help='undo benchmark tokenisation first: "Ca n\'t ( Live )" -> "Can\'t (Live)"',
        )
        parser.add_argument(
            "--ids-out",
            type=Path,
            help="write row number, track ASIN and outcome of every row to this CSV",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        started = time.monotonic()
        opener: Any = open
        if path.suffix == ".gz":
            import gzip

            opener = gzip.open
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            preset = options["preset"]
            if preset is None and "amazon_song_name" in header and "title" not in header:
                preset = "amazon-pairs"
            pairs = {**PRESETS.get(preset or "", {}), **_pairs(options["columns"])}
            try:
                mapping = column_mapping(header, pairs)
            except LoadError as error:
                raise CommandError(str(error)) from error
            rows: list[tuple[int, LoadRow]] = []
            skipped = 0
            for number, raw in enumerate(reader, start=1):
                try:
                    rows.append((number, parse_row(raw, mapping, options["detokenise"])))
                except LoadError as error:
                    skipped += 1
                    self.stderr.write(f"Row {number} skipped: {error}")
        cursor = raw_cursor(connection)
        with transaction.atomic():
            result = load_rows(cursor, rows, keep_rows=options["ids_out"] is not None)
        if options["ids_out"] is not None and result.rows is not None:
            with options["ids_out"].open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["row", "asin", "outcome"])
                writer.writerows(result.rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"Read {len(rows) + skipped} rows from {path.name}"
                + (f" (preset {preset})" if preset else "")
                + f": {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged, {skipped} skipped, "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
