"""The sandbox's own tables, separate from the product's: catalog, accounts, library."""

from sandbox.models.accounts import AccessToken, Account, AuthorizationCode, Client, RefreshToken
from sandbox.models.catalog import (
    Album,
    AlbumArtist,
    Artist,
    Category,
    PodcastEpisode,
    PodcastShow,
    Track,
    TrackArtist,
)
from sandbox.models.library import LibraryAlbum, LibraryTrack, Playlist, PlaylistEntry

__all__ = [
    "AccessToken",
    "Account",
    "Album",
    "AlbumArtist",
    "Artist",
    "AuthorizationCode",
    "Category",
    "Client",
    "LibraryAlbum",
    "LibraryTrack",
    "Playlist",
    "PlaylistEntry",
    "PodcastEpisode",
    "PodcastShow",
    "RefreshToken",
    "Track",
    "TrackArtist",
]
