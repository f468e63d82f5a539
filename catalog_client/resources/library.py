"""The user's saved tracks and albums (seed-library.txt, seed-albums.txt)."""

from __future__ import annotations

from collections.abc import Sequence

from catalog_client._base import MAX_PAGE_SIZE, BaseClient
from catalog_client._parsing import _dig, _model, _seg
from catalog_client.models import LibraryAlbum, LibraryTrack, SaveAlbumResult, SaveTrackResult
from catalog_client.pagination import Paginator


class LibraryResource(BaseClient):
    """``/me/library/tracks`` and ``/me/library/albums``: cached per user; writes invalidate."""

    def iter_library_tracks(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[LibraryTrack]:
        """GET /me/library/tracks (reference.md §3.1, §3.3): the user's saved tracks."""
        return self._paged_get(
            "/me/library/tracks",
            ("user", "libraryTracks"),
            LibraryTrack,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            edge_to_item=lambda edge: {**edge, "track": edge.get("node") or {}},
            cursor=cursor,
        )

    def save_track(self, track_id: str) -> SaveTrackResult:
        """PUT /me/library/tracks/{id} (seed-library.txt): answer ``saveTrack``; idempotent."""
        data = self._write("PUT", f"/me/library/tracks/{_seg(track_id)}")
        return _model(SaveTrackResult, _dig(data, "saveTrack"))

    def remove_track(self, track_id: str) -> SaveTrackResult | None:
        """DELETE /me/library/tracks/{id} (seed-library.txt): answer ``removeTrack``.

        Returns None when a retried delete finds the track already gone.
        """
        data = self._write("DELETE", f"/me/library/tracks/{_seg(track_id)}", delete=True)
        return None if data is None else _model(SaveTrackResult, _dig(data, "removeTrack"))

    def iter_library_albums(
        self,
        *,
        album_ids: Sequence[str] | None = None,
        limit: int = MAX_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Paginator[LibraryAlbum]:
        """GET /me/library/albums (seed-albums.txt Get Current User's Library Albums).

        ``album_ids`` narrows the answer to those albums (the document's ``albumIds``), which
        is how to ask "are these in the library?".
        """
        params = {"albumIds": ",".join(album_ids)} if album_ids else None
        return self._paged_get(
            "/me/library/albums",
            ("user", "libraryAlbums"),
            LibraryAlbum,
            limit=min(limit, MAX_PAGE_SIZE),
            params=params,
            user_data=True,
            edge_to_item=lambda edge: {**edge, "album": edge.get("node") or {}},
            cursor=cursor,
        )

    def save_album(self, album_id: str) -> SaveAlbumResult:
        """PUT /me/library/albums/{id} (seed-albums.txt): answer ``saveAlbum``; idempotent."""
        data = self._write("PUT", f"/me/library/albums/{_seg(album_id)}")
        return _model(SaveAlbumResult, _dig(data, "saveAlbum"))

    def remove_album(self, album_id: str) -> SaveAlbumResult | None:
        """DELETE /me/library/albums/{id} (seed-albums.txt): answer ``removeAlbum``."""
        data = self._write("DELETE", f"/me/library/albums/{_seg(album_id)}", delete=True)
        return None if data is None else _model(SaveAlbumResult, _dig(data, "removeAlbum"))
