"""Search in other scripts over a seeded catalog, as a real catalog searches them.

The seeded catalog holds real K-pop, Japanese soundtrack and Russian rock tracks in their own
scripts (the catalog side of sandbox/data/multilingual_pairs.csv.gz). Queries in those
scripts without spaces, queries in Latin letters, and artists' other names must find them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from sandbox.search import search_tracks
from sandbox.search.text import index_text, latin_tokens, tokens
from tests.sandbox.test_search_engine import manage


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    database = tmp_path_factory.mktemp("scripts") / "sandbox.sqlite3"
    manage(database, "migrate", "--noinput", "-v", "0")
    manage(database, "sandbox_seed", "--tracks", "10000", "--seed", "0")
    connection = sqlite3.connect(database)
    yield connection
    connection.close()


def _found(db: sqlite3.Connection, filters: list[tuple[str | None, str]]) -> list[tuple[str, str]]:
    ids, _ = search_tracks(db, filters, limit=5)
    return [
        db.execute("SELECT title, artist_text FROM sandbox_track WHERE id = ?", (i,)).fetchone()
        for i in ids
    ]


def test_a_transliterated_query_finds_the_cyrillic_title(db):
    assert _found(db, [("name", "Gruppa krovi"), ("artistName", "Kino")])[0] == (
        "Группа крови",
        "Кино",
    )
    assert _found(db, [(None, "gruppa krovi kino")])[0] == ("Группа крови", "Кино")


def test_an_artist_is_found_by_its_other_name(db):
    found = _found(db, [("name", "Dynamite"), ("artistName", "BTS")])
    assert ("Dynamite", "방탄소년단") in found


def test_japanese_is_found_by_part_of_a_title_written_without_spaces(db):
    assert _found(db, [("name", "ブタ野郎")])[0] == ("青春ブタ野郎", "fox capture plan")


def test_japanese_is_found_in_romaji(db):
    assert _found(db, [("name", "Seishun Buta Yarou")])[0] == ("青春ブタ野郎", "fox capture plan")
    assert _found(db, [("name", "Suiheisen")])[0] == ("水平線", "fox capture plan")


def test_korean_is_found_by_its_hangul_and_by_its_latin_name(db):
    assert _found(db, [(None, "상남자")])[0][0].startswith("상남자")
    titles = [title for title, _ in _found(db, [("name", "Boy In Luv"), ("artistName", "BTS")])]
    assert "상남자 (Boy in Luv)" in titles


def test_cjk_runs_become_character_pairs_and_other_scripts_gain_latin_tokens():
    assert tokens("夜に駆ける") == ("夜に", "に駆", "駆け", "ける")
    assert latin_tokens("Группа крови") == ("gruppa", "krovi", "gruppakrovi")
    assert latin_tokens("Plain Latin") == ()
    assert index_text("Кино") == "кино kino"
