"""``manage.py bench_sandbox``: the stand-ins' CPU per request, so they are never what we measure.

    manage.py bench_sandbox [--catalog 50000] [--requests 1000] [--adds 50] [--json]

Starts a sandbox seeded with ``--catalog`` tracks (gunicorn, as the tests and benchmarks run
it) and sends it, one at a time, the requests a transfer makes most: fielded track searches
(title + artist of real catalog tracks, each different, as an import sends them), then
``--adds`` playlist adds of 100 tracks each into one new playlist (so it ends at adds x 100).
Then the same against the Spotify stand-in (the same server process), as an Amazon -> Spotify
transfer sends them: searches (``isrc:…`` and ``track:… artist:…`` in turn, 10 results) and
``--adds`` adds of 100 track URIs to one new playlist.
The figure is the server processes' CPU time (user + system, read from /proc) divided by the
requests, which depends far less than wall time on how busy the machine is (a loaded machine
still inflates it: quote the load average printed beside it). Goal: <= 8 ms per search and
per add at 50,000 tracks, so that the stand-in is never the bottleneck of a product benchmark.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandParser

from devtools.measuring import process_tree_cpu_seconds, sigterm_as_exit, start_sandbox
from devtools.sandbox_server import SandboxServer, ServiceStandIns

GOAL_MS = 8.0
ADD_SIZE = 100
KINDS = ("search", "add", "spotify_search", "spotify_add")


def catalog_sample(database: Path, count: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """(asin, title, lead artist, isrc) of ``count`` random tracks, read from the sandbox file."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT t.asin, t.title, a.name, t.isrc FROM sandbox_track t "
            "JOIN sandbox_trackartist ta ON ta.track_id = t.id AND ta.position = 0 "
            "JOIN sandbox_artist a ON a.id = ta.artist_id"
        ).fetchall()
    random.Random(seed).shuffle(rows)
    return rows[:count]


class Command(BaseCommand):
    help = "CPU the sandbox spends per search and per playlist add."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--catalog", type=int, default=50_000, help="catalog tracks to seed")
        parser.add_argument("--requests", type=int, default=1_000, help="searches to send")
        parser.add_argument("--adds", type=int, default=50, help="playlist adds of 100 to send")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        catalog: int = options["catalog"]
        count: int = options["requests"]
        with sigterm_as_exit():
            sandbox = start_sandbox(
                seed_args=["sandbox_seed", "--tracks", str(catalog), "--seed", "1"]
            )
            try:
                report = self._measure(sandbox, catalog, count, options["adds"])
            finally:
                sandbox.stop()
        report["load_average"] = [round(value, 2) for value in os.getloadavg()]
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(f"sandbox at {catalog:,} catalog tracks, requests sent one at a time")
        for kind in KINDS:
            row = report[kind]
            verdict = "MET" if row["cpu_ms_per_request"] <= GOAL_MS else "NOT MET"
            self.stdout.write(
                f"  {kind:<14} {row['requests']:>6,} requests  "
                f"CPU {row['cpu_ms_per_request']:6.2f} ms/request  "
                f"wall {row['wall_ms_per_request']:6.2f} ms/request  "
                f"goal <= {GOAL_MS:g} ms: {verdict}"
            )
        self.stdout.write(f"  load average while measuring: {report['load_average']}")

    def _measure(
        self, sandbox: SandboxServer, catalog: int, count: int, adds: int
    ) -> dict[str, Any]:
        assert sandbox.database_path is not None
        assert sandbox._process is not None
        pid = sandbox._process.pid
        tokens = sandbox.mint_token("alice")
        session = requests.Session()
        session.headers.update(tokens.headers)
        api = sandbox.api_url
        sample = catalog_sample(sandbox.database_path, max(count + 20, adds * ADD_SIZE))

        def search(title: str, artist: str) -> None:
            body = {
                "searchFilters": [
                    {"field": "name", "query": title},
                    {"field": "artistName", "query": artist},
                ],
                "limit": 20,
            }
            response = session.post(f"{api}/search/tracks", json=body, timeout=30)
            response.raise_for_status()

        for _, title, artist, _ in sample[:20]:  # warm up: imports, connections, page cache
            search(title, artist)
        searches = sample[20 : count + 20]
        started, cpu = time.perf_counter(), process_tree_cpu_seconds(pid)
        for _, title, artist, _ in searches:
            search(title, artist)
        search_row = _row(len(searches), started, cpu, pid)

        created = session.post(
            f"{api}/playlists",
            json={"title": "bench_sandbox", "description": "", "visibility": "PRIVATE"},
            timeout=30,
        )
        created.raise_for_status()
        playlist_id = created.json()["data"]["createPlaylist"]["id"]
        asins = [asin for asin, _, _, _ in sample]
        batches = [asins[i : i + ADD_SIZE] for i in range(0, adds * ADD_SIZE, ADD_SIZE)]
        started, cpu = time.perf_counter(), process_tree_cpu_seconds(pid)
        for batch in batches:
            response = session.put(
                f"{api}/playlists/{playlist_id}/tracks",
                json={"trackIds": batch, "addDuplicateTracks": False},
                timeout=30,
            )
            response.raise_for_status()
        add_row = _row(len(batches), started, cpu, pid)
        add_row["tracks_per_request"] = ADD_SIZE
        report = {"catalog": catalog, "goal_ms": GOAL_MS, "search": search_row, "add": add_row}
        report.update(self._measure_spotify(sandbox, sample, count, adds))
        return report

    def _measure_spotify(
        self, sandbox: SandboxServer, sample: list[tuple[str, str, str, str]], count: int, adds: int
    ) -> dict[str, Any]:
        assert sandbox._process is not None
        pid = sandbox._process.pid
        standins = ServiceStandIns(sandbox)
        standins.spotify_person("bench-sandbox")
        token = standins.spotify_token("bench-sandbox")["access_token"]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        api = standins.spotify_api
        found: list[str] = []

        def search(query: str) -> None:
            params: dict[str, str | int] = {"q": query, "type": "track", "limit": 10}
            response = session.get(f"{api}/search", params=params, timeout=30)
            response.raise_for_status()
            found.extend(item["id"] for item in response.json()["tracks"]["items"][:1])

        # An ISRC search, else title and artist, as transfer.spotify.matching sends them.
        queries = [
            f"isrc:{isrc}" if index % 2 == 0 and isrc else f"track:{title} artist:{artist}"
            for index, (_, title, artist, isrc) in enumerate(sample[: count + 20])
        ]
        for query in queries[:20]:  # warm up: the stand-in builds its catalog on first use
            search(query)
        started, cpu = time.perf_counter(), process_tree_cpu_seconds(pid)
        for query in queries[20:]:
            search(query)
        search_row = _row(len(queries) - 20, started, cpu, pid)

        created = session.post(
            f"{api}/me/playlists", json={"name": "bench_sandbox", "public": False}, timeout=30
        )
        created.raise_for_status()
        playlist_id = created.json()["id"]
        uris = [f"spotify:track:{track_id}" for track_id in found]
        # Fewer tracks were found than the adds need: go round them again (Spotify keeps repeats).
        uris = (uris * (adds * ADD_SIZE // max(len(uris), 1) + 1))[: adds * ADD_SIZE]
        batches = [uris[i : i + ADD_SIZE] for i in range(0, len(uris), ADD_SIZE)]
        started, cpu = time.perf_counter(), process_tree_cpu_seconds(pid)
        for batch in batches:
            response = session.post(
                f"{api}/playlists/{playlist_id}/items", json={"uris": batch}, timeout=30
            )
            response.raise_for_status()
        add_row = _row(len(batches), started, cpu, pid)
        add_row["tracks_per_request"] = ADD_SIZE
        return {"spotify_search": search_row, "spotify_add": add_row}


def _row(requests_sent: int, started: float, cpu_before: float, pid: int) -> dict[str, Any]:
    cpu = process_tree_cpu_seconds(pid) - cpu_before
    wall = time.perf_counter() - started
    return {
        "requests": requests_sent,
        "cpu_ms_per_request": round(cpu * 1000 / requests_sent, 2),
        "wall_ms_per_request": round(wall * 1000 / requests_sent, 2),
    }
