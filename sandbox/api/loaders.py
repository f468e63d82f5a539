"""Queries that fetch catalog and library rows ready for serializing, in a few round trips."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection as db_connection
from django.db.models import Prefetch, QuerySet

from sandbox.api.serializers import TrackRow, track_node
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


_TRACKS_SQL = (
    "SELECT t.id, t.asin, t.title, t.duration, t.release_date, t.explicit, t.track_number, "
    "t.disc_number, t.isrc, t.album_id, al.asin, al.title, al.image_url, al.release_date "
    "FROM sandbox_track t JOIN sandbox_album al ON al.id = t.album_id "
    "WHERE t.id IN (SELECT value FROM json_each(%s))"
)
_TRACK_ARTISTS_SQL = (
    "SELECT ta.track_id, a.asin, a.name FROM sandbox_trackartist ta "
    "JOIN sandbox_artist a ON a.id = ta.artist_id "
    "WHERE ta.track_id IN (SELECT value FROM json_each(%s)) ORDER BY ta.track_id, ta.position"
)
_ALBUM_ARTISTS_SQL = (
    "SELECT aa.album_id, a.asin, a.name FROM sandbox_albumartist aa "
    "JOIN sandbox_artist a ON a.id = aa.artist_id "
    "WHERE aa.album_id IN (SELECT value FROM json_each(%s)) ORDER BY aa.album_id, aa.position"
)


def _grouped(cursor: Any, sql: str, keys: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    cursor.execute(sql, [json.dumps(list(keys))])
    grouped: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key, asin, name in cursor.fetchall():
        grouped[key].append((asin, name))
    return grouped


def track_rows(pks: Sequence[int]) -> dict[int, TrackRow]:
    """The rows of ``track_node`` by primary key, in three plain queries.

    Through the ORM with two prefetches this was most of an uncached search's CPU.
    """
    with db_connection.cursor() as cursor:
        cursor.execute(_TRACKS_SQL, [json.dumps(list(pks))])
        tracks = cursor.fetchall()
        artists = _grouped(cursor, _TRACK_ARTISTS_SQL, pks)
        # A track without artists of its own shows its album's (as Amazon's answers do).
        bare_albums = {row[9] for row in tracks if row[0] not in artists}
        album_artists = _grouped(cursor, _ALBUM_ARTISTS_SQL, bare_albums) if bare_albums else {}
    rows: dict[int, TrackRow] = {}
    for (
        pk,
        asin,
        title,
        duration,
        released,
        explicit,
        track_number,
        disc_number,
        isrc,
        album_pk,
        album_asin,
        album_title,
        album_image_url,
        album_released,
    ) in tracks:
        rows[pk] = TrackRow(
            asin=asin,
            title=title,
            duration=duration,
            release_date=_date(released or album_released),
            explicit=bool(explicit),
            track_number=track_number,
            disc_number=disc_number,
            isrc=isrc,
            album_asin=album_asin,
            album_title=album_title,
            album_image_url=album_image_url,
            artists=tuple(artists.get(pk) or album_artists.get(album_pk) or []),
        )
    return rows


def _date(value: date | str | None) -> date | None:
    # Django's SQLite connection converts declared DATE columns; a plain string is parsed.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class TrackNodeCache:
    """Serialized track objects by primary key, least recently used dropped first.

    A catalog track never changes once loaded (loading only adds rows; reseeding happens with
    the server stopped), so its JSON object can be built once per process. Building it through
    the ORM with two prefetches was most of a search's CPU (``track_rows`` now reads them in
    three plain queries); the stand-in must never be what a benchmark of the product measures.
    Callers must not mutate the dicts they get.
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
            built = {pk: track_node(row) for pk, row in track_rows(missing).items()}
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


def track_nodes_by_asin(asins: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Track objects of the catalog tracks among ``asins``, by ASIN."""
    pk_by_asin = dict(Track.objects.filter(asin__in=list(asins)).values_list("asin", "pk"))
    nodes = track_nodes.nodes_in_order(list(pk_by_asin.values()))
    return {asin: nodes[pk] for asin, pk in pk_by_asin.items() if pk in nodes}


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
