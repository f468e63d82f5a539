"""JSON nodes for tracks, albums, artists, playlists, categories, episodes and users.

Shapes follow the examples in Amazon's docs (docs/amazon-music-api/: reference.md 3.4 for tracks,
the seed documents for albums, playlists and browse). Rows must come from ``loaders`` so related
rows are prefetched.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sandbox.artwork import local_image_url
from sandbox.models import (
    Account,
    Album,
    Artist,
    Category,
    Playlist,
    PodcastEpisode,
    Track,
)

MUSIC_URL = "https://music.amazon.com"
DEFAULT_PLAYLIST_IMAGE = "https://images-na.ssl-images-amazon.com/images/Playlists.png"
# The Amazon Music curator of the catalog's ready-made playlists.
AMAZON_CURATOR = {"id": "amazon-music", "name": "Amazon Music"}
MARKETS = [
    {"id": "US", "name": "United States"},
    {"id": "CA", "name": "Canada"},
    {"id": "GB", "name": "United Kingdom"},
    {"id": "DE", "name": "Germany"},
    {"id": "JP", "name": "Japan"},
]
TERRITORY = {"code": "US", "territoryName": "United States"}
MARKET = {"id": "US", "name": "United States"}
CATALOG_ELIGIBILITY = {
    "isDownloadable": True,
    "isPurchaseable": True,
    "isPreviewable": True,
    "isPrimeEligible": True,
}


def iso_date(value: date | None) -> str | None:
    return f"{value.isoformat()}T00:00:00.000Z" if value else None


def iso_datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def images(url: str, size: int = 500) -> list[dict[str, Any]]:
    return [{"height": size, "width": size, "url": local_image_url(url)}] if url else []


def artist_ref(artist: Artist) -> dict[str, Any]:
    return {"id": artist.asin, "name": artist.name, "url": f"{MUSIC_URL}/artists/{artist.asin}"}


def artist_node(artist: Artist) -> dict[str, Any]:
    return {**artist_ref(artist), "images": images(artist.image_url)}


def album_url(album: Album) -> str:
    return f"{MUSIC_URL}/albums/{album.asin}"


def track_url(track: Track) -> str:
    return f"{MUSIC_URL}/albums/{track.album.asin}/?trackAsin={track.asin}"


def album_artists(album: Album) -> list[dict[str, Any]]:
    return [artist_ref(link.artist) for link in album.albumartist_set.all()]


def album_ref(album: Album) -> dict[str, Any]:
    return {"id": album.asin, "title": album.title, "url": album_url(album)}


def track_ref(track: Track) -> dict[str, Any]:
    """The short track object of saveTrack/removeTrack."""
    ref: dict[str, Any] = {"id": track.asin, "title": track.title, "url": track_url(track)}
    if track.isrc:
        ref["isrc"] = track.isrc
    return ref


def _audio_qualities(asin: str) -> list[str]:
    # A stable, made-up spread: some tracks have UHD, a few spatial audio.
    bucket = zlib.crc32(asin.encode()) % 10
    qualities = ["SD", "HD"]
    if bucket < 6:
        qualities.append("UHD")
    if bucket == 0:
        qualities.append("360RA")
    return qualities


@dataclass(frozen=True)
class TrackRow:
    """What a track object is made of, read by ``loaders`` in a few plain queries."""

    asin: str
    title: str
    duration: int
    release_date: date | None
    explicit: bool
    track_number: int
    disc_number: int
    isrc: str
    album_asin: str
    album_title: str
    album_image_url: str
    # (asin, name) of the track's artists in order, else of its album's.
    artists: tuple[tuple[str, str], ...]


def track_node(track: TrackRow) -> dict[str, Any]:
    album_url = f"{MUSIC_URL}/albums/{track.album_asin}"
    cover = images(track.album_image_url)
    node: dict[str, Any] = {
        "id": track.asin,
        "globalAsin": track.asin,
        "title": track.title,
        "shortTitle": track.title,
        "duration": track.duration,
        "album": {
            "id": track.album_asin,
            "title": track.album_title,
            "url": album_url,
            "images": cover,
        },
        "releaseDate": iso_date(track.release_date),
        "artists": [
            {"id": asin, "name": name, "url": f"{MUSIC_URL}/artists/{asin}"}
            for asin, name in track.artists
        ],
        "parentalSettings": {
            "hasExplicitLanguage": track.explicit,
            "isKidFriendly": not track.explicit,
        },
        "images": images(track.album_image_url),
        "url": f"{album_url}/?trackAsin={track.asin}",
        "eligibility": CATALOG_ELIGIBILITY,
        "audioQualities": _audio_qualities(track.asin),
        "musicTerritory": TERRITORY,
        "market": MARKET,
        "trackNumber": track.track_number,
        "discNumber": track.disc_number,
    }
    # Amazon leaves isrc out for tracks that have none.
    if track.isrc:
        node["isrc"] = track.isrc
    return node


def album_node(album: Album, *, with_tracks: bool = True) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": album.asin,
        "globalAsin": album.asin,
        "title": album.title,
        "shortTitle": album.title,
        "duration": album.duration,
        "url": album_url(album),
        "releaseDate": iso_date(album.release_date),
        "availableMarkets": MARKETS,
        "artists": album_artists(album),
        "eligibility": CATALOG_ELIGIBILITY,
        "parentalSettings": {
            "isKidFriendly": not album.explicit,
            "hasExplicitLanguage": album.explicit,
        },
        "trackCount": album.track_count,
        "images": images(album.image_url, 1000),
        "label": album.label,
        "audioQualities": _audio_qualities(album.asin),
    }
    if with_tracks:
        node["tracks"] = [
            {
                "id": track.asin,
                "title": track.title,
                "url": f"{MUSIC_URL}/albums/{album.asin}/?trackAsin={track.asin}",
            }
            for track in album.tracks.all()
        ]
    return node


def playlist_url(playlist: Playlist) -> str:
    if playlist.curated or playlist.owner_id is None:
        return f"{MUSIC_URL}/playlists/{playlist.pk}"
    return f"{MUSIC_URL}/my/playlists/{playlist.pk}"


def playlist_node(playlist: Playlist) -> dict[str, Any]:
    """A playlist row with its owner (``loaders.playlists()`` or ``select_related``)."""
    owner = playlist.owner
    curator = (
        {"id": owner.music_user_id, "name": owner.name}
        if owner is not None and not playlist.curated
        else AMAZON_CURATOR
    )
    image = playlist.image_url or DEFAULT_PLAYLIST_IMAGE
    return {
        "id": playlist.pk,
        "title": playlist.title,
        "description": playlist.description,
        "visibility": playlist.visibility,
        "curator": curator,
        "duration": playlist.total_duration,
        "trackCount": playlist.track_count,
        "images": [
            {"url": local_image_url(image), "imageType": "PRIMARY", "height": 500, "width": 500}
        ],
        "eligibility": {
            "playback": {"canPlayOnDemand": True, "shuffleType": "INLINE"},
            "playbackSubscriptionTiers": [],
            "isDownloadable": False,
            "isPurchaseable": False,
            "isPreviewable": False,
            "isPrimeEligible": playlist.curated,
        },
        "url": playlist_url(playlist),
        "createdAt": iso_datetime(playlist.created_at),
        "updatedAt": iso_datetime(playlist.updated_at),
    }


def category_node(category: Category) -> dict[str, Any]:
    return {
        "id": category.slug,
        "name": category.title,
        "url": f"{MUSIC_URL}/genres/{category.slug}",
        "categoryType": "GENRE",
        "images": images(category.image_url),
    }


def episode_node(episode: PodcastEpisode) -> dict[str, Any]:
    show = episode.show
    return {
        "id": episode.asin,
        "title": episode.title,
        "description": episode.description,
        "duration": episode.duration,
        "releaseDate": iso_datetime(episode.published_at),
        "url": f"{MUSIC_URL}/podcasts/{show.asin}/episodes/{episode.asin}",
        "images": images(show.image_url),
        "podcast": {
            "id": show.asin,
            "title": show.title,
            "publisher": show.publisher,
            "url": f"{MUSIC_URL}/podcasts/{show.asin}",
        },
    }


def user_node(account: Account) -> dict[str, Any]:
    return {
        "id": account.music_user_id,
        "name": account.name,
        "images": images(account.image_url, 300),
        "url": f"{MUSIC_URL}/user/{account.music_user_id}",
        "subscriptionTier": account.subscription_tier,
    }
