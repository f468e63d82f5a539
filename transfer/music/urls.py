from django.urls import path

from transfer.music import views

app_name = "music"
urlpatterns = [
    path("", views.playlists, name="playlists"),
    path("playlists/<str:playlist_id>/", views.playlist, name="playlist"),
    path(
        "playlists/<str:playlist_id>/export/<str:format_id>/",
        views.playlist_export,
        name="playlist_export",
    ),
    path("library/albums/", views.library_albums, name="library_albums"),
    path("library/tracks/export/<str:format_id>/", views.library_export, name="library_export"),
    path("library/tracks/", views.library_tracks, name="library_tracks"),
    path("browse/", views.browse, name="browse"),
    path("browse/categories/<str:category_id>/", views.category, name="category"),
]
