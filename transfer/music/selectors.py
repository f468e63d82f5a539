"""Reads of a person's Amazon Music, one page at a time, through their own client.

Every read goes through ``music_client_for(user_id)``, i.e. with that person's token: Amazon
itself decides what they may see, so one person can never read another's library here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from catalog_client import (
    Album,
    Category,
    LibraryAlbum,
    LibraryTrack,
    Playlist,
    PlaylistEntry,
    Track,
)
from catalog_client.pagination import Paginator
from transfer.amazon.clients import music_client_for

T = TypeVar("T")
PAGE_SIZE = 50


@dataclass(frozen=True)
class PageOf(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _page(paginator: Paginator[T]) -> PageOf[T]:
    page = next(iter(paginator.pages()))
    return PageOf(list(page.items), page.next_cursor if page.page_info.has_next_page else None)


def playlists_page(*, user_id: int, cursor: str | None) -> PageOf[Playlist]:
    client = music_client_for(user_id)
    return _page(client.iter_my_playlists(limit=PAGE_SIZE, cursor=cursor))


def playlist_get(*, user_id: int, playlist_id: str) -> Playlist:
    return music_client_for(user_id).get_playlist(playlist_id)


def playlist_tracks_page(
    *, user_id: int, playlist_id: str, cursor: str | None
) -> PageOf[PlaylistEntry]:
    client = music_client_for(user_id)
    return _page(client.iter_playlist_tracks(playlist_id, limit=100, cursor=cursor))


def library_albums_page(*, user_id: int, cursor: str | None) -> PageOf[LibraryAlbum]:
    client = music_client_for(user_id)
    return _page(client.iter_library_albums(limit=PAGE_SIZE, cursor=cursor))


def library_tracks_page(*, user_id: int, cursor: str | None) -> PageOf[LibraryTrack]:
    client = music_client_for(user_id)
    return _page(client.iter_library_tracks(limit=100, cursor=cursor))


def browse_overview(*, user_id: int) -> dict[str, Any]:
    client = music_client_for(user_id)
    return {
        "top_playlists": _page(client.iter_top_playlists(limit=12)).items,
        "top_tracks": _page(client.iter_top_tracks(limit=20)).items,
        "categories": _page(client.iter_categories(limit=PAGE_SIZE)).items,
    }


@dataclass(frozen=True)
class CategoryView:
    category: Category
    albums: list[Album]
    playlists: list[Playlist]
    tracks: list[Track]


def category_get(*, user_id: int, category_id: str) -> CategoryView:
    client = music_client_for(user_id)
    return CategoryView(
        category=client.get_category(category_id),
        albums=_page(client.iter_category_albums(category_id, limit=12)).items,
        playlists=_page(client.iter_category_playlists(category_id, limit=12)).items,
        tracks=_page(client.iter_category_tracks(category_id, limit=20)).items,
    )
