"""Keeps the FTS5 tables for tracks, albums and artists in step with the catalog tables.

Whoever writes ``sandbox_track``, ``sandbox_album``, ``sandbox_artist`` or their artist links
calls ``index_tracks``/``index_albums``/``index_artists`` with the ids it touched, in the same
transaction; the seeder inserts index rows in bulk and then calls ``finish_bulk_index``.
Playlists and podcasts need nothing: triggers keep their tables in sync (migration 0002).

Every function takes a DB-API handle: a ``sqlite3`` connection or cursor, or Django's
connection or cursor wrapper (see ``raw_cursor``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from sandbox.search.text import index_text, other_names, tokens

_CHUNK = 500


def raw_cursor(db: Any) -> sqlite3.Cursor:
    """A plain sqlite3 cursor from a sqlite3 or Django connection or cursor.

    Django's debug cursor formats ``?`` parameters with ``%`` and fails, so this reaches
    underneath it; the statements still run in the caller's transaction.
    """
    if isinstance(db, sqlite3.Cursor):
        return db
    if isinstance(db, sqlite3.Connection):
        return db.cursor()
    inner = getattr(db, "cursor", None)
    if isinstance(inner, sqlite3.Cursor):
        return inner
    if hasattr(db, "ensure_connection"):
        db.ensure_connection()
        return raw_cursor(db.connection)
    if inner is not None and hasattr(inner, "cursor"):
        return raw_cursor(inner)
    raise TypeError(f"Not a SQLite connection or cursor: {type(db).__name__}")


def _chunks(ids: Sequence[int], size: int = _CHUNK) -> Iterable[str]:
    """Ids in JSON arrays, for ``IN (SELECT value FROM json_each(?))``: one bound parameter."""
    for start in range(0, len(ids), size):
        yield json.dumps(list(ids[start : start + size]))


def artists_text(artist_text: str, names: Iterable[str]) -> str:
    """The artist column: the display credit plus any linked artist it does not spell out."""
    seen = tokens(artist_text)
    extra = [n for n in names if not set(tokens(n)) <= set(seen)]
    # A real catalog finds an artist by any of their names: "BTS" and "방탄소년단".
    known = [*names, *(part.strip() for part in re.split(r",|&| x | feat\.? ", artist_text))]
    aliases = [alias for name in known if name for alias in other_names(name)]
    return index_text(" ".join(dict.fromkeys([artist_text, *extra, *aliases])))


def album_text(title: str, artist_text: str) -> str:
    """The album column of a track: the album's title and its artist, so that "Now 17 Various
    Artists" finds the tracks of that compilation."""
    return f"{title} {artist_text}"


def track_index_row(
    track_id: int, title: str, artist_text: str, artist_names: Iterable[str], album: str
) -> tuple[int, str, str, str]:
    """An index row; ``album`` is ``album_text(album title, album artist)``."""
    return (
        track_id,
        index_text(title),
        artists_text(artist_text, artist_names),
        index_text(album),
    )


def insert_track_rows(db: Any, rows: Iterable[tuple[int, str, str, str]]) -> None:
    raw_cursor(db).executemany(
        "INSERT INTO sandbox_track_fts (rowid, title, artists, album) VALUES (?, ?, ?, ?)", rows
    )


def insert_album_rows(db: Any, rows: Iterable[tuple[int, str, str]]) -> None:
    raw_cursor(db).executemany(
        "INSERT INTO sandbox_album_fts (rowid, title, artists) VALUES (?, ?, ?)", rows
    )


def insert_artist_rows(db: Any, rows: Iterable[tuple[int, str]]) -> None:
    raw_cursor(db).executemany("INSERT INTO sandbox_artist_fts (rowid, name) VALUES (?, ?)", rows)


def _terms_of(cursor: sqlite3.Cursor, ids: Sequence[int]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        for title, artists, album in cursor.execute(
            "SELECT title, artists, album FROM sandbox_track_fts "
            "WHERE rowid IN (SELECT value FROM json_each(?))",
            (chunk,),
        ):
            found.update(f"{title} {artists} {album}".split())
    return found


def index_tracks(db: Any, track_ids: Iterable[int]) -> int:
    """(Re)index these tracks from the catalog tables; deleted ids drop out. Returns rows."""
    cursor = raw_cursor(db)
    ids = sorted(set(track_ids))
    if not ids:
        return 0
    touched = _terms_of(cursor, ids)
    written = 0
    for chunk in _chunks(ids):
        cursor.execute(
            "DELETE FROM sandbox_track_fts WHERE rowid IN (SELECT value FROM json_each(?))",
            (chunk,),
        )
        names: dict[int, list[str]] = {}
        for track_id, name in cursor.execute(
            "SELECT ta.track_id, ar.name FROM sandbox_trackartist ta "
            "JOIN sandbox_artist ar ON ar.id = ta.artist_id "
            "WHERE ta.track_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY ta.track_id, ta.position",
            (chunk,),
        ):
            names.setdefault(track_id, []).append(name)
        rows = [
            track_index_row(
                track_id, title, artist_text, names.get(track_id, []), album_text(*album)
            )
            for track_id, title, artist_text, *album in cursor.execute(
                "SELECT t.id, t.title, t.artist_text, a.title, a.artist_text FROM sandbox_track t "
                "JOIN sandbox_album a ON a.id = t.album_id "
                "WHERE t.id IN (SELECT value FROM json_each(?))",
                (chunk,),
            ).fetchall()
        ]
        insert_track_rows(cursor, rows)
        written += len(rows)
        for row in rows:
            touched.update(f"{row[1]} {row[2]} {row[3]}".split())
    refresh_terms(cursor, touched)
    return written


def index_albums(db: Any, album_ids: Iterable[int]) -> int:
    cursor = raw_cursor(db)
    ids = sorted(set(album_ids))
    written = 0
    for chunk in _chunks(ids):
        cursor.execute(
            "DELETE FROM sandbox_album_fts WHERE rowid IN (SELECT value FROM json_each(?))",
            (chunk,),
        )
        rows = [
            (album_id, index_text(title), index_text(artist_text))
            for album_id, title, artist_text in cursor.execute(
                "SELECT id, title, artist_text FROM sandbox_album "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (chunk,),
            ).fetchall()
        ]
        insert_album_rows(cursor, rows)
        written += len(rows)
    return written


def index_artists(db: Any, artist_ids: Iterable[int]) -> int:
    cursor = raw_cursor(db)
    ids = sorted(set(artist_ids))
    written = 0
    for chunk in _chunks(ids):
        cursor.execute(
            "DELETE FROM sandbox_artist_fts WHERE rowid IN (SELECT value FROM json_each(?))",
            (chunk,),
        )
        rows = [
            (artist_id, index_text(name))
            for artist_id, name in cursor.execute(
                "SELECT id, name FROM sandbox_artist WHERE id IN (SELECT value FROM json_each(?))",
                (chunk,),
            ).fetchall()
        ]
        insert_artist_rows(cursor, rows)
        written += len(rows)
    return written


def refresh_terms(db: Any, terms: Iterable[str]) -> None:
    """Recount the documents of these terms from the index itself."""
    cursor = raw_cursor(db)
    for term in terms:
        row = cursor.execute(
            "SELECT doc FROM sandbox_track_fts_vocab WHERE term = ?", (term,)
        ).fetchone()
        if row is None:
            cursor.execute("DELETE FROM sandbox_search_term WHERE term = ?", (term,))
        else:
            cursor.execute(
                "INSERT INTO sandbox_search_term (term, docs) VALUES (?, ?) "
                "ON CONFLICT(term) DO UPDATE SET docs = excluded.docs",
                (term, row[0]),
            )
    _store_document_count(cursor)


def _store_document_count(cursor: sqlite3.Cursor) -> None:
    count = cursor.execute("SELECT count(*) FROM sandbox_track").fetchone()[0]
    cursor.execute(
        "INSERT INTO sandbox_search_meta (name, value) VALUES ('track_docs', ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (count,),
    )


def finish_bulk_index(db: Any) -> None:
    """After bulk inserts: merge index segments and recount every term."""
    cursor = raw_cursor(db)
    cursor.execute("INSERT INTO sandbox_track_fts (sandbox_track_fts) VALUES ('optimize')")
    cursor.execute("INSERT INTO sandbox_album_fts (sandbox_album_fts) VALUES ('optimize')")
    cursor.execute("INSERT INTO sandbox_artist_fts (sandbox_artist_fts) VALUES ('optimize')")
    cursor.execute("DELETE FROM sandbox_search_term")
    cursor.execute(
        "INSERT INTO sandbox_search_term (term, docs) SELECT term, doc FROM sandbox_track_fts_vocab"
    )
    _store_document_count(cursor)


def clear_index(db: Any) -> None:
    cursor = raw_cursor(db)
    cursor.execute("DELETE FROM sandbox_track_fts")
    cursor.execute("DELETE FROM sandbox_album_fts")
    cursor.execute("DELETE FROM sandbox_artist_fts")
    cursor.execute("DELETE FROM sandbox_search_term")
    cursor.execute("DELETE FROM sandbox_search_meta")


def rebuild_index(db: Any) -> None:
    """Reindex every track, album and artist from the catalog tables."""
    cursor = raw_cursor(db)
    clear_index(cursor)
    index_artists(cursor, [r[0] for r in cursor.execute("SELECT id FROM sandbox_artist")])
    index_albums(cursor, [r[0] for r in cursor.execute("SELECT id FROM sandbox_album")])
    names: dict[int, list[str]] = {}
    for track_id, name in cursor.execute(
        "SELECT ta.track_id, ar.name FROM sandbox_trackartist ta "
        "JOIN sandbox_artist ar ON ar.id = ta.artist_id ORDER BY ta.track_id, ta.position"
    ).fetchall():
        names.setdefault(track_id, []).append(name)
    rows = cursor.execute(
        "SELECT t.id, t.title, t.artist_text, a.title, a.artist_text FROM sandbox_track t "
        "JOIN sandbox_album a ON a.id = t.album_id"
    ).fetchall()
    insert_track_rows(
        cursor,
        (
            track_index_row(i, title, credit, names.get(i, []), album_text(*album))
            for i, title, credit, *album in rows
        ),
    )
    finish_bulk_index(cursor)
