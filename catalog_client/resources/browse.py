"""Browse lists and categories (seed-browse.txt), cached for the browse TTL."""

from __future__ import annotations

from catalog_client._base import MAX_PAGE_SIZE, MAX_TOP_TRACKS, BaseClient
from catalog_client._parsing import M, _dig, _model, _seg
from catalog_client.models import Album, Category, Playlist, PodcastEpisode, Track
from catalog_client.pagination import Paginator


class BrowseResource(BaseClient):
    """``/browse``."""

    def iter_top_tracks(
        self, *, limit: int = MAX_TOP_TRACKS, cursor: str | None = None
    ) -> Paginator[Track]:
        """GET /browse/tracks/top (seed-browse.txt Get Top Tracks): max 20 per page."""
        return self._browse(
            "/browse/tracks/top", ("topTracks",), Track, limit, cursor, max_limit=MAX_TOP_TRACKS
        )

    def iter_top_playlists(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /browse/playlists/top (seed-browse.txt Get Top Playlists)."""
        return self._browse("/browse/playlists/top", ("topPlaylists",), Playlist, limit, cursor)

    def iter_new_podcast_episodes(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[PodcastEpisode]:
        """GET /browse/podcasts/episodes/new (seed-browse.txt Get New Podcast Episodes)."""
        return self._browse(
            "/browse/podcasts/episodes/new", ("newPodcastEpisodes",), PodcastEpisode, limit, cursor
        )

    def iter_categories(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Category]:
        """GET /browse/categories (seed-browse.txt Get All Categories)."""
        return self._browse("/browse/categories", ("browseCategories",), Category, limit, cursor)

    def _browse(
        self,
        path: str,
        keys: tuple[str, ...],
        model: type[M],
        limit: int,
        cursor: str | None,
        max_limit: int = MAX_PAGE_SIZE,
    ) -> Paginator[M]:
        """A browse list: catalog data, cached for the browse TTL, pages clamped to the max."""
        return self._paged_get(
            path,
            keys,
            model,
            limit=min(limit, max_limit),
            catalog_ttl=self._ttls().browse,
            cursor=cursor,
        )

    def get_category(self, category_id: str) -> Category:
        """GET /browse/categories/{id} (seed-browse.txt Get Category)."""
        raw = self._cached_catalog(
            "category",
            category_id,
            self._ttls().browse,
            lambda: _dig(
                self._http.request("GET", f"/browse/categories/{_seg(category_id)}"), "category"
            ),
        )
        return _model(Category, raw)

    def iter_category_albums(
        self, category_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Album]:
        """GET /browse/categories/{id}/albums (seed-browse.txt Get Albums By Category)."""
        return self._browse(
            f"/browse/categories/{_seg(category_id)}/albums",
            ("category", "albums"),
            Album,
            limit,
            cursor,
        )

    def iter_category_playlists(
        self, category_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /browse/categories/{id}/playlists (seed-browse.txt Get Playlists By Category)."""
        return self._browse(
            f"/browse/categories/{_seg(category_id)}/playlists",
            ("category", "playlists"),
            Playlist,
            limit,
            cursor,
        )

    def iter_category_tracks(
        self, category_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Track]:
        """GET /browse/categories/{id}/tracks (seed-browse.txt Get Tracks By Category)."""
        return self._browse(
            f"/browse/categories/{_seg(category_id)}/tracks",
            ("category", "tracks"),
            Track,
            limit,
            cursor,
        )
