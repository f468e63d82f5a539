"""The sandbox's catalog search engine, for the /v1/search/* views. Read this before calling it.

It behaves like a real catalog search, not a lookup table: results are ranked over title,
artists and album; case, punctuation, diacritics, word order, a typo per word and words
typed apart ("don t", "r e m") are tolerated; and near misses come back below the best
answers (other versions of the song, the same title by other artists). Only id, ASIN and ISRC
filters are exact. This engine shares no code with the product's matcher, on purpose.

Every function takes ``db``: a ``sqlite3`` connection or cursor, or Django's ``connection`` or
a cursor from it (inside a view: ``from django.db import connection``). It reads only; it never
commits or opens a transaction. Results are database primary keys (load rows with the ORM),
best first, plus ``has_more`` for ``pageInfo.hasNextPage``. Pages are ``limit``/``offset``;
the view turns ``offset`` into its own ``token``. At most 1,000 results are reachable (real
engines cap deep paging too); ``has_more`` is False at that point.

Tracks
    ``search_tracks(db, filters, limit=20, offset=0, sort_by="relevance")``
        -> ``(list[int] of sandbox_track.id, has_more)``

    ``filters`` is the request's ``searchFilters`` as ``[(field, query), ...]``; ``field`` is
    None for "a match query over everything" or a ``TrackFieldType``, and all filters must
    hold (AND):

    - ``None``: free text over title, artists and album (album title and album artist).
    - ``name``, ``artistName``, ``albumName``: free text in that field only.
    - ``isrc``: exact; case, spaces and hyphens in the query are ignored.
    - ``id`` / ``asin``: exact track ASIN; a comma-separated list is accepted.
    - ``albumId``, ``artistId``: exact album or artist ASIN (any credited artist).
    - ``categoryId``: a category's slug (``rock``, ``chill``) or its numeric id.

    ``sort_by``: ``relevance`` (default), ``popularity``, ``release`` (newest first) or
    ``name`` (A-Z). With text filters, the three other sorts order the tracks that matched every
    word (or, if none did, the best candidates) instead of ranking them. Without text filters,
    "relevance" means popularity.

    Raises ``SearchError`` (a ValueError: answer 400) for an unknown field or sort, an empty
    query, no filters, ``limit < 1`` or ``offset < 0``. Clamp ``limit`` to the API's maximum
    before calling; the engine does not.

Albums, artists, playlists, podcasts (one free-text query each, OR-of-words, bm25-ranked)
    ``search_albums(db, query, limit=20, offset=0)`` -> ``(list[sandbox_album.id], has_more)``
    ``search_artists(db, query, limit=20, offset=0)`` -> ``(list[sandbox_artist.id], has_more)``
    ``search_playlists(db, query, limit=20, offset=0, owner_id=None)``
        -> ``(list[sandbox_playlist.id (str)], has_more)``: curated and PUBLIC playlists, plus
        the private ones of ``owner_id`` (an Account pk) when given.
    ``search_podcast_shows(...)`` / ``search_podcast_episodes(...)`` -> podcast show/episode pks.

Keeping the index in sync
    Playlists and podcasts: nothing to do (triggers in migration 0002). Tracks, albums and
    artists are indexed by Python (``sandbox.search.index``): code that writes those tables
    must call ``index_tracks(db, ids)`` / ``index_albums`` / ``index_artists`` in the same
    transaction. ``sandbox_seed`` and ``sandbox_load_catalog`` do; the API never writes them.

How it works (details in sandbox/README.md): an FTS5 table over tracks (title, artists, album;
``unicode61 remove_diacritics 2``; text pre-normalised by ``search.text.tokens``) answers three
cheap queries: every word, most popular first; the same title by anyone; any of the rarest
words, bm25-ranked. Chinese, Japanese and Korean runs are indexed as overlapping character
pairs, text in other scripts also in Latin letters, and artists with their other names
(``search.text``), so "ブタ野郎", "Gruppa krovi" and "BTS" find "青春ブタ野郎", "Группа
крови" and 방탄소년단. A pure re-ranker (``search.rank``) orders the union by coverage of the
query, precision of the match and popularity. Unknown words get spelling alternatives from a
term table (``sandbox_search_term``); on a 1,000,000-track catalog a search takes a few ms.
"""

from sandbox.search.engine import (
    SORTS,
    TRACK_FIELDS,
    SearchError,
    search_albums,
    search_artists,
    search_playlists,
    search_podcast_episodes,
    search_podcast_shows,
    search_tracks,
)
from sandbox.search.index import index_albums, index_artists, index_tracks, rebuild_index

__all__ = [
    "SORTS",
    "TRACK_FIELDS",
    "SearchError",
    "index_albums",
    "index_artists",
    "index_tracks",
    "rebuild_index",
    "search_albums",
    "search_artists",
    "search_playlists",
    "search_podcast_episodes",
    "search_podcast_shows",
    "search_tracks",
]
