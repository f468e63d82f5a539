"""Search: POST /search/tracks|albums|artists|playlists and GET /search (music::catalog).

Request validation and response shapes live here; the ranking is sandbox.search's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection as db_connection
from django.http import HttpRequest

from sandbox.api import loaders
from sandbox.api.auth import CATALOG, ApiContext
from sandbox.api.endpoint import endpoint
from sandbox.api.envelope import json_body
from sandbox.api.errors import bad_request, unprocessable
from sandbox.api.pagination import connection, context_of, decode_token, parse_limit
from sandbox.api.serializers import album_node, artist_node, playlist_node
from sandbox.models import Artist
from sandbox.search import engine

SORTS = engine.SORTS
TRACK_FIELDS = engine.TRACK_FIELDS
# The album, artist and playlist indexes are plain text: their fields all search that text.
ALBUM_FIELDS = ("name", "artistName")
ARTIST_FIELDS = ("name",)
PLAYLIST_FIELDS = ("name",)
SEARCH_DEFAULT_LIMIT = 100
SEARCH_ALL_DEFAULT_LIMIT = 10

Filters = list[tuple[str | None, str]]
# (filters, limit, offset, sort_by) -> (keys, has_more)
Runner = Callable[[Filters, int, int, str], tuple[list[Any], bool]]


def _filters(body: dict[str, Any], fields: tuple[str, ...]) -> Filters:
    raw = body.get("searchFilters")
    if not isinstance(raw, list) or not raw:
        raise bad_request("searchFilters is required: a list of {field, query} objects.")
    filters: Filters = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("Each search filter must be an object with field and query.")
        query, field = item.get("query"), item.get("field")
        if not isinstance(query, str) or not query.strip():
            raise bad_request("Each search filter needs a non-empty query.")
        if field is not None and not isinstance(field, str):
            raise bad_request("A search filter's field must be a string.")
        if field is not None and field not in fields:
            raise unprocessable(
                f"Unknown search field {field!r}.", payload={"allowedFields": list(fields)}
            )
        filters.append((field, query.strip()))
    return filters


def _sort(body: dict[str, Any]) -> str:
    sort_by = body.get("sortBy", "relevance")
    if sort_by not in SORTS:
        raise unprocessable(f"sortBy must be one of {', '.join(SORTS)}.")
    return str(sort_by)


def _search(
    request: HttpRequest,
    kind: str,
    fields: tuple[str, ...],
    run: Runner,
    nodes: Callable[[list[Any]], list[dict[str, Any]]],
) -> dict[str, Any]:
    body = json_body(request)
    filters = _filters(body, fields)
    sort_by = _sort(body)
    limit = parse_limit(body.get("limit"), SEARCH_DEFAULT_LIMIT)
    page_context = context_of(kind, json.dumps(filters), sort_by)
    offset = decode_token(body.get("token"), page_context)
    try:
        keys, has_next = run(filters, limit, offset, sort_by)
    except engine.SearchError as error:
        raise unprocessable(str(error)) from None
    edges = [{"node": node} for node in nodes(list(keys))]
    return connection(
        edges, has_next=has_next, next_offset=offset + len(keys), context=page_context
    )


def _text(filters: Filters) -> str:
    return " ".join(query for _, query in filters)


def _track_nodes(pks: list[int]) -> list[dict[str, Any]]:
    return loaders.track_nodes_in_order(pks)


def _album_nodes(pks: list[int]) -> list[dict[str, Any]]:
    return [album_node(album, with_tracks=False) for album in loaders.albums_in_order(pks)]


def _artist_nodes(pks: list[int]) -> list[dict[str, Any]]:
    by_pk = {artist.pk: artist for artist in Artist.objects.filter(pk__in=pks)}
    return [artist_node(by_pk[pk]) for pk in pks if pk in by_pk]


def _playlist_nodes(ids: list[str]) -> list[dict[str, Any]]:
    return [playlist_node(playlist) for playlist in loaders.playlists_in_order(ids)]


@endpoint(CATALOG)
def search_tracks(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    def run(filters: Filters, limit: int, offset: int, sort_by: str) -> tuple[list[Any], bool]:
        return engine.search_tracks(db_connection, filters, limit, offset, sort_by)

    return {"searchTracks": _search(request, "tracks", TRACK_FIELDS, run, _track_nodes)}


@endpoint(CATALOG)
def search_albums(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    def run(filters: Filters, limit: int, offset: int, sort_by: str) -> tuple[list[Any], bool]:
        return engine.search_albums(db_connection, _text(filters), limit, offset)

    return {"searchAlbums": _search(request, "albums", ALBUM_FIELDS, run, _album_nodes)}


@endpoint(CATALOG)
def search_artists(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    def run(filters: Filters, limit: int, offset: int, sort_by: str) -> tuple[list[Any], bool]:
        return engine.search_artists(db_connection, _text(filters), limit, offset)

    return {"searchArtists": _search(request, "artists", ARTIST_FIELDS, run, _artist_nodes)}


@endpoint(CATALOG)
def search_playlists(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    owner = context.account.pk

    def run(filters: Filters, limit: int, offset: int, sort_by: str) -> tuple[list[Any], bool]:
        # Curated and public playlists, plus the caller's own private ones.
        return engine.search_playlists(db_connection, _text(filters), limit, offset, owner)

    kind = f"playlists:{owner}"
    return {"searchPlaylists": _search(request, kind, PLAYLIST_FIELDS, run, _playlist_nodes)}


@endpoint(CATALOG)
def search_all(request: HttpRequest, context: ApiContext) -> list[dict[str, Any]]:
    query = request.GET.get("query", "").strip()
    if not query or len(query) > 300:
        raise bad_request("query is required (1 to 300 characters).")
    limit = parse_limit(request.GET.get("limit"), SEARCH_ALL_DEFAULT_LIMIT)
    track_pks, _ = engine.search_tracks(db_connection, [(None, query)], limit, 0, "relevance")
    album_pks, _ = engine.search_albums(db_connection, query, limit)
    artist_pks, _ = engine.search_artists(db_connection, query, limit)
    playlist_ids, _ = engine.search_playlists(db_connection, query, limit, 0, context.account.pk)
    groups = [
        ("Track", "tracks", "Songs", _track_nodes(track_pks)),
        ("Album", "albums", "Albums", _album_nodes(album_pks)),
        ("Artist", "artists", "Artists", _artist_nodes(artist_pks)),
        ("Playlist", "playlists", "Playlists", _playlist_nodes(playlist_ids)),
    ]
    # "Top hits": the best match of each kind, as the first group of Amazon's answer.
    top = [{"_type": kind, **items[0]} for kind, _, _, items in groups if items]
    entity_groups = [{"_type": "EntityGroup", "id": "topHits", "title": "Top hits", "items": top}]
    entity_groups += [
        {
            "_type": "EntityGroup",
            "id": group_id,
            "title": title,
            "items": [{"_type": kind, **item} for item in items],
        }
        for kind, group_id, title, items in groups
    ]
    return [
        {
            "_type": "View",
            "id": "catalog",
            "title": "Catalog Data",
            "content": {"_type": "EntityGroups", "entityGroups": entity_groups},
        }
    ]
