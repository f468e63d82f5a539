"""What a person keeps: playlists (theirs and Amazon's curated ones), library tracks, albums."""

from __future__ import annotations

from django.db import models

from sandbox.models.accounts import Account
from sandbox.models.catalog import Album, Track


class Playlist(models.Model):
    # User playlists have UUIDs; Amazon's curated playlists have ASIN-like ids (B00J9PVXBM).
    id = models.CharField(max_length=64, primary_key=True)
    owner = models.ForeignKey(
        Account, on_delete=models.CASCADE, null=True, blank=True, related_name="playlists"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    visibility = models.CharField(max_length=8, default="PRIVATE")
    image_url = models.CharField(max_length=300, blank=True)
    curated = models.BooleanField(default=False)
    popularity = models.PositiveIntegerField(default=0)
    # Kept in step with the entries by every edit (sandbox.api.playlist_edits) and by seeding
    # (sandbox.catalog.store), so that answering with a playlist never counts its entries:
    # the Count/Sum over them made each add cost more the longer the playlist grew.
    track_count = models.PositiveIntegerField(default=0)
    total_duration = models.PositiveIntegerField(default=0, help_text="seconds")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.title


class PlaylistEntry(models.Model):
    """One occurrence of a track in a playlist; ``entry_id`` is what reorder and remove use."""

    entry_id = models.CharField(max_length=36, unique=True)
    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="entries")
    track = models.ForeignKey(Track, on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position",)
        indexes = [models.Index(fields=("playlist", "position"))]


class LibraryTrack(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="library_tracks")
    track = models.ForeignKey(Track, on_delete=models.CASCADE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-added_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("account", "track"), name="sandbox_librarytrack_unique")
        ]


class LibraryAlbum(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="library_albums")
    album = models.ForeignKey(Album, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=36, unique=True)
    purchased = models.BooleanField(default=False)
    uploaded = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-added_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("account", "album"), name="sandbox_libraryalbum_unique")
        ]
