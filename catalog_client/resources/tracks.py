"""Catalog tracks by id (reference.md §3.4), cached per id."""

from __future__ import annotations

from collections.abc import Iterable

from catalog_client._base import BaseClient
from catalog_client._parsing import _dig, _model, _seg
from catalog_client.models import Track


class TracksResource(BaseClient):
    """``/tracks``."""

    def get_track(self, track_id: str) -> Track:
        """GET /tracks/{id} (reference.md §3.4): one catalog track; scope music::catalog."""
        raw = self._cached_catalog(
            "track",
            track_id,
            self._ttls().track,
            lambda: _dig(self._http.request("GET", f"/tracks/{_seg(track_id)}"), "track"),
        )
        return _model(Track, raw)

    def get_tracks(self, track_ids: Iterable[str]) -> list[Track]:
        """GET /tracks?ids= (reference.md §3.4 Get Multiple Tracks), in batches of 100.

        Cached per id, so ids looked up before (by either method) cost no call.
        """
        raws = self._cached_batch(
            "track",
            track_ids,
            self._ttls().track,
            lambda ids: _dig(
                self._http.request("GET", "/tracks", params={"ids": ",".join(ids)}), "tracks"
            ),
        )
        return [_model(Track, raw) for raw in raws]
