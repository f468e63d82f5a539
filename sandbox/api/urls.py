"""URL map of the Music API v1 (mounted at /v1/); every path also answers with a trailing slash."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from sandbox.api import views_browse as browse
from sandbox.api import views_catalog as catalog
from sandbox.api import views_library as library
from sandbox.api import views_playlists as playlists
from sandbox.api import views_search as search
from sandbox.api.endpoint import HttpView, methods, unknown_path

ID = r"(?P<{}>[^/]+)"


def route(pattern: str, **views: HttpView) -> URLPattern:
    """A path that takes an optional trailing slash; ``{name}`` marks an id segment."""
    regex = "^" + pattern.format(
        album_id=ID.format("album_id"),
        track_id=ID.format("track_id"),
        playlist_id=ID.format("playlist_id"),
        category_id=ID.format("category_id"),
        user_id=ID.format("user_id"),
    )
    return re_path(regex + "/?$", methods(**views))


urlpatterns = [
    route("albums/{album_id}", GET=catalog.get_album),
    route("albums", GET=catalog.get_albums),
    route("tracks/{track_id}", GET=catalog.get_track),
    route("tracks", GET=catalog.get_tracks),
    route("me", GET=library.get_me, PUT=library.put_me),
    route("me/library/albums", GET=library.library_albums),
    route("me/library/albums/{album_id}", PUT=library.save_album, DELETE=library.remove_album),
    route("me/library/tracks", GET=library.library_tracks),
    route("me/library/tracks/{track_id}", PUT=library.save_track, DELETE=library.remove_track),
    route("me/playlists", GET=library.my_playlists),
    route("users/{user_id}/playlists", GET=library.user_playlists),
    route("playlists", POST=playlists.create_playlist),
    route(
        "playlists/{playlist_id}",
        GET=playlists.get_playlist,
        PUT=playlists.update_playlist,
        DELETE=playlists.delete_playlist,
    ),
    route(
        "playlists/{playlist_id}/tracks",
        GET=playlists.playlist_tracks,
        PUT=playlists.add_tracks,
        PATCH=playlists.reorder_tracks,
        DELETE=playlists.remove_tracks,
    ),
    route("browse/tracks/top", GET=browse.top_tracks),
    route("browse/playlists/top", GET=browse.top_playlists),
    route("browse/podcasts/episodes/new", GET=browse.new_episodes),
    route("browse/categories", GET=browse.categories),
    route("browse/categories/{category_id}", GET=browse.category),
    route("browse/categories/{category_id}/albums", GET=browse.category_albums),
    route("browse/categories/{category_id}/playlists", GET=browse.category_playlists),
    route("browse/categories/{category_id}/tracks", GET=browse.category_tracks),
    route("search", GET=search.search_all),
    route("search/tracks", POST=search.search_tracks),
    route("search/albums", POST=search.search_albums),
    route("search/artists", POST=search.search_artists),
    route("search/playlists", POST=search.search_playlists),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
