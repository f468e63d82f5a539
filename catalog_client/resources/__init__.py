"""The client's endpoints, one module per resource of the API, as stripe-python splits its own.

Each module holds one mixin over ``BaseClient`` (catalog_client/_base.py), which owns the
session, transport, limiter, cache and counters; ``AmazonMusicClient`` combines them all.
"""

from catalog_client.resources.albums import AlbumsResource
from catalog_client.resources.browse import BrowseResource
from catalog_client.resources.library import LibraryResource
from catalog_client.resources.me import MeResource
from catalog_client.resources.playlists import PlaylistsResource
from catalog_client.resources.search import SearchResource
from catalog_client.resources.tracks import TracksResource

__all__ = [
    "AlbumsResource",
    "BrowseResource",
    "LibraryResource",
    "MeResource",
    "PlaylistsResource",
    "SearchResource",
    "TracksResource",
]
