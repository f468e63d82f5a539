"""``AmazonMusicClient``: one method per Amazon Music Web API v1 endpoint.

The endpoints live in one module per resource (``catalog_client/resources/``: me, tracks,
albums, library, playlists, search, browse), each naming above every method the document it
follows: the four Amazon pages (seed-overview.txt, seed-albums.txt, seed-library.txt,
seed-browse.txt) or a section of reference.md. The shared machinery (session, retries, limiter,
cache, counters) is ``BaseClient`` in ``catalog_client/_base.py``. Paths are relative to
``base_url``, which includes the version (``https://api.music.amazon.dev/v1``), as
AMAZON_MUSIC_API_URL does.

Conventions:

* Single objects come back as models; lists that the API pages come back as a ``Paginator``,
  which makes no call until iterated and then follows ``pageInfo.token`` to the end. Every
  list method takes ``cursor``, a token from an earlier page, to start from there (a UI that
  shows one page at a time hands it back).
* Id lists are split into batches of the documented maximum (100) and the results put back in
  the order asked for; ids the server does not return are simply absent.
* Catalog lookups go through the Redis cache; the user's own library and playlists are cached
  per user (``user_cache_scope``) and every write through this client invalidates them.
"""

from __future__ import annotations

from catalog_client._base import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    IDEMPOTENCY_TTL,
    MAX_IDS_PER_REQUEST,
    MAX_PAGE_SIZE,
    MAX_SEARCH_PAGE,
    MAX_TOP_TRACKS,
    MAX_TRACKS_PER_WRITE,
    __version__,
)
from catalog_client.resources import (
    AlbumsResource,
    BrowseResource,
    LibraryResource,
    MeResource,
    PlaylistsResource,
    SearchResource,
    TracksResource,
)


class AmazonMusicClient(
    MeResource,
    TracksResource,
    AlbumsResource,
    LibraryResource,
    PlaylistsResource,
    SearchResource,
    BrowseResource,
):
    """Client for the Amazon Music Web API v1.

    ``redis``: enables the shared rate limiter (when ``rate_limit`` is set), the cache and the
    shared counters. Pass None to run without any of them.

    ``rate_limit``: requests per second for *all* processes using this ``api_key`` together.

    ``retry_budget``: seconds one call may spend waiting (limiter waits and backoff sleeps);
    past it the call raises instead of sleeping longer.

    ``user_cache_scope``: a stable id of the person whose token this is (e.g. the Django user
    id). With it, their library and playlist reads are cached and every write invalidates them;
    without it, they are never cached.

    ``proxies``: an explicit proxy mapping for requests (``{"https": "http://proxy:3128"}``);
    the environment's proxy variables are deliberately not read (see ``_base._new_session``).
    """


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "IDEMPOTENCY_TTL",
    "MAX_IDS_PER_REQUEST",
    "MAX_PAGE_SIZE",
    "MAX_SEARCH_PAGE",
    "MAX_TOP_TRACKS",
    "MAX_TRACKS_PER_WRITE",
    "AmazonMusicClient",
    "__version__",
]
