"""Queries that fetch catalog and library rows ready for serializing, in a few round trips."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from sandbox.api.serializers import track_node
from sandbox.models import Album, AlbumArtist, Playlist, Track, TrackArtist


def tracks() -> QuerySet[Track]:
    return Track.objects.select_related("album").prefetch_related(
        Prefetch(
            "trackartist_set",
            queryset=TrackArtist.objects.select_related("artist").order_by("position"),
        ),
        Prefetch(
            "album__albumartist_set",
            queryset=AlbumArtist.objects.select_related("artist").order_by("position"),
        ),
    )


def albums(*, with_tracks: bool) -> QuerySet[Album]:
    queryset = Album.objects.prefetch_related(
        Prefetch(
            "albumartist_set",
            queryset=AlbumArtist.objects.select_related("artist").order_by("position"),
        )
    )
    if with_tracks:
        queryset = queryset.prefetch_related(
            Prefetch("tracks", queryset=Track.objects.order_by("disc_number", "track_number", "id"))
        )
    return queryset


def playlists() -> QuerySet[Playlist]:
    return Playlist.objects.select_related("owner")


def tracks_by_asin(asins: Iterable[str]) -> dict[str, Track]:
    return {track.asin: track for track in tracks().filter(asin__in=list(asins))}


def tracks_in_order(pks: Sequence[int]) -> list[Track]:
    by_pk = {track.pk: track for track in tracks().filter(pk__in=list(pks))}
    return [by_pk[pk] for pk in pks if pk in by_pk]


class TrackNodeCache:
    """Serialized track objects by primary key, least recently used dropped first.

    A catalog track never changes once loaded (loading only adds rows; reseeding happens with
    the server stopped), so its JSON object can be built once per process. Building it through
    the ORM with two prefetches was most of a search's CPU; the stand-in must never be what a
    benchmark of the product measures. Callers must not mutate the dicts they get.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._nodes: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def nodes_in_order(self, pks: Sequence[int]) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        with self._lock:
            for pk in pks:
                node = self._nodes.get(pk)
                if node is not None:
                    self._nodes.move_to_end(pk)
                    found[pk] = node
        missing = [pk for pk in pks if pk not in found]
        if missing:
            built = {track.pk: track_node(track) for track in tracks().filter(pk__in=missing)}
            found.update(built)
            with self._lock:
                self._nodes.update(built)
                while len(self._nodes) > self.size:
                    self._nodes.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._nodes.clear()


track_nodes = TrackNodeCache(settings.SANDBOX_TRACK_NODE_CACHE)


def track_nodes_in_order(pks: Sequence[int]) -> list[dict[str, Any]]:
    """Track objects for ``pks`` in that order; unknown keys are left out."""
    by_pk = track_nodes.nodes_in_order(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def albums_by_asin(asins: Iterable[str], *, with_tracks: bool) -> dict[str, Album]:
    return {
        album.asin: album for album in albums(with_tracks=with_tracks).filter(asin__in=list(asins))
    }


def albums_in_order(pks: Sequence[int], *, with_tracks: bool = False) -> list[Album]:
    by_pk = {album.pk: album for album in albums(with_tracks=with_tracks).filter(pk__in=list(pks))}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def playlists_in_order(ids: Sequence[str]) -> list[Playlist]:
    by_id = {playlist.pk: playlist for playlist in playlists().filter(pk__in=list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def split_ids(raw: str | None) -> list[str]:
    """Ids from a comma-separated ``ids`` parameter, in order, without blanks or repeats."""
    seen: dict[str, None] = {}
    for item in (raw or "").split(","):
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)
