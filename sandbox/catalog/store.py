"""Writes generated records into the sandbox database in bulk, with the search index beside them.

Rows go in with ``executemany`` on the raw SQLite cursor, in batches, inside the caller's
transaction; the ORM would be a hundred times slower for a million tracks. Table and column
names come from the models' metadata so that a renamed field cannot silently diverge.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.db import models

from sandbox.catalog.records import (
    AccountRecord,
    AlbumRecord,
    ArtistRecord,
    CategoryRecord,
    LibraryAlbumRecord,
    LibraryTrackRecord,
    PlaylistRecord,
    PodcastEpisodeRecord,
    PodcastShowRecord,
    Record,
    TrackRecord,
)
from sandbox.models import (
    AccessToken,
    Account,
    Album,
    AlbumArtist,
    Artist,
    AuthorizationCode,
    Category,
    Client,
    LibraryAlbum,
    LibraryTrack,
    Playlist,
    PlaylistEntry,
    PodcastEpisode,
    PodcastShow,
    RefreshToken,
    Track,
    TrackArtist,
)
from sandbox.search import index as search_index

_BATCH = 20_000


def db_datetime(value: datetime) -> str:
    """The text Django's SQLite backend stores for an aware datetime (naive UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def db_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _insert_sql(model: type[models.Model], fields: Iterable[str]) -> str:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)
        columns.append(str(field.column))
    marks = ", ".join("?" * len(columns))
    # Names come from the models' metadata, values are bound: nothing here is user input.
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


def _m2m_sql(field: Any) -> str:
    through = field.remote_field.through
    source = field.m2m_column_name()
    target = field.m2m_reverse_name()
    return f"INSERT INTO {through._meta.db_table} ({source}, {target}) VALUES (?, ?)"  # noqa: S608


_SQL = {
    "artist": _insert_sql(Artist, ("id", "asin", "name", "image_url")),
    "album": _insert_sql(
        Album,
        (
            "id",
            "asin",
            "title",
            "artist_text",
            "release_date",
            "label",
            "image_url",
            "explicit",
            "version",
            "popularity",
            "track_count",
            "duration",
        ),
    ),
    "album_artist": _insert_sql(AlbumArtist, ("album", "artist", "position")),
    "track": _insert_sql(
        Track,
        (
            "id",
            "asin",
            "title",
            "artist_text",
            "album",
            "disc_number",
            "track_number",
            "duration",
            "isrc",
            "isrc_synthetic",
            "explicit",
            "version",
            "popularity",
            "release_date",
        ),
    ),
    "track_artist": _insert_sql(TrackArtist, ("track", "artist", "position")),
    "category": _insert_sql(Category, ("id", "slug", "title", "image_url", "position")),
    "category_album": _m2m_sql(Category._meta.get_field("albums")),
    "category_track": _m2m_sql(Category._meta.get_field("tracks")),
    "category_playlist": _m2m_sql(Category._meta.get_field("playlists")),
    "playlist": _insert_sql(
        Playlist,
        (
            "id",
            "owner",
            "title",
            "description",
            "visibility",
            "image_url",
            "curated",
            "popularity",
            "track_count",
            "total_duration",
            "created_at",
            "updated_at",
        ),
    ),
    "entry": _insert_sql(PlaylistEntry, ("entry_id", "playlist", "track", "position", "added_at")),
    "show": _insert_sql(PodcastShow, ("id", "asin", "title", "publisher", "image_url")),
    "episode": _insert_sql(
        PodcastEpisode,
        ("id", "asin", "show", "title", "description", "duration", "published_at"),
    ),
    "account": _insert_sql(
        Account,
        (
            "id",
            "user_id",
            "music_user_id",
            "name",
            "email",
            "has_music_account",
            "subscription_tier",
            "image_url",
            "created_at",
        ),
    ),
    "library_track": _insert_sql(LibraryTrack, ("account", "track", "added_at")),
    "library_album": _insert_sql(
        LibraryAlbum, ("account", "album", "object_id", "purchased", "uploaded", "added_at")
    ),
}
_ORDER = tuple(_SQL)
# Every playlist's track_count and total_duration, counted from its entries.
PLAYLIST_TOTALS_SQL = (
    "UPDATE sandbox_playlist SET "
    "track_count = (SELECT COUNT(*) FROM sandbox_playlistentry e WHERE e.playlist_id = "
    "sandbox_playlist.id), "
    "total_duration = (SELECT COALESCE(SUM(t.duration), 0) FROM sandbox_playlistentry e "
    "JOIN sandbox_track t ON t.id = e.track_id WHERE e.playlist_id = sandbox_playlist.id)"
)
# Children first, so that deleting never trips a foreign key.
_RESET_MODELS: tuple[type[models.Model], ...] = (
    AccessToken,
    RefreshToken,
    AuthorizationCode,
    LibraryAlbum,
    LibraryTrack,
    PlaylistEntry,
    Category.playlists.through,
    Category.tracks.through,
    Category.albums.through,
    Category,
    Playlist,
    PodcastEpisode,
    PodcastShow,
    TrackArtist,
    AlbumArtist,
    Track,
    Album,
    Artist,
    Account,
)


class RecordWriter:
    """Buffers records per table and flushes them with executemany; call ``close()`` last."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor
        self._rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._artist_names: dict[int, str] = {}
        self._album_texts: dict[int, str] = {}
        self._fts_tracks: list[tuple[int, str, str, str]] = []
        self._fts_albums: list[tuple[int, str, str]] = []
        self._fts_artists: list[tuple[int, str]] = []
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, record: Record) -> None:
        rows = self._rows
        if isinstance(record, TrackRecord):
            rows["track"].append(
                (
                    record.id,
                    record.asin,
                    record.title,
                    record.artist_text,
                    record.album_id,
                    record.disc_number,
                    record.track_number,
                    record.duration,
                    record.isrc,
                    record.isrc_synthetic,
                    record.explicit,
                    record.version,
                    record.popularity,
                    db_date(record.release_date),
                )
            )
            names = self._artist_names
            for position, artist_id in enumerate(record.artist_ids):
                rows["track_artist"].append((record.id, artist_id, position))
            for category_id in record.category_ids:
                rows["category_track"].append((category_id, record.id))
            self._fts_tracks.append(
                search_index.track_index_row(
                    record.id,
                    record.title,
                    record.artist_text,
                    [names[i] for i in record.artist_ids],
                    self._album_texts[record.album_id],
                )
            )
            if len(rows["track"]) >= _BATCH:
                self.flush()
        elif isinstance(record, AlbumRecord):
            rows["album"].append(
                (
                    record.id,
                    record.asin,
                    record.title,
                    record.artist_text,
                    db_date(record.release_date),
                    record.label,
                    record.image_url,
                    record.explicit,
                    record.version,
                    record.popularity,
                    record.track_count,
                    record.duration,
                )
            )
            for position, artist_id in enumerate(record.artist_ids):
                rows["album_artist"].append((record.id, artist_id, position))
            for category_id in record.category_ids:
                rows["category_album"].append((category_id, record.id))
            self._album_texts[record.id] = search_index.album_text(record.title, record.artist_text)
            self._fts_albums.append(
                (
                    record.id,
                    search_index.index_text(record.title),
                    search_index.index_text(record.artist_text),
                )
            )
        elif isinstance(record, ArtistRecord):
            rows["artist"].append((record.id, record.asin, record.name, record.image_url))
            self._artist_names[record.id] = record.name
            self._fts_artists.append((record.id, search_index.index_text(record.name)))
        elif isinstance(record, CategoryRecord):
            rows["category"].append(
                (record.id, record.slug, record.title, record.image_url, record.position)
            )
        elif isinstance(record, PlaylistRecord):
            self._add_playlist(record)
        elif isinstance(record, PodcastShowRecord):
            rows["show"].append(
                (record.id, record.asin, record.title, record.publisher, record.image_url)
            )
        elif isinstance(record, PodcastEpisodeRecord):
            rows["episode"].append(
                (
                    record.id,
                    record.asin,
                    record.show_id,
                    record.title,
                    record.description,
                    record.duration,
                    db_datetime(record.published_at),
                )
            )
        elif isinstance(record, AccountRecord):
            rows["account"].append(
                (
                    record.id,
                    record.user_id,
                    record.music_user_id,
                    record.name,
                    record.email,
                    record.has_music_account,
                    record.subscription_tier,
                    record.image_url,
                    db_datetime(record.created_at),
                )
            )
        elif isinstance(record, LibraryTrackRecord):
            rows["library_track"].append(
                (record.account_id, record.track_id, db_datetime(record.added_at))
            )
        elif isinstance(record, LibraryAlbumRecord):
            rows["library_album"].append(
                (
                    record.account_id,
                    record.album_id,
                    record.object_id,
                    record.purchased,
                    record.uploaded,
                    db_datetime(record.added_at),
                )
            )

    def _add_playlist(self, record: PlaylistRecord) -> None:
        self._rows["playlist"].append(
            (
                record.id,
                record.owner_id,
                record.title,
                record.description,
                record.visibility,
                record.image_url,
                record.curated,
                record.popularity,
                # Counted from the entries in close(), once they are all written.
                0,
                0,
                db_datetime(record.created_at),
                db_datetime(record.updated_at),
            )
        )
        added = db_datetime(record.updated_at)
        for position, (track_id, entry_id) in enumerate(
            zip(record.track_ids, record.entry_ids, strict=True)
        ):
            self._rows["entry"].append((entry_id, record.id, track_id, position, added))
        for category_id in record.category_ids:
            self._rows["category_playlist"].append((category_id, record.id))

    def flush(self) -> None:
        for name in _ORDER:
            rows = self._rows.get(name)
            if rows:
                self._cursor.executemany(_SQL[name], rows)
                self.counts[name] += len(rows)
                rows.clear()
        search_index.insert_artist_rows(self._cursor, self._fts_artists)
        search_index.insert_album_rows(self._cursor, self._fts_albums)
        search_index.insert_track_rows(self._cursor, self._fts_tracks)
        self._fts_artists.clear()
        self._fts_albums.clear()
        self._fts_tracks.clear()

    def close(self) -> None:
        self.flush()
        # Entries are written in bulk, so the playlists' totals are counted once at the end.
        self._cursor.execute(PLAYLIST_TOTALS_SQL)


def reset(cursor: sqlite3.Cursor) -> None:
    """Empty every sandbox table except registered clients, and the search index."""
    for model in _RESET_MODELS:
        cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
    search_index.clear_index(cursor)


def catalog_is_empty(cursor: sqlite3.Cursor) -> bool:
    return cursor.execute(f"SELECT 1 FROM {Track._meta.db_table} LIMIT 1").fetchone() is None  # noqa: S608


def upsert_client(
    cursor: sqlite3.Cursor,
    *,
    client_id: str,
    client_secret: str,
    api_key: str,
    redirect_uris: list[str],
) -> None:
    """The demo's registered LWA client, created or brought in line with the settings."""
    import json

    table = Client._meta.db_table
    found = cursor.execute(
        f"SELECT id FROM {table} WHERE client_id = ? OR security_profile_id = ?",  # noqa: S608
        (client_id, api_key),
    ).fetchall()
    values = (
        "Amazon Music Transfer (demo)",
        client_id,
        client_secret,
        api_key,
        json.dumps(redirect_uris),
        True,
    )
    if found:
        # A client id and an api key from two different rows: keep the first, drop the other.
        keep = found[0][0]
        for (other,) in found[1:]:
            cursor.execute(f"DELETE FROM {table} WHERE id = ?", (other,))  # noqa: S608
        cursor.execute(
            f"UPDATE {table} SET name = ?, client_id = ?, client_secret = ?, "  # noqa: S608
            "security_profile_id = ?, redirect_uris = ?, music_enabled = ? WHERE id = ?",
            (*values, keep),
        )
    else:
        cursor.execute(
            f"INSERT INTO {table} (name, client_id, client_secret, security_profile_id, "  # noqa: S608
            "redirect_uris, music_enabled) VALUES (?, ?, ?, ?, ?, ?)",
            values,
        )
