"""sandbox_seed, sandbox_load_catalog and sandbox_bench_search, run as the sandbox runs them.

Each command runs in a subprocess with the sandbox's settings and a temporary SQLite file, which
the tests then read with the stdlib sqlite3 module.
"""

from __future__ import annotations

import csv
import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sandbox.catalog.people import user_id
from sandbox.search import search_tracks

REPO = Path(__file__).resolve().parents[2]
PAIRS = REPO / "sandbox" / "data" / "itunes_amazon_pairs.csv.gz"
CLIENT = {
    "LWA_CLIENT_ID": "amzn1.application-oa2-client.test0000000000000000000000000000",
    "LWA_CLIENT_SECRET": "amzn1.oa2-cs.v1.test-secret",
    "AMAZON_MUSIC_API_KEY": "amzn1.application.00000000000000000000000000000test",
    "SANDBOX_REDIRECT_URIS": "http://testserver/callback/",
}


def manage(database: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **CLIENT,
        "DJANGO_SETTINGS_MODULE": "sandbox.settings",
        "SANDBOX_DATABASE_PATH": str(database),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("commands") / "sandbox.sqlite3"
    manage(database, "migrate", "--noinput", "-v", "0")
    result = manage(database, "sandbox_seed", "--tracks", "10000", "--seed", "4")
    assert "Seeded 10,000 tracks" in result.stdout
    return database


def _one(database: Path, sql: str, *params: object) -> Any:
    with sqlite3.connect(database) as db:
        return db.execute(sql, params).fetchone()[0]


def test_seed_writes_the_catalog_and_its_index(seeded):
    assert _one(seeded, "SELECT count(*) FROM sandbox_track") == 10_000
    assert _one(seeded, "SELECT count(*) FROM sandbox_track_fts") == 10_000
    assert _one(seeded, "SELECT count(*) FROM sandbox_album_fts") == _one(
        seeded, "SELECT count(*) FROM sandbox_album"
    )
    assert _one(seeded, "SELECT count(DISTINCT asin) FROM sandbox_track") == 10_000
    assert _one(seeded, "SELECT count(*) FROM sandbox_search_term") > 1000
    assert _one(seeded, "SELECT count(*) FROM sandbox_trackartist") >= 10_000
    assert _one(seeded, "SELECT min(length(isrc)) FROM sandbox_track") == 12
    assert _one(seeded, "SELECT count(*) FROM sandbox_category") == 21
    assert _one(seeded, "SELECT count(*) FROM sandbox_playlist WHERE curated = 1") >= 40
    assert _one(seeded, "SELECT count(*) FROM sandbox_podcastepisode") > 100


def test_seed_creates_the_demo_people_and_client(seeded):
    with sqlite3.connect(seeded) as db:
        accounts = db.execute(
            "SELECT name, user_id, subscription_tier, has_music_account FROM sandbox_account "
            "ORDER BY id"
        ).fetchall()
        longest = db.execute(
            "SELECT p.title, a.email, count(*) FROM sandbox_playlistentry e "
            "JOIN sandbox_playlist p ON p.id = e.playlist_id "
            "JOIN sandbox_account a ON a.id = p.owner_id "
            "GROUP BY p.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        client = db.execute(
            "SELECT client_id, client_secret, security_profile_id, redirect_uris, music_enabled "
            "FROM sandbox_client"
        ).fetchall()
        libraries = db.execute(
            "SELECT a.email, count(*) FROM sandbox_librarytrack l "
            "JOIN sandbox_account a ON a.id = l.account_id GROUP BY a.id"
        ).fetchall()
    assert [a[0].split()[0] for a in accounts] == ["Alice", "Bob", "Carol", "Dave", "Erin"]
    assert accounts[0][1] == user_id("alice")
    assert accounts[3][2:] == ("FREE", 1)
    assert accounts[4][3] == 0
    assert longest == ("Everything I Love", "alice@example.com", 1200)
    assert client == [
        (
            CLIENT["LWA_CLIENT_ID"],
            CLIENT["LWA_CLIENT_SECRET"],
            CLIENT["AMAZON_MUSIC_API_KEY"],
            '["http://testserver/callback/"]',
            1,
        )
    ]
    assert dict(libraries)["alice@example.com"] == 500


def test_seed_leaves_a_seeded_catalog_alone_unless_told(seeded):
    before = _one(seeded, "SELECT asin FROM sandbox_track WHERE id = 1")
    refused = manage(seeded, "sandbox_seed", "--tracks", "10000", check=False)
    assert refused.returncode != 0
    assert "--reset" in refused.stderr
    skipped = manage(seeded, "sandbox_seed", "--tracks", "10000", "--if-empty")
    assert "already has a catalog" in skipped.stdout
    assert _one(seeded, "SELECT asin FROM sandbox_track WHERE id = 1") == before


def test_seed_refuses_sizes_out_of_range(tmp_path):
    result = manage(tmp_path / "x.sqlite3", "sandbox_seed", "--tracks", "500", check=False)
    assert result.returncode != 0
    assert "between" in result.stderr


def test_loading_the_amazon_pairs_twice_changes_nothing_the_second_time(seeded, tmp_path):
    pairs = tmp_path / "pairs.csv"
    with gzip.open(PAIRS, "rt", encoding="utf-8") as source:
        pairs.write_text(source.read(), encoding="utf-8")
    ids_out = tmp_path / "ids.csv"
    first = manage(seeded, "sandbox_load_catalog", str(pairs), "--ids-out", str(ids_out))
    assert "preset amazon-pairs" in first.stdout
    second = manage(seeded, "sandbox_load_catalog", str(pairs))
    assert "0 added, 0 updated, 430 unchanged" in second.stdout
    with ids_out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 430
    # The seed holds the listings detokenised; loading them verbatim updates, never duplicates.
    assert {r["outcome"] for r in rows} <= {"updated", "unchanged"}
    with sqlite3.connect(seeded) as db:
        title = db.execute(
            "SELECT title FROM sandbox_track WHERE asin = ?", (rows[0]["asin"],)
        ).fetchone()[0]
    assert title == "Transmission [ feat . X Ambassadors ]"


def test_loaded_rows_are_added_once_and_found_by_search(seeded, tmp_path):
    catalog = tmp_path / "new.csv"
    catalog.write_text(
        "title,artists,album,duration,isrc,explicit,release_date,track_number,genre\n"
        "Nüvole Bianche,Ludovico Einaudi,Una Mattina,5:57,GBUM70500001,false,2004,3,Classical\n"
        "Quiet Harbour [Explicit],Mara Quill Featuring Northbound Static,Tideline,201,,,"
        '"May 18 , 2015",1,Rap\n',
        encoding="utf-8",
    )
    first = manage(seeded, "sandbox_load_catalog", str(catalog))
    assert "2 added, 0 updated, 0 unchanged" in first.stdout
    again = manage(seeded, "sandbox_load_catalog", str(catalog))
    assert "0 added, 0 updated, 2 unchanged" in again.stdout
    with sqlite3.connect(seeded) as db:
        ids, _ = search_tracks(db, [(None, "nuvole bianche einaudi")])
        top = db.execute(
            "SELECT title, isrc, isrc_synthetic, duration FROM sandbox_track WHERE id = ?",
            (ids[0],),
        ).fetchone()
        assert top == ("Nüvole Bianche", "GBUM70500001", 0, 357)
        ids, _ = search_tracks(db, [("artistName", "northbound static")])
        quiet = db.execute(
            "SELECT t.explicit, t.isrc_synthetic, length(t.isrc), a.title, a.track_count "
            "FROM sandbox_track t JOIN sandbox_album a ON a.id = t.album_id WHERE t.id = ?",
            (ids[0],),
        ).fetchone()
        assert quiet == (1, 1, 12, "Tideline", 1)
        credited = db.execute(
            "SELECT count(*) FROM sandbox_trackartist WHERE track_id = ?", (ids[0],)
        ).fetchone()[0]
        assert credited == 2


def test_the_loader_maps_other_columns(seeded, tmp_path):
    catalog = tmp_path / "other.csv"
    catalog.write_text("Song,Performer\nUnmapped Song Title,Lonely Performer\n", encoding="utf-8")
    refused = manage(seeded, "sandbox_load_catalog", str(catalog), check=False)
    assert refused.returncode != 0
    assert "title" in refused.stderr
    mapped = manage(
        seeded, "sandbox_load_catalog", str(catalog), "--columns", "title=Song,artists=Performer"
    )
    assert "1 added" in mapped.stdout


def test_the_benchmark_prints_percentiles(seeded):
    result = manage(seeded, "sandbox_bench_search", "--queries", "25", "--warmup", "5")
    assert "Catalog: 10," in result.stdout
    lines = result.stdout.splitlines()
    assert any(line.startswith("all ") and len(line.split()) == 7 for line in lines)
    assert "p50 ms" in result.stdout
