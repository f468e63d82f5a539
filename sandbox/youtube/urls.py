"""Google OAuth under /google/, the YouTube Data API v3 under /youtube/v3/."""

from django.urls import path, re_path

from sandbox.youtube import api, google

google_urlpatterns = [
    path("o/oauth2/v2/auth", google.authorize, name="google-authorize"),
    path("token", google.token, name="google-token"),
    path("revoke", google.revoke, name="google-revoke"),
    path("oauth2/v2/userinfo", google.userinfo, name="google-userinfo"),
]
youtube_urlpatterns = [
    re_path(r"^v3/playlists/?$", api.playlists),
    re_path(r"^v3/playlistItems/?$", api.playlist_items),
    re_path(r"^v3/videos/?$", api.videos),
    re_path(r"^v3/search/?$", api.search),
]
