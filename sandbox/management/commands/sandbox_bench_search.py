"""``sandbox_bench_search``: time the search engine on queries drawn from the seeded catalog.

Query kinds, in equal shares: the exact "title artist" as free text; the same as ``name`` and
``artistName`` filters; "artist title" reordered, lower-cased, without punctuation or diacritics
and with one typo; an ISRC; an album's title and artist. Half the targets are original
recordings weighted to popular songs (what people move), half any track. It prints latency
percentiles per kind and overall, and how often the target came back in the top five (the same
title and artist on any album; for album searches, any track of the album).
"""

from __future__ import annotations

import json
import random
import statistics
import time
import unicodedata
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from sandbox.search.engine import search_tracks
from sandbox.search.index import raw_cursor

KINDS = ("exact", "fielded", "misspelled", "isrc", "album")


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return text
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        word = word[:at] + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() or c.isspace() else " " for c in kept).lower()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Command(BaseCommand):
    help = "Benchmark sandbox search latency on the seeded catalog (p50/p95/p99)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queries", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--limit", type=int, default=20, help="results per search")
        parser.add_argument("--warmup", type=int, default=50, help="untimed searches first")

    def handle(self, *args: Any, **options: Any) -> None:
        cursor = raw_cursor(connection)
        size = cursor.execute("SELECT count(*) FROM sandbox_track").fetchone()[0]
        if not size:
            raise CommandError("The catalog is empty: run sandbox_seed first.")
        rng = random.Random(options["seed"])
        queries = self._queries(cursor, rng, options["queries"] + options["warmup"])
        limit: int = options["limit"]
        timings: dict[str, list[float]] = defaultdict(list)
        found: dict[str, int] = defaultdict(int)
        for number, (kind, filters, target) in enumerate(queries):
            started = time.perf_counter()
            ids, _ = search_tracks(cursor, filters, limit=limit)
            elapsed = (time.perf_counter() - started) * 1000
            if number < options["warmup"]:
                continue
            timings[kind].append(elapsed)
            found[kind] += self._answered(cursor, ids[:5], target)
        everything = [t for kind in KINDS for t in timings[kind]]
        version = cursor.execute("SELECT sqlite_version()").fetchone()[0]
        self.stdout.write(
            f"Catalog: {size:,} tracks. {len(everything):,} searches (limit {limit}) after "
            f"{options['warmup']} warm-up searches, SQLite {version}."
        )
        self.stdout.write(
            f"{'kind':<11} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
            f"{'top-5':>7}"
        )
        for kind in (*KINDS, "all"):
            values = everything if kind == "all" else timings[kind]
            if not values:
                continue
            hits = sum(found.values()) if kind == "all" else found[kind]
            self.stdout.write(
                f"{kind:<11} {len(values):>5} {statistics.median(values):>8.1f} "
                f"{_percentile(values, 0.95):>8.1f} {_percentile(values, 0.99):>8.1f} "
                f"{max(values):>8.1f} {hits / len(values):>7.1%}"
            )

    def _answered(self, cursor: Any, ids: list[int], target: tuple[str, str, int]) -> bool:
        """Whether the results hold the target: the same title and artist (the same song on
        another album counts), or for an album search any track of the album."""
        if not ids:
            return False
        rows = cursor.execute(
            "SELECT title, artist_text, album_id FROM sandbox_track "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        ).fetchall()
        title, artist, album_id = target
        return any((r[0], r[1]) == (title, artist) or (album_id and r[2] == album_id) for r in rows)

    def _queries(
        self, cursor: Any, rng: random.Random, count: int
    ) -> list[tuple[str, list[tuple[str | None, str]], tuple[str, str, int]]]:
        top = cursor.execute("SELECT max(id) FROM sandbox_track").fetchone()[0]
        popular = [
            row[0]
            for row in cursor.execute(
                "SELECT id FROM sandbox_track WHERE version IN ('', 'explicit') "
                "ORDER BY popularity DESC LIMIT 20000"
            )
        ]
        queries: list[tuple[str, list[tuple[str | None, str]], tuple[str, str, int]]] = []
        while len(queries) < count:
            track_id = rng.choice(popular) if rng.random() < 0.5 else rng.randint(1, top)
            row = cursor.execute(
                "SELECT t.title, t.artist_text, t.isrc, a.title, a.artist_text, a.id "
                "FROM sandbox_track t JOIN sandbox_album a ON a.id = t.album_id WHERE t.id = ?",
                (track_id,),
            ).fetchone()
            if row is None:
                continue
            title, artist, isrc, album, album_artist, album_id = row
            kind = KINDS[len(queries) % len(KINDS)]
            filters: list[tuple[str | None, str]]
            if kind == "exact":
                filters = [(None, f"{title} {artist}")]
            elif kind == "fielded":
                filters = [("name", title), ("artistName", artist)]
            elif kind == "misspelled":
                filters = [(None, _typo(_plain(f"{artist} {title}"), rng))]
            elif kind == "isrc":
                if not isrc:
                    continue
                filters = [("isrc", isrc)]
            else:
                filters = [(None, f"{album} {album_artist}")]
            target = (title, artist, album_id if kind == "album" else 0)
            queries.append((kind, filters, target))
        return queries
