"""The fake Amazon Music catalog: artists, albums, tracks, categories and podcasts.

Ids look like Amazon's (ASINs such as ``B0064UPU4G``). Tracks carry a denormalised
``artist_text`` so that search and responses need no join for the common case; ``TrackArtist``
keeps the ordered, per-artist rows for artist-id filters and the ``artists`` array.
"""

from __future__ import annotations

from django.db import models


class Artist(models.Model):
    asin = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=300, db_index=True)
    image_url = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class Album(models.Model):
    asin = models.CharField(max_length=16, unique=True)
    title = models.CharField(max_length=400)
    artist_text = models.CharField(max_length=600)
    artists = models.ManyToManyField(Artist, through="AlbumArtist", related_name="albums")
    release_date = models.DateField(null=True)
    label = models.CharField(max_length=300, blank=True)
    image_url = models.CharField(max_length=300, blank=True)
    explicit = models.BooleanField(default=False)
    # "", "deluxe", "remastered", "live", "clean", ... : how this release differs from the original.
    version = models.CharField(max_length=32, blank=True)
    popularity = models.PositiveIntegerField(default=0)
    track_count = models.PositiveIntegerField(default=0)
    duration = models.PositiveIntegerField(default=0, help_text="seconds")

    def __str__(self) -> str:
        return self.title


class AlbumArtist(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE)
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(fields=("album", "artist"), name="sandbox_albumartist_unique")
        ]


class Track(models.Model):
    asin = models.CharField(max_length=16, unique=True)
    title = models.CharField(max_length=400)
    artist_text = models.CharField(max_length=600)
    artists = models.ManyToManyField(Artist, through="TrackArtist", related_name="tracks")
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="tracks")
    disc_number = models.PositiveSmallIntegerField(default=1)
    track_number = models.PositiveSmallIntegerField(default=1)
    duration = models.PositiveIntegerField(help_text="seconds")
    isrc = models.CharField(max_length=12, blank=True, db_index=True)
    # Generated tracks get made-up ISRCs; the flag keeps them honest in any report.
    isrc_synthetic = models.BooleanField(default=True)
    explicit = models.BooleanField(default=False)
    version = models.CharField(max_length=32, blank=True)
    popularity = models.PositiveIntegerField(default=0, db_index=True)
    release_date = models.DateField(null=True)

    def __str__(self) -> str:
        return f"{self.title} - {self.artist_text}"


class TrackArtist(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE)
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position",)
        constraints = [
            models.UniqueConstraint(fields=("track", "artist"), name="sandbox_trackartist_unique")
        ]


class Category(models.Model):
    """A browse category (genre or mood) with its own albums, playlists and tracks."""

    slug = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    image_url = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    albums = models.ManyToManyField(Album, related_name="categories", blank=True)
    tracks = models.ManyToManyField(Track, related_name="categories", blank=True)
    playlists = models.ManyToManyField("sandbox.Playlist", related_name="categories", blank=True)

    class Meta:
        ordering = ("position", "slug")

    def __str__(self) -> str:
        return self.title


class PodcastShow(models.Model):
    asin = models.CharField(max_length=16, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300)
    image_url = models.CharField(max_length=300, blank=True)


class PodcastEpisode(models.Model):
    asin = models.CharField(max_length=16, unique=True)
    show = models.ForeignKey(PodcastShow, on_delete=models.CASCADE, related_name="episodes")
    title = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    duration = models.PositiveIntegerField(help_text="seconds")
    published_at = models.DateTimeField(db_index=True)
