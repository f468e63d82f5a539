"""Catalog albums by id (seed-albums.txt), cached per id."""

from __future__ import annotations

from collections.abc import Iterable

from catalog_client._base import BaseClient
from catalog_client._parsing import _dig, _model, _seg
from catalog_client.models import Album


class AlbumsResource(BaseClient):
    """``/albums``."""

    def get_album(self, album_id: str) -> Album:
        """GET /albums/{id} (seed-albums.txt Get Album); scope music::catalog."""
        raw = self._cached_catalog(
            "album",
            album_id,
            self._ttls().album,
            lambda: _dig(self._http.request("GET", f"/albums/{_seg(album_id)}"), "album"),
        )
        return _model(Album, raw)

    def get_albums(self, album_ids: Iterable[str]) -> list[Album]:
        """GET /albums?ids= (seed-albums.txt Get Multiple Albums): max 100 ids per request."""
        raws = self._cached_batch(
            "album",
            album_ids,
            self._ttls().album,
            lambda ids: _dig(
                self._http.request("GET", "/albums", params={"ids": ",".join(ids)}), "albums"
            ),
        )
        return [_model(Album, raw) for raw in raws]
