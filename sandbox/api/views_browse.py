"""Browse: top tracks and playlists, new podcast episodes, categories and their contents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sandbox.api import loaders
from sandbox.api.auth import CATALOG, ApiContext
from sandbox.api.endpoint import endpoint
from sandbox.api.errors import not_found
from sandbox.api.pagination import connection, fetch_page, page_request
from sandbox.api.serializers import (
    album_node,
    category_node,
    episode_node,
    playlist_node,
)
from sandbox.models import Album, Category, Playlist, PodcastEpisode, Track

TOP_TRACKS_MAX = 20


@endpoint(CATALOG)
def top_tracks(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    offset, limit = page_request(
        request.GET, "top-tracks", default=TOP_TRACKS_MAX, maximum=TOP_TRACKS_MAX
    )
    ranked = Track.objects.order_by("-popularity", "id").values_list("pk", flat=True)
    pks, has_next = fetch_page(ranked, offset, limit)
    edges = [{"node": node} for node in loaders.track_nodes_in_order(pks)]
    return {
        "topTracks": connection(
            edges, has_next=has_next, next_offset=offset + len(pks), context="top-tracks"
        )
    }


def _curated() -> Any:
    return Playlist.objects.filter(curated=True)


@endpoint(CATALOG)
def top_playlists(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    offset, limit = page_request(request.GET, "top-playlists", default=100)
    ranked = _curated().order_by("-popularity", "id").values_list("pk", flat=True)
    ids, has_next = fetch_page(ranked, offset, limit)
    edges = [{"node": playlist_node(p)} for p in loaders.playlists_in_order(ids)]
    return {
        "topPlaylists": connection(
            edges, has_next=has_next, next_offset=offset + len(ids), context="top-playlists"
        )
    }


@endpoint(CATALOG)
def new_episodes(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    offset, limit = page_request(request.GET, "new-episodes", default=100)
    rows = PodcastEpisode.objects.select_related("show").order_by("-published_at", "id")
    page, has_next = fetch_page(rows, offset, limit)
    edges = [{"node": episode_node(episode)} for episode in page]
    return {
        "newPodcastEpisodes": connection(
            edges, has_next=has_next, next_offset=offset + len(page), context="new-episodes"
        )
    }


@endpoint(CATALOG)
def categories(request: HttpRequest, context: ApiContext) -> dict[str, Any]:
    offset, limit = page_request(request.GET, "categories", default=100, edge_cursors=True)
    page, has_next = fetch_page(Category.objects.order_by("position", "slug"), offset, limit)
    edges = [
        {"node": {"id": c.slug, "name": c.title}, "cursor": f"{offset + index}:{c.slug}"}
        for index, c in enumerate(page)
    ]
    return {
        "browseCategories": connection(
            edges, has_next=has_next, next_offset=offset + len(page), context="categories"
        )
    }


def _category(category_id: str) -> Category:
    category = Category.objects.filter(slug=category_id).first()
    if category is None:
        raise not_found(f"Category {category_id} was not found.")
    return category


@endpoint(CATALOG)
def category(request: HttpRequest, context: ApiContext, category_id: str) -> dict[str, Any]:
    return {"category": category_node(_category(category_id))}


def _category_page(
    request: HttpRequest, category: Category, kind: str, ranked: Any
) -> tuple[list[Any], dict[str, Any]]:
    page_context = f"category-{kind}:{category.slug}"
    offset, limit = page_request(request.GET, page_context, default=100)
    keys, has_next = fetch_page(ranked, offset, limit)
    return keys, {
        "has_next": has_next,
        "next_offset": offset + len(keys),
        "context": page_context,
    }


@endpoint(CATALOG)
def category_albums(request: HttpRequest, context: ApiContext, category_id: str) -> dict[str, Any]:
    found = _category(category_id)
    ranked = Album.objects.filter(categories=found).order_by("-popularity", "id")
    pks, paging = _category_page(request, found, "albums", ranked.values_list("pk", flat=True))
    edges = [{"node": album_node(a, with_tracks=False)} for a in loaders.albums_in_order(pks)]
    return {"category": {**category_node(found), "albums": connection(edges, **paging)}}


@endpoint(CATALOG)
def category_playlists(
    request: HttpRequest, context: ApiContext, category_id: str
) -> dict[str, Any]:
    found = _category(category_id)
    ranked = Playlist.objects.filter(categories=found, curated=True).order_by("-popularity", "id")
    ids, paging = _category_page(request, found, "playlists", ranked.values_list("pk", flat=True))
    edges = [{"node": playlist_node(p)} for p in loaders.playlists_in_order(ids)]
    return {"category": {**category_node(found), "playlists": connection(edges, **paging)}}


@endpoint(CATALOG)
def category_tracks(request: HttpRequest, context: ApiContext, category_id: str) -> dict[str, Any]:
    found = _category(category_id)
    ranked = Track.objects.filter(categories=found).order_by("-popularity", "id")
    pks, paging = _category_page(request, found, "tracks", ranked.values_list("pk", flat=True))
    edges = [{"node": node} for node in loaders.track_nodes_in_order(pks)]
    return {"category": {**category_node(found), "tracks": connection(edges, **paging)}}
