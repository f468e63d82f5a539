"""The product's enumerations, declared once: models, forms and services all use these.

The matcher's strictness names belong to the pure core (``transfer.matching.types.Strictness``);
the Django choices here take their values from it, so the two can never drift apart.
"""

from __future__ import annotations

from django.db import models

from transfer.matching.types import Strictness as MatchStrictness


class Strictness(models.TextChoices):
    STRICT = MatchStrictness.STRICT.value, "Strict: only near-certain matches go through"
    BALANCED = MatchStrictness.BALANCED.value, "Balanced (recommended)"
    LENIENT = MatchStrictness.LENIENT.value, "Lenient: fewer tracks wait for review"


class SourceKind(models.TextChoices):
    """Where a transfer's tracks came from."""

    FILE = "file", "File"
    TEXT = "text", "Pasted list"
    AMAZON_PLAYLIST = "amazon_playlist", "Amazon Music playlist"
    AMAZON_LIBRARY_TRACKS = "amazon_library_tracks", "Amazon Music library songs"
    AMAZON_LIBRARY_ALBUMS = "amazon_library_albums", "Amazon Music library albums"
    # Other services (transfer.connections).
    SPOTIFY_PLAYLIST = "spotify_playlist", "Spotify playlist"
    SPOTIFY_LIKED = "spotify_liked", "Spotify Liked Songs"
    SPOTIFY_ALBUMS = "spotify_albums", "Spotify saved albums"
    YOUTUBE_PLAYLIST = "youtube_playlist", "YouTube playlist"

    @property
    def is_amazon(self) -> bool:
        """The tracks are Amazon catalog tracks already: nothing to match."""
        return self.value.startswith("amazon_")
