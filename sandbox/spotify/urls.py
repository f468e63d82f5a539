"""Spotify stand-in routes: accounts service under /spotify/accounts, Web API under /spotify/v1."""

from django.urls import path, re_path

from sandbox.spotify import accounts, api

urlpatterns = [
    path("accounts/authorize", accounts.authorize, name="spotify-authorize"),
    path("accounts/api/token", accounts.token, name="spotify-token"),
    re_path(r"^v1/me/?$", api.me),
    re_path(r"^v1/me/playlists/?$", api.my_playlists),
    re_path(r"^v1/me/tracks/?$", api.saved_tracks),
    re_path(r"^v1/me/albums/?$", api.saved_albums),
    re_path(r"^v1/me/library/?$", api.library),
    re_path(r"^v1/playlists/(?P<playlist_id>[A-Za-z0-9]+)/?$", api.playlist),
    re_path(r"^v1/playlists/(?P<playlist_id>[A-Za-z0-9]+)/items/?$", api.playlist_items),
    re_path(r"^v1/tracks/(?P<track_id>[A-Za-z0-9]+)/?$", api.track),
    re_path(r"^v1/search/?$", api.search),
]
