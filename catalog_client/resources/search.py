"""Catalog search (reference.md §3.7), including the exact-ISRC lookup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from catalog_client._base import MAX_SEARCH_PAGE, BaseClient
from catalog_client._http import dumps_for_key
from catalog_client._parsing import _dig, _edges, _model
from catalog_client.models import Album, Artist, Playlist, SearchAllResult, Track
from catalog_client.pagination import Paginator


class SearchResource(BaseClient):
    """``/search``."""

    def search_tracks(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Track]:
        """POST /search/tracks (reference.md §3.7 Search Tracks).

        ``query`` alone is a match query (a filter without field); ``filters`` are
        ``{"field": TrackFieldType, "query": str}`` pairs (name, artistName, albumName, isrc…).
        Pages are cached as catalog searches.
        """
        return self._search(
            cursor, "tracks", "searchTracks", Track, query, filters, sort_by, limit, max_items
        )

    def search_albums(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Album]:
        """POST /search/albums (reference.md §3.7 TOC: Search Albums)."""
        return self._search(
            cursor, "albums", "searchAlbums", Album, query, filters, sort_by, limit, max_items
        )

    def search_artists(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Artist]:
        """POST /search/artists (reference.md §3.7 TOC: Search Artists)."""
        return self._search(
            cursor, "artists", "searchArtists", Artist, query, filters, sort_by, limit, max_items
        )

    def search_playlists(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Playlist]:
        """POST /search/playlists (reference.md §3.7 TOC: Search Playlists)."""
        return self._search(
            cursor,
            "playlists",
            "searchPlaylists",
            Playlist,
            query,
            filters,
            sort_by,
            limit,
            max_items,
        )

    def search_all(self, query: str, *, limit: int = 10) -> SearchAllResult:
        """GET /search?query= (reference.md §3.7 Search All): views of entity groups."""
        params = {"query": query, "limit": limit}
        data = self._cached_catalog(
            "searchall",
            dumps_for_key(params),
            self._ttls().search,
            lambda: self._http.request("GET", "/search", params=params),
        )
        views = data if isinstance(data, list) else [data]
        return SearchAllResult(views=[v for v in views if isinstance(v, dict)])

    def find_tracks_by_isrc(self, isrc: str, *, limit: int = 5) -> list[Track]:
        """ISRC lookup: search with ``field: isrc`` (reference.md §0 item 5, §3.7).

        There is no ISRC endpoint; search is ranked rather than exact, so only tracks whose
        ``isrc`` equals the one asked for are returned. Cached for a week (an empty answer for
        the search TTL, since the catalog may gain the recording).
        """
        wanted = isrc.strip().upper()
        cache_key = self.cache.catalog_key("isrc", wanted) if self.cache else None
        if self.cache is not None and cache_key is not None:
            cached = self.cache.get(cache_key)
            if cached is not None:
                self.metrics.incr("cache_hits")
                return [_model(Track, raw) for raw in cached]
            self.metrics.incr("cache_misses")
        matches: list[dict[str, Any]] = []
        body = {"searchFilters": [{"field": "isrc", "query": wanted}], "limit": limit}
        data = self._http.request("POST", "/search/tracks", json_body=body)
        for edge in _edges(_dig(data, "searchTracks")):
            node = edge.get("node")
            if isinstance(node, dict) and str(node.get("isrc") or "").upper() == wanted:
                matches.append(node)
        if self.cache is not None and cache_key is not None:
            ttls = self._ttls()
            self.cache.set(cache_key, matches, ttls.isrc if matches else ttls.search)
        return [_model(Track, raw) for raw in matches]
