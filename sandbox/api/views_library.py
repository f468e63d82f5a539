"""The current person: GET/PUT /me, library albums and tracks, and their playlists."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sandbox.api import library, loaders
from sandbox.api.auth import LIBRARY_READ, LIBRARY_WRITE, PROFILE_READ, PROFILE_WRITE, ApiContext
from sandbox.api.endpoint import endpoint
from sandbox.api.envelope import json_body
from sandbox.api.errors import bad_request, not_found, unprocessable
from sandbox.api.pagination import connection, fetch_page, page_request
from sandbox.api.serializers import (
    album_node,
    album_ref,
    iso_datetime,
    playlist_node,
    track_ref,
    user_node,
)
from sandbox.models import Account, LibraryAlbum, LibraryTrack

VISIBILITIES = ("PUBLIC", "PRIVATE")


@endpoint(PROFILE_READ)
def get_me(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    return {"user": user_node(context.account)}


@endpoint(PROFILE_WRITE)
def put_me(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    body = json_body(request)
    for name in ("name", "visibility", "playbackVisibility"):
        if not isinstance(body.get(name), str):
            raise bad_request(f"{name} is required and must be a string.")
    for name in ("visibility", "playbackVisibility"):
        if body[name] not in VISIBILITIES:
            raise unprocessable(f"{name} must be PUBLIC or PRIVATE.")
    if not body["name"].strip():
        raise unprocessable("name must not be empty.")
    account = context.account
    account.name = body["name"].strip()[:200]
    account.save(update_fields=["name"])
    return {"updateUser": user_node(account)}


@endpoint(LIBRARY_READ)
def library_albums(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    album_ids = loaders.split_ids(request.GET.get("albumIds"))
    page_context = f"library-albums:{context.account.pk}:{','.join(album_ids)}"
    offset, limit = page_request(request.GET, page_context, default=100, edge_cursors=True)
    rows = LibraryAlbum.objects.filter(account=context.account).order_by("-added_at", "-id")
    if album_ids:
        rows = rows.filter(album__asin__in=album_ids)
    page, has_next = fetch_page(rows.values_list("pk", "album_id"), offset, limit)
    saved = {row.pk: row for row in LibraryAlbum.objects.filter(pk__in=[pk for pk, _ in page])}
    albums = {album.pk: album for album in loaders.albums_in_order([a for _, a in page])}
    edges = [
        {
            "cursor": f"{offset + index}:{saved[pk].object_id}",
            "purchased": saved[pk].purchased,
            "uploaded": saved[pk].uploaded,
            "node": album_node(albums[album_pk], with_tracks=False),
            "objectId": saved[pk].object_id,
        }
        for index, (pk, album_pk) in enumerate(page)
    ]
    user: dict[str, Any] = {"id": context.account.music_user_id}
    user["libraryAlbums"] = connection(
        edges, has_next=has_next, next_offset=offset + len(page), context=page_context
    )
    return {"user": user}


@endpoint(LIBRARY_WRITE, write=True)
def save_album(request: HttpRequest, context: ApiContext, album_id: str) -> dict[str, Any]:
    album = library.save_album(context.account, album_id)
    return {"saveAlbum": {"album": album_ref(album), "saveState": "SAVED"}}


@endpoint(LIBRARY_WRITE, write=True)
def remove_album(request: HttpRequest, context: ApiContext, album_id: str) -> dict[str, Any]:
    album = library.remove_album(context.account, album_id)
    return {"removeAlbum": {"album": album_ref(album), "saveState": "REMOVED"}}


@endpoint(LIBRARY_READ)
def library_tracks(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    page_context = f"library-tracks:{context.account.pk}"
    offset, limit = page_request(request.GET, page_context, default=100, edge_cursors=True)
    rows = LibraryTrack.objects.filter(account=context.account).order_by("-added_at", "-id")
    page, has_next = fetch_page(rows.values_list("track_id", "added_at"), offset, limit)
    nodes = loaders.track_nodes.nodes_in_order([pk for pk, _ in page])
    edges = [
        {
            "cursor": f"{offset + index}:{nodes[pk]['id']}",
            "addedAt": iso_datetime(added_at),
            "node": nodes[pk],
        }
        for index, (pk, added_at) in enumerate(page)
    ]
    user: dict[str, Any] = {"id": context.account.music_user_id}
    user["libraryTracks"] = connection(
        edges, has_next=has_next, next_offset=offset + len(page), context=page_context
    )
    return {"user": user}


@endpoint(LIBRARY_WRITE, write=True)
def save_track(request: HttpRequest, context: ApiContext, track_id: str) -> dict[str, Any]:
    track = library.save_track(context.account, track_id)
    return {"saveTrack": {"track": track_ref(track), "saveState": "SAVED"}}


@endpoint(LIBRARY_WRITE, write=True)
def remove_track(request: HttpRequest, context: ApiContext, track_id: str) -> dict[str, Any]:
    track = library.remove_track(context.account, track_id)
    return {"removeTrack": {"track": track_ref(track), "saveState": "REMOVED"}}


def _playlists_of(request: HttpRequest, owner: Account, *, public_only: bool) -> dict[str, Any]:
    page_context = f"playlists:{owner.pk}:{public_only}"
    offset, limit = page_request(request.GET, page_context, default=100, edge_cursors=True)
    rows = loaders.playlists().filter(owner=owner).order_by("created_at", "id")
    if public_only:
        rows = rows.filter(visibility="PUBLIC")
    page, has_next = fetch_page(rows, offset, limit)
    edges = [
        {"cursor": f"{offset + index}:{playlist.pk}", "node": playlist_node(playlist)}
        for index, playlist in enumerate(page)
    ]
    return {
        "id": owner.music_user_id,
        "playlists": connection(
            edges, has_next=has_next, next_offset=offset + len(page), context=page_context
        ),
    }


@endpoint(LIBRARY_READ)
def my_playlists(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    return {"user": _playlists_of(request, context.account, public_only=False)}


@endpoint(LIBRARY_READ)
def user_playlists(request: HttpRequest, context: ApiContext, user_id: str) -> dict[str, Any]:
    owner = Account.objects.filter(music_user_id=user_id).first()
    if owner is None:
        raise not_found(f"User {user_id} was not found.")
    return {"user": _playlists_of(request, owner, public_only=owner.pk != context.account.pk)}
