"""Search over a seeded 10,000-track catalog: ranking, tolerance, near misses and filters.

The catalog is seeded by ``sandbox_seed`` in a subprocess (the sandbox's own settings); the
engine then runs here on a plain sqlite3 connection to that file, as it needs no Django.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.search import (
    SearchError,
    search_albums,
    search_artists,
    search_playlists,
    search_tracks,
)
from sandbox.search.text import index_text

REPO = Path(__file__).resolve().parents[2]


def manage(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sandbox.settings",
        "SANDBOX_DATABASE_PATH": str(database),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    database = tmp_path_factory.mktemp("search") / "sandbox.sqlite3"
    manage(database, "migrate", "--noinput", "-v", "0")
    manage(database, "sandbox_seed", "--tracks", "10000", "--seed", "0")
    connection = sqlite3.connect(database)
    yield connection
    connection.close()


def _track(db: sqlite3.Connection, track_id: int) -> tuple[str, str]:
    return db.execute(
        "SELECT title, artist_text FROM sandbox_track WHERE id = ?", (track_id,)
    ).fetchone()


def _ids(db: sqlite3.Connection, sql: str, value: object) -> set[int]:
    return {row[0] for row in db.execute(sql, (value,))}


def _isrc(db: sqlite3.Connection, track_id: int) -> str:
    return db.execute("SELECT isrc FROM sandbox_track WHERE id = ?", (track_id,)).fetchone()[0]


def _credited(db: sqlite3.Connection, track_id: int) -> str:
    """The display credit and every linked artist's name."""
    names = db.execute(
        "SELECT ar.name FROM sandbox_trackartist ta JOIN sandbox_artist ar "
        "ON ar.id = ta.artist_id WHERE ta.track_id = ?",
        (track_id,),
    ).fetchall()
    return " ".join([_track(db, track_id)[1], *(n[0] for n in names)])


def _top(db: sqlite3.Connection, filters: list[tuple[str | None, str]]) -> tuple[str, str]:
    ids, _ = search_tracks(db, filters, limit=5)
    assert ids, filters
    return _track(db, ids[0])


@pytest.fixture(scope="module")
def hits(db: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """Popular original recordings with plain titles."""
    return db.execute(
        "SELECT id, title, artist_text FROM sandbox_track WHERE version = '' "
        "AND title NOT LIKE '%(%' AND title NOT LIKE '%[%' AND length(title) > 3 "
        "ORDER BY popularity DESC, id LIMIT 40"
    ).fetchall()


def test_the_exact_title_and_artist_come_first(db, hits):
    for _, title, artist in hits:
        assert _top(db, [(None, f"{title} {artist}")]) == (title, artist)
        assert _top(db, [("name", title), ("artistName", artist)]) == (title, artist)


def _strip_accents_and_punctuation(text: str) -> str:
    return re.sub(r"[^\w\s]", " ", text)


def test_case_punctuation_diacritics_and_word_order_do_not_matter(db, hits):
    for _, title, artist in hits[:20]:
        expected = (title, artist)
        assert _top(db, [(None, f"{title} {artist}".upper())]) == expected
        assert _top(db, [(None, _strip_accents_and_punctuation(f"{title} {artist}"))]) == expected
        assert _top(db, [(None, f"{artist} {title}")]) == expected
        accented = artist.replace("e", "é").replace("o", "ö")
        assert _top(db, [(None, f"{title} {accented}")]) == expected


def test_a_typo_in_a_long_word_is_forgiven(db, hits):
    found = 0
    for _, title, artist in hits:
        words = artist.split()
        long_words = [w for w in words if len(w) >= 6 and w.isalpha()]
        if not long_words:
            continue
        word = long_words[0]
        typo = word[0] + word[2] + word[1] + word[3:]
        if _top(db, [(None, f"{title} {artist.replace(word, typo)}")]) == (title, artist):
            found += 1
    assert found >= 8


def test_words_typed_apart_still_match(db):
    row = db.execute(
        "SELECT title, artist_text FROM sandbox_track WHERE version = '' AND title LIKE ? "
        "ORDER BY popularity DESC LIMIT 1",
        ("%n't %",),
    ).fetchone()
    title, artist = row
    assert _top(db, [(None, f"{title.replace(chr(39), ' ')} {artist}")]) == (title, artist)


def test_other_versions_come_back_below_the_original(db):
    rows = db.execute(
        "SELECT o.id, v.id, o.title, o.artist_text FROM sandbox_track o JOIN sandbox_track v "
        "ON v.artist_text = o.artist_text AND v.title LIKE o.title || ' (%' "
        "WHERE o.version = '' AND v.version IN ('live', 'acoustic', 'remastered', 'radio edit') "
        "AND o.title NOT LIKE '%(%' ORDER BY o.popularity DESC LIMIT 10"
    ).fetchall()
    assert rows
    for original, version, title, artist in rows:
        ids, _ = search_tracks(db, [(None, f"{title} {artist}")], limit=50)
        assert original in ids
        assert version in ids
        assert ids.index(original) < ids.index(version)


def test_the_same_title_by_other_artists_comes_back(db):
    title = db.execute(
        "SELECT title FROM sandbox_track WHERE version = '' AND title NOT LIKE '%(%' "
        "GROUP BY title HAVING count(DISTINCT artist_text) >= 3 "
        "ORDER BY max(popularity) DESC LIMIT 1"
    ).fetchone()[0]
    ids, _ = search_tracks(db, [("name", title)], limit=20)
    artists = {_track(db, i)[1] for i in ids}
    assert len(artists) >= 3
    some_artist = _track(db, ids[0])[1]
    ids, _ = search_tracks(db, [(None, f"{title} {some_artist}")], limit=50)
    assert {_track(db, i)[1] for i in ids} - {some_artist}


def test_isrc_is_exact(db):
    isrc, count = db.execute(
        "SELECT isrc, count(*) FROM sandbox_track GROUP BY isrc HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    ids, has_more = search_tracks(db, [("isrc", isrc)], limit=100)
    assert len(ids) == count
    assert not has_more
    found = {_isrc(db, i) for i in ids}
    assert found == {isrc}
    spaced = f"{isrc[:2]}-{isrc[2:5]}-{isrc[5:7]}-{isrc[7:]}".lower()
    assert search_tracks(db, [("isrc", spaced)], limit=100)[0] == ids
    near = isrc[:-1] + ("0" if isrc[-1] != "0" else "1")
    if not db.execute("SELECT 1 FROM sandbox_track WHERE isrc = ?", (near,)).fetchone():
        assert search_tracks(db, [("isrc", near)]) == ([], False)


def test_artist_filters_keep_to_the_artist(db, hits):
    _, title, artist = hits[0]
    ids, _ = search_tracks(db, [("artistName", artist)], limit=50)
    assert ids
    wanted = set(re.findall(r"\w+", artist.lower()))
    for track_id in ids:
        assert wanted & set(re.findall(r"\w+", _credited(db, track_id).lower()))
    asin, artist_id = db.execute(
        "SELECT ar.asin, ar.id FROM sandbox_artist ar JOIN sandbox_trackartist ta "
        "ON ta.artist_id = ar.id GROUP BY ar.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    ids, _ = search_tracks(db, [("artistId", asin)], limit=100)
    linked = _ids(db, "SELECT track_id FROM sandbox_trackartist WHERE artist_id = ?", artist_id)
    assert ids
    assert set(ids) <= linked
    ids, _ = search_tracks(db, [("artistId", asin), (None, title)], limit=100)
    assert set(ids) <= linked


def test_album_and_category_filters(db):
    album_id, asin = db.execute(
        "SELECT id, asin FROM sandbox_album WHERE track_count > 5 LIMIT 1"
    ).fetchone()
    ids, _ = search_tracks(db, [("albumId", asin)], limit=100)
    album_tracks = _ids(db, "SELECT id FROM sandbox_track WHERE album_id = ?", album_id)
    assert set(ids) == album_tracks
    ids, _ = search_tracks(db, [("categoryId", "rock"), (None, "love")], limit=30)
    assert ids
    in_rock = _ids(
        db,
        "SELECT ct.track_id FROM sandbox_category_tracks ct JOIN sandbox_category c "
        "ON c.id = ct.category_id WHERE c.slug = ?",
        "rock",
    )
    assert set(ids) <= in_rock
    asin = db.execute("SELECT asin FROM sandbox_track WHERE id = 7").fetchone()[0]
    assert search_tracks(db, [("asin", asin.lower())]) == ([7], False)


def test_sorts_order_what_matched(db):
    columns = {
        "popularity": "SELECT popularity FROM sandbox_track WHERE id = ?",
        "release_date": "SELECT release_date FROM sandbox_track WHERE id = ?",
        "title": "SELECT title FROM sandbox_track WHERE id = ?",
    }

    def values(sort_by: str, column: str) -> list[Any]:
        ids, _ = search_tracks(db, [(None, "love")], limit=30, sort_by=sort_by)
        return [db.execute(columns[column], (i,)).fetchone()[0] for i in ids]

    popularity = values("popularity", "popularity")
    assert popularity == sorted(popularity, reverse=True)
    released = [d for d in values("release", "release_date") if d]
    assert released == sorted(released, reverse=True)
    names = [index_text(str(n)) for n in values("name", "title")]
    assert names == sorted(names)


def test_pages_follow_on(db):
    everything, _ = search_tracks(db, [(None, "love you")], limit=40)
    first, more = search_tracks(db, [(None, "love you")], limit=20)
    second, _ = search_tracks(db, [(None, "love you")], limit=20, offset=20)
    assert more
    assert first + second == everything


@pytest.mark.parametrize(
    ("filters", "options"),
    [
        ([("title", "x")], {}),
        ([(None, "  ")], {}),
        ([], {}),
        ([(None, "x")], {"sort_by": "newest"}),
        ([(None, "x")], {"limit": 0}),
    ],
)
def test_bad_requests_raise_search_errors(db, filters, options):
    with pytest.raises(SearchError):
        search_tracks(db, filters, **options)


def test_albums_artists_and_playlists(db):
    album_id, title, artist = db.execute(
        "SELECT id, title, artist_text FROM sandbox_album WHERE version = '' "
        "ORDER BY popularity DESC LIMIT 1"
    ).fetchone()
    ids, _ = search_albums(db, f"{title} {artist}")
    assert ids[0] == album_id
    artist_id, name = db.execute(
        "SELECT ar.id, ar.name FROM sandbox_artist ar JOIN sandbox_trackartist ta "
        "ON ta.artist_id = ar.id GROUP BY ar.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    assert search_artists(db, name.upper())[0][0] == artist_id
    curated, curated_title = db.execute(
        "SELECT id, title FROM sandbox_playlist WHERE curated = 1 LIMIT 1"
    ).fetchone()
    assert curated in search_playlists(db, curated_title)[0]
    alice = db.execute("SELECT id FROM sandbox_account WHERE email = 'alice@example.com'")
    alice_id = alice.fetchone()[0]
    everything_i_love = db.execute(
        "SELECT id FROM sandbox_playlist WHERE title = 'Everything I Love'"
    ).fetchone()[0]
    assert everything_i_love not in search_playlists(db, "everything i love")[0]
    mine, _ = search_playlists(db, "everything i love", owner_id=alice_id)
    assert mine[0] == everything_i_love
