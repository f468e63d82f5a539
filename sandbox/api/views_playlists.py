"""Playlists: read, create, update, delete, and list/add/reorder/remove their tracks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sandbox.api import loaders
from sandbox.api import playlist_edits as edits
from sandbox.api.auth import LIBRARY_READ, LIBRARY_WRITE, ApiContext
from sandbox.api.endpoint import endpoint
from sandbox.api.envelope import json_body
from sandbox.api.errors import bad_request, unprocessable
from sandbox.api.pagination import (
    connection,
    decode_token,
    edge_cursor_index,
    fetch_page,
    parse_limit,
)
from sandbox.api.serializers import playlist_node
from sandbox.models import Playlist, PlaylistEntry

# Amazon's page size for playlist tracks is documented as 100 but observed as 50; the sandbox
# uses 50 so that clients which rely on the default get paged.
PLAYLIST_TRACKS_DEFAULT_LIMIT = 50
TITLE_MAX = 300


def _node(playlist: Playlist) -> dict[str, Any]:
    # The edits keep the object's totals and updatedAt in step: no need to read it again.
    return playlist_node(playlist)


@endpoint(LIBRARY_READ)
def get_playlist(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    return {"playlist": _node(edits.readable(playlist_id, context.account))}


def _text(body: dict[str, Any], name: str, *, required: bool) -> str | None:
    if name not in body:
        if required:
            raise bad_request(f"{name} is required.")
        return None
    value = body[name]
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string.")
    return value


def _playlist_fields(body: dict[str, Any], *, required: bool) -> dict[str, str]:
    fields = {
        name: value
        for name in ("title", "description", "visibility")
        if (value := _text(body, name, required=required)) is not None
    }
    if "title" in fields and not (fields["title"].strip() and len(fields["title"]) <= TITLE_MAX):
        raise unprocessable(f"title must be 1 to {TITLE_MAX} characters.")
    if "visibility" in fields and fields["visibility"] not in edits.VISIBILITIES:
        raise unprocessable("visibility must be PUBLIC or PRIVATE.")
    return fields


@endpoint(LIBRARY_WRITE, write=True)
def create_playlist(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    fields = _playlist_fields(json_body(request), required=True)
    playlist = edits.create(
        context.account, fields["title"], fields["description"], fields["visibility"]
    )
    return {"createPlaylist": _node(playlist)}


@endpoint(LIBRARY_WRITE, write=True)
def update_playlist(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    fields = _playlist_fields(json_body(request), required=False)
    if not fields:
        raise bad_request("Send at least one of title, description and visibility.")
    playlist = edits.writable(playlist_id, context.account)
    edits.update(playlist, fields)
    return {"updatePlaylist": _node(playlist)}


@endpoint(LIBRARY_WRITE, write=True)
def delete_playlist(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    edits.delete(edits.writable(playlist_id, context.account))
    return {"deletePlaylist": {"id": playlist_id, "deleted": True}}


def _tracks_offset(request: HttpRequest, playlist: Playlist, page_context: str) -> int:
    """Where a page starts; an edge cursor continues after that entry, wherever it is now."""
    edge = edge_cursor_index(request.GET.get("cursor"))
    if edge is None:
        return decode_token(request.GET.get("cursor"), page_context)
    index, entry_id = edge
    position = (
        PlaylistEntry.objects.filter(playlist=playlist, entry_id=entry_id)
        .values_list("position", flat=True)
        .first()
    )
    return (index if position is None else position) + 1


@endpoint(LIBRARY_READ)
def playlist_tracks(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    playlist = edits.readable(playlist_id, context.account)
    page_context = f"playlist-tracks:{playlist.pk}"
    limit = parse_limit(request.GET.get("limit"), PLAYLIST_TRACKS_DEFAULT_LIMIT)
    offset = _tracks_offset(request, playlist, page_context)
    entries = PlaylistEntry.objects.filter(playlist=playlist).order_by("position")
    page, has_next = fetch_page(
        entries.values_list("entry_id", "track_id", "position"), offset, limit
    )
    nodes = loaders.track_nodes.nodes_in_order([track_pk for _, track_pk, _ in page])
    edges = [
        {"cursor": f"{position}:{entry_id}", "node": nodes[track_pk]}
        for entry_id, track_pk, position in page
    ]
    node = _node(playlist)
    node["tracks"] = connection(
        edges, has_next=has_next, next_offset=offset + len(page), context=page_context
    )
    return {"playlist": node}


def _string_list(body: dict[str, Any], name: str, maximum: int) -> list[str]:
    values = body.get(name)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise bad_request(f"{name} must be a list of ids.")
    if not values:
        raise bad_request(f"{name} must not be empty.")
    if len(values) > maximum:
        raise bad_request(f"{name} takes at most {maximum} ids per request.")
    return values


@endpoint(LIBRARY_WRITE, write=True)
def add_tracks(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    body = json_body(request)
    track_ids = _string_list(body, "trackIds", edits.MAX_TRACKS_PER_ADD)
    allow_duplicates = body.get("addDuplicateTracks", False)
    if not isinstance(allow_duplicates, bool):
        raise bad_request("addDuplicateTracks must be true or false.")
    playlist = edits.writable(playlist_id, context.account)
    result = edits.add_tracks(playlist, track_ids, allow_duplicates=allow_duplicates)
    added = [
        {
            "entryId": entry.entry_id,
            "trackId": entry.asin,
            "cursor": f"{entry.position}:{entry.entry_id}",
        }
        for entry in result.added
    ]
    return {
        "addTracksToPlaylist": {
            "playlist": _node(playlist),
            "addedEntries": added,
            "skippedTrackIds": result.skipped_track_ids,
        }
    }


@endpoint(LIBRARY_WRITE, write=True)
def reorder_tracks(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    body = json_body(request)
    entry_ids = _string_list(body, "entryIds", edits.MAX_ENTRIES_PER_EDIT)
    anchors = {name: body.get(name) for name in ("entryIdAbove", "entryIdBelow")}
    for name, value in anchors.items():
        if value is not None and not isinstance(value, str):
            raise bad_request(f"{name} must be an entry id.")
    playlist = edits.writable(playlist_id, context.account)
    edits.reorder(playlist, entry_ids, anchors["entryIdAbove"], anchors["entryIdBelow"])
    return {"reorderPlaylistTracks": {"playlist": _node(playlist)}}


@endpoint(LIBRARY_WRITE, write=True)
def remove_tracks(request: HttpRequest, context: ApiContext, playlist_id: str) -> dict[str, Any]:
    entry_ids = _string_list(json_body(request), "entryIds", edits.MAX_ENTRIES_PER_EDIT)
    playlist = edits.writable(playlist_id, context.account)
    result = edits.remove(playlist, entry_ids)
    return {
        "removeTracksFromPlaylist": {
            "playlist": _node(playlist),
            "removedEntryIds": result.removed_entry_ids,
            "skippedEntryIds": result.skipped_entry_ids,
        }
    }
