"""The search engine's SQLite FTS5 tables (see sandbox/search/__init__.py for the design).

Tracks, albums and artists are indexed by the Python indexer (sandbox/search/index.py), because
their index text joins several tables and is normalised in Python. Playlists and podcasts are kept
in sync by triggers, because the HTTP layer creates and renames playlists at run time.
"""

from django.db import migrations

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"


def _norm(expression: str) -> str:
    # The trigger-side share of sandbox.search.text.tokens(): apostrophes and "&".
    return f"replace(replace(replace({expression}, '''', ''), '\u2019', ''), '&', ' and ')"


def _synced(table: str, fts: str, key: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    values = ", ".join(_norm(f"new.{c}") for c in columns)
    names = ", ".join(columns)
    return (
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts} ({key}, {names}) VALUES (new.{key}, {values}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE {key} = old.{key}; END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE {key} = old.{key}; "
        f"INSERT INTO {fts} ({key}, {names}) VALUES (new.{key}, {values}); END",
    )


FORWARD = (
    f"CREATE VIRTUAL TABLE sandbox_track_fts USING fts5(title, artists, album, {TOKENIZE})",
    "CREATE VIRTUAL TABLE sandbox_track_fts_vocab USING fts5vocab(sandbox_track_fts, row)",
    f"CREATE VIRTUAL TABLE sandbox_album_fts USING fts5(title, artists, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE sandbox_artist_fts USING fts5(name, {TOKENIZE})",
    # Playlist ids are strings, so the id is a column rather than the FTS rowid.
    "CREATE VIRTUAL TABLE sandbox_playlist_fts USING "
    f"fts5(id UNINDEXED, title, description, {TOKENIZE})",
    "CREATE VIRTUAL TABLE sandbox_podcastshow_fts USING "
    f"fts5(id UNINDEXED, title, publisher, {TOKENIZE})",
    "CREATE VIRTUAL TABLE sandbox_podcastepisode_fts USING "
    f"fts5(id UNINDEXED, title, description, {TOKENIZE})",
    # Document frequency of every track-index term: spelling correction and query planning.
    "CREATE TABLE sandbox_search_term (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE sandbox_search_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    *_synced("sandbox_playlist", "sandbox_playlist_fts", "id", ("title", "description")),
    *_synced("sandbox_podcastshow", "sandbox_podcastshow_fts", "id", ("title", "publisher")),
    *_synced(
        "sandbox_podcastepisode", "sandbox_podcastepisode_fts", "id", ("title", "description")
    ),
)

BACKWARD = (
    *(
        f"DROP TRIGGER IF EXISTS {fts}_{suffix}"
        for fts in ("sandbox_playlist_fts", "sandbox_podcastshow_fts", "sandbox_podcastepisode_fts")
        for suffix in ("ai", "ad", "au")
    ),
    "DROP TABLE IF EXISTS sandbox_search_meta",
    "DROP TABLE IF EXISTS sandbox_search_term",
    "DROP TABLE IF EXISTS sandbox_podcastepisode_fts",
    "DROP TABLE IF EXISTS sandbox_podcastshow_fts",
    "DROP TABLE IF EXISTS sandbox_playlist_fts",
    "DROP TABLE IF EXISTS sandbox_artist_fts",
    "DROP TABLE IF EXISTS sandbox_album_fts",
    "DROP TABLE IF EXISTS sandbox_track_fts_vocab",
    "DROP TABLE IF EXISTS sandbox_track_fts",
)


class Migration(migrations.Migration):
    dependencies = [("sandbox", "0001_initial")]

    operations = [migrations.RunSQL(sql=list(FORWARD), reverse_sql=list(BACKWARD))]
