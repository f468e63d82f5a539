"""Python client for the Amazon Music Web API v1, modelled on stripe-python.

Pure Python (requests, pydantic, redis): no Django, so it could be published on its own.

    from catalog_client import AmazonMusicClient, LWATokenProvider

    client = AmazonMusicClient(
        api_key="amzn1.application.…",          # the LWA Security Profile ID (x-api-key)
        token_provider=provider,                # or a plain access-token string
        redis=redis.Redis.from_url(url),        # shared limiter, cache and counters
        rate_limit=10,                          # requests/s for all processes together
        user_cache_scope=str(user.pk),
    )
    for playlist in client.iter_my_playlists():
        for entry in client.iter_playlist_tracks(playlist.id):
            print(entry.track.title, entry.entry_id)

See README.md beside this file for the error hierarchy, retries, limiter and cache.
"""

from catalog_client.auth import (
    GrantRevokedError,
    LoginWithAmazon,
    LWATokenProvider,
    StaticTokenProvider,
    TokenProvider,
    TokenSet,
)
from catalog_client.cache import CacheTTLs, RedisCache
from catalog_client.client import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    MAX_IDS_PER_REQUEST,
    MAX_PAGE_SIZE,
    MAX_TRACKS_PER_WRITE,
    AmazonMusicClient,
    __version__,
)
from catalog_client.errors import (
    AmazonMusicError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)
from catalog_client.metrics import COUNTERS, Metrics, read_counter_series, read_counters
from catalog_client.models import (
    AddedEntry,
    Album,
    AlbumRef,
    AlbumTrack,
    Artist,
    ArtistRef,
    Category,
    Image,
    LibraryAlbum,
    LibraryTrack,
    Page,
    PageInfo,
    Playlist,
    PlaylistEntry,
    PlaylistRemoveResult,
    PlaylistTracksResult,
    PodcastEpisode,
    PodcastShow,
    SaveAlbumResult,
    SaveTrackResult,
    SearchAllResult,
    Track,
    User,
    UserRef,
)
from catalog_client.pagination import Paginator
from catalog_client.ratelimit import RedisRateLimiter

__all__ = [
    "COUNTERS",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_IDS_PER_REQUEST",
    "MAX_PAGE_SIZE",
    "MAX_TRACKS_PER_WRITE",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AddedEntry",
    "Album",
    "AlbumRef",
    "AlbumTrack",
    "AmazonMusicClient",
    "AmazonMusicError",
    "Artist",
    "ArtistRef",
    "AuthenticationError",
    "BadRequestError",
    "CacheTTLs",
    "Category",
    "ConflictError",
    "GrantRevokedError",
    "Image",
    "InvalidResponseError",
    "LWATokenProvider",
    "LibraryAlbum",
    "LibraryTrack",
    "LoginWithAmazon",
    "Metrics",
    "NotFoundError",
    "Page",
    "PageInfo",
    "Paginator",
    "PermissionDeniedError",
    "Playlist",
    "PlaylistEntry",
    "PlaylistRemoveResult",
    "PlaylistTracksResult",
    "PodcastEpisode",
    "PodcastShow",
    "RateLimitedError",
    "RedisCache",
    "RedisRateLimiter",
    "SaveAlbumResult",
    "SaveTrackResult",
    "SearchAllResult",
    "ServerError",
    "StaticTokenProvider",
    "TokenProvider",
    "TokenSet",
    "Track",
    "User",
    "UserRef",
    "__version__",
    "read_counter_series",
    "read_counters",
]
