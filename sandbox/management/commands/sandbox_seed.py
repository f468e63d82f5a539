"""``sandbox_seed``: fill the sandbox database with a generated catalog, the demo people and client.

Run with ``DJANGO_SETTINGS_MODULE=sandbox.settings``. Everything is written in one transaction
with bulk inserts, then the search index is optimised, so 10,000 tracks take seconds and
1,000,000 take a few minutes.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from sandbox.catalog import store
from sandbox.catalog.generate import MAX_TRACKS, MIN_TRACKS, CatalogGenerator
from sandbox.catalog.people import people_records
from sandbox.search.index import finish_bulk_index, raw_cursor

DEFAULT_TRACKS = 50_000


class Command(BaseCommand):
    help = "Generate the sandbox catalog, demo accounts and demo client (see sandbox/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tracks",
            type=int,
            default=DEFAULT_TRACKS,
            help=f"catalog size in tracks, {MIN_TRACKS:,} to {MAX_TRACKS:,}",
        )
        parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but refresh the demo client) if a catalog is already there",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the existing catalog and people first"
        )
        parser.add_argument(
            "--without-pairs",
            action="store_true",
            help="leave out the iTunes-Amazon listings (load them with sandbox_load_catalog)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        size: int = options["tracks"]
        if not MIN_TRACKS <= size <= MAX_TRACKS:
            raise CommandError(f"--tracks must be between {MIN_TRACKS:,} and {MAX_TRACKS:,}")
        cursor = raw_cursor(connection)
        started = time.monotonic()
        if not store.catalog_is_empty(cursor):
            if options["if_empty"]:
                with transaction.atomic():
                    self._upsert_client(cursor)
                self.stdout.write("The sandbox already has a catalog; left as it is.")
                return
            if not options["reset"]:
                raise CommandError("The sandbox already has a catalog: use --reset or --if-empty.")
        # One big transaction and no fsync until the end; a crash just means seeding again.
        cursor.execute("PRAGMA synchronous = OFF")
        with transaction.atomic():
            if options["reset"]:
                store.reset(cursor)
                self.stdout.write(f"Emptied the sandbox in {time.monotonic() - started:.1f} s.")
            generator = CatalogGenerator(
                tracks=size, seed=options["seed"], include_pairs=not options["without_pairs"]
            )
            writer = store.RecordWriter(cursor)
            for record in generator.records():
                writer.add(record)
            for person in people_records(generator.summary, options["seed"]):
                writer.add(person)
            writer.close()
            written = time.monotonic()
            self.stdout.write(f"Wrote the catalog in {written - started:.1f} s.")
            finish_bulk_index(cursor)
            self._upsert_client(cursor)
        indexed = time.monotonic()
        self.stdout.write(f"Optimised the search index in {indexed - written:.1f} s.")
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA synchronous = NORMAL")
        counts = writer.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts['track']:,} tracks, {counts['album']:,} albums, "
                f"{counts['artist']:,} artists, {counts['category']:,} categories, "
                f"{counts['playlist']:,} playlists ({counts['entry']:,} entries), "
                f"{counts['show']:,} podcast shows, {counts['episode']:,} episodes, "
                f"{counts['account']:,} accounts, {counts['library_track']:,} library tracks, "
                f"{counts['library_album']:,} library albums "
                f"(seed {options['seed']}) in {time.monotonic() - started:.1f} s."
            )
        )

    def _upsert_client(self, cursor: Any) -> None:
        store.upsert_client(
            cursor,
            client_id=settings.SANDBOX_CLIENT_ID,
            client_secret=settings.SANDBOX_CLIENT_SECRET,
            api_key=settings.SANDBOX_API_KEY,
            redirect_uris=list(settings.SANDBOX_REDIRECT_URIS),
        )
