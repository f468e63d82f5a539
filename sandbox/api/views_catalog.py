"""Catalog reads: GET /albums/{id}, /albums?ids=, /tracks/{id}, /tracks?ids= (music::catalog)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sandbox.api import loaders
from sandbox.api.auth import CATALOG, ApiContext
from sandbox.api.endpoint import endpoint
from sandbox.api.errors import bad_request, not_found
from sandbox.api.serializers import album_node

MAX_IDS = 100


def _ids(request: HttpRequest) -> list[str]:
    ids = loaders.split_ids(request.GET.get("ids"))
    if not ids:
        raise bad_request("The ids parameter is required.")
    if len(ids) > MAX_IDS:
        raise bad_request(f"There is a maximum limit of {MAX_IDS} IDs.")
    return ids


@endpoint(CATALOG)
def get_album(request: HttpRequest, context: ApiContext, album_id: str) -> dict[str, Any]:
    album = loaders.albums_by_asin([album_id], with_tracks=True).get(album_id)
    if album is None:
        raise not_found(f"Album {album_id} was not found.")
    return {"album": album_node(album)}


@endpoint(CATALOG)
def get_albums(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    ids = _ids(request)
    found = loaders.albums_by_asin(ids, with_tracks=True)
    # Unknown ids are left out rather than failing the batch.
    return {"albums": [album_node(found[asin]) for asin in ids if asin in found]}


def _media_type(request: HttpRequest) -> str:
    media_type = request.GET.get("mediaType", "AUDIO")
    if media_type not in {"AUDIO", "VIDEO"}:
        raise bad_request("mediaType must be AUDIO or VIDEO.")
    return media_type


@endpoint(CATALOG)
def get_track(request: HttpRequest, context: ApiContext, track_id: str) -> dict[str, Any]:
    # The sandbox catalog has no music videos.
    node = loaders.track_nodes_by_asin([track_id]).get(track_id)
    if node is None or _media_type(request) == "VIDEO":
        raise not_found(f"Track {track_id} was not found.")
    return {"track": node}


@endpoint(CATALOG)
def get_tracks(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    ids = _ids(request)
    if _media_type(request) == "VIDEO":
        return {"tracks": []}
    found = loaders.track_nodes_by_asin(ids)
    return {"tracks": [found[asin] for asin in ids if asin in found]}
