"""The machinery under every resource of ``AmazonMusicClient``: one session, one transport.

``BaseClient`` holds what the resource modules (``catalog_client/resources/``) share: the HTTP
transport with its retries, the shared rate limiter, the Redis cache and the counters, and the
helpers that read through the cache (catalog data, the user's own data, pages, searches). The
resources add only endpoint methods, as stripe-python's resource classes do.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Self

import redis
import requests
from requests.adapters import HTTPAdapter

from catalog_client._http import HTTPConfig, Retry, Transport, dumps_for_key
from catalog_client._parsing import M, _chunks, _dig, _page
from catalog_client.auth import StaticTokenProvider, TokenProvider
from catalog_client.cache import CacheTTLs, RedisCache
from catalog_client.errors import InvalidResponseError
from catalog_client.metrics import Metrics
from catalog_client.models import Page
from catalog_client.pagination import Paginator
from catalog_client.ratelimit import RedisRateLimiter

__version__ = "0.1.0"

DEFAULT_BASE_URL = "https://api.music.amazon.dev/v1"
# (connect, read) seconds; every request carries a timeout (requests has none by default).
DEFAULT_TIMEOUT: tuple[float, float] = (3.05, 15.0)

# reference.md §2.4: "The limit parameter must be a number between 1 and 100".
MAX_PAGE_SIZE = 100
# seed-albums.txt Get Multiple Albums: "There is a maximum limit of 100 IDs"; reference.md
# §3.4 gives the same maximum for GET /tracks?ids=.
MAX_IDS_PER_REQUEST = 100
# reference.md §3.2 Add tracks: the maximum is undocumented; clients use 50 to 100. 100 keeps
# the request count low and stays inside what every client observed working.
MAX_TRACKS_PER_WRITE = 100
# seed-browse.txt Get Top Tracks: "Minimum of 1, maximum of 20."
MAX_TOP_TRACKS = 20
# reference.md §3.7: search limit "maximum of 100" in one copy, 20 in a later one; 20 is
# accepted by both.
MAX_SEARCH_PAGE = 20

# How long a create_playlist idempotency key is remembered in Redis.
IDEMPOTENCY_TTL = 7 * 24 * 3600
_PENDING = "pending"


class BaseClient:
    """What every resource shares: configuration, session, transport, cache and counters.

    The constructor's arguments are documented on ``AmazonMusicClient``.
    """

    def __init__(
        self,
        *,
        api_key: str,
        token_provider: TokenProvider | str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        retry_budget: float = 5.0,
        backoff_base: float = 0.25,
        backoff_cap: float = 2.0,
        redis: redis.Redis | None = None,
        rate_limit: float | None = None,
        rate_limit_burst: int = 1,
        cache: bool = True,
        cache_ttls: CacheTTLs | None = None,
        user_cache_scope: str | None = None,
        key_prefix: str = "amc",
        metrics_flush_interval: float = 1.0,
        session: requests.Session | None = None,
        proxies: Mapping[str, str] | None = None,
        rate_limiter: RedisRateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(token_provider, str):
            token_provider = StaticTokenProvider(token_provider)
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.redis = redis
        self.user_cache_scope = user_cache_scope
        self.key_prefix = key_prefix
        if rate_limiter is None and redis is not None and rate_limit:
            rate_limiter = RedisRateLimiter(
                redis,
                api_key,
                rate=rate_limit,
                burst=rate_limit_burst,
                prefix=key_prefix,
                sleep=sleep,
            )
        self.rate_limiter = rate_limiter
        self.cache: RedisCache | None = (
            RedisCache(redis, prefix=key_prefix, ttls=cache_ttls)
            if redis is not None and cache
            else None
        )
        self.metrics = Metrics(redis, prefix=key_prefix, flush_interval=metrics_flush_interval)
        # A session passed in belongs to the caller, and clones from for_user() share ours.
        self._owns_session = session is None
        self.session = session or _new_session(proxies)
        self._http = Transport(
            HTTPConfig(
                base_url=self.base_url,
                api_key=api_key,
                timeout=timeout,
                max_retries=max_retries,
                retry_budget=retry_budget,
                backoff_base=backoff_base,
                backoff_cap=backoff_cap,
                user_agent=f"amazon-music-transfer-catalog-client/{__version__}",
            ),
            session=self.session,
            token_provider=token_provider,
            rate_limiter=rate_limiter,
            metrics=self.metrics,
            sleep=sleep,
        )

    def for_user(
        self, token_provider: TokenProvider | str, user_cache_scope: str | None = None
    ) -> Self:
        """A client for another user that shares this one's session, limiter, cache, counters."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        if isinstance(token_provider, str):
            token_provider = StaticTokenProvider(token_provider)
        clone.user_cache_scope = user_cache_scope
        clone._owns_session = False
        clone._http = Transport(
            self._http.config,
            session=self.session,
            token_provider=token_provider,
            rate_limiter=self.rate_limiter,
            metrics=self.metrics,
            sleep=self._http._sleep,
        )
        return clone

    def close(self) -> None:
        """Send pending counters; close the HTTP session if this client made it."""
        self.metrics.flush()
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ttls(self) -> CacheTTLs:
        return self.cache.ttls if self.cache is not None else CacheTTLs()

    def _write(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        retry: Retry = Retry.SAFE,
        delete: bool = False,
    ) -> Any:
        """A write to the user's data: after it, success or not, their cache is invalidated."""
        try:
            return self._http.request(
                method, path, json_body=json_body, retry=retry, not_found_ok_on_retry=delete
            )
        finally:
            # Even a failed write may have happened (a 5xx after the change was made).
            if self.cache is not None and self.user_cache_scope is not None:
                self.cache.invalidate_user(self.user_cache_scope)

    def _user_read(self, ident: str, fetch: Callable[[], Any]) -> Any:
        """A read of the user's own data, cached under their current generation."""
        if self.cache is None or self.user_cache_scope is None:
            return fetch()
        key = self.cache.user_key(self.user_cache_scope, ident)
        cached = self.cache.get(key)
        if cached is not None:
            self.metrics.incr("cache_hits")
            return cached
        self.metrics.incr("cache_misses")
        value = fetch()
        self.cache.set(key, value, self.cache.ttls.user)
        return value

    def _cached_catalog(self, kind: str, ident: str, ttl: int, fetch: Callable[[], Any]) -> Any:
        if self.cache is None or ttl <= 0:
            return fetch()
        key = self.cache.catalog_key(kind, ident)
        cached = self.cache.get(key)
        if cached is not None:
            self.metrics.incr("cache_hits")
            return cached
        self.metrics.incr("cache_misses")
        value = fetch()
        self.cache.set(key, value, ttl)
        return value

    def _cached_batch(
        self,
        kind: str,
        ids: Iterable[str],
        ttl: int,
        fetch: Callable[[list[str]], Any],
    ) -> list[dict[str, Any]]:
        """Look ids up in the cache, fetch the rest in batches of 100, keep the asked order."""
        wanted = list(dict.fromkeys(i for i in ids if i))
        found: dict[str, dict[str, Any]] = {}
        if self.cache is not None and ttl > 0 and wanted:
            keys = [self.cache.catalog_key(kind, i) for i in wanted]
            for ident, value in zip(wanted, self.cache.get_many(keys), strict=True):
                if isinstance(value, dict):
                    found[ident] = value
            hits = len(found)
            self.metrics.add({"cache_hits": hits, "cache_misses": len(wanted) - hits})
        missing = [i for i in wanted if i not in found]
        for batch in _chunks(missing, MAX_IDS_PER_REQUEST):
            items = fetch(batch)
            if not isinstance(items, list):
                raise InvalidResponseError(
                    f"Expected a list of {kind}s, got {type(items).__name__}."
                )
            fresh = {
                str(item["id"]): item for item in items if isinstance(item, dict) and item.get("id")
            }
            found.update(fresh)
            if self.cache is not None and ttl > 0 and fresh:
                self.cache.set_many(
                    {self.cache.catalog_key(kind, ident): item for ident, item in fresh.items()},
                    ttl,
                )
        return [found[i] for i in wanted if i in found]

    def _paged_get(
        self,
        path: str,
        connection_path: tuple[str, ...],
        model: type[M],
        *,
        limit: int,
        params: Mapping[str, Any] | None = None,
        user_data: bool = False,
        catalog_ttl: int = 0,
        edge_to_item: Callable[[dict[str, Any]], Any] | None = None,
        cursor: str | None = None,
    ) -> Paginator[M]:
        """A GET connection: ``limit`` and ``cursor`` as query parameters (reference.md §2.4)."""

        def fetch(cursor: str | None) -> Page[M]:
            query: dict[str, Any] = dict(params or {})
            query["limit"] = limit
            if cursor:
                query["cursor"] = cursor
            ident = f"{path}?{dumps_for_key(query)}"
            request = lambda: self._http.request("GET", path, params=query)  # noqa: E731
            if user_data:
                data = self._user_read(ident, request)
            elif catalog_ttl:
                data = self._cached_catalog("page", ident, catalog_ttl, request)
            else:
                data = request()
            return _page(_dig(data, *connection_path), model, edge_to_item)

        return Paginator(fetch, start_cursor=cursor)

    def _search(
        self,
        cursor: str | None,
        kind: str,
        answer_field: str,
        model: type[M],
        query: str | None,
        filters: Sequence[Mapping[str, str]] | None,
        sort_by: str | None,
        limit: int,
        max_items: int | None,
    ) -> Paginator[M]:
        """A search connection: ``token`` goes in the JSON body (reference.md §2.4, §3.7)."""
        search_filters = [dict(f) for f in filters or []]
        if query:
            search_filters.append({"query": query})
        if not search_filters:
            raise ValueError("A search needs a query or at least one filter.")
        page_size = max(1, min(limit, MAX_PAGE_SIZE, max_items or MAX_PAGE_SIZE))
        path = f"/search/{kind}"

        def fetch(token: str | None) -> Page[M]:
            body: dict[str, Any] = {"searchFilters": search_filters, "limit": page_size}
            if sort_by:
                body["sortBy"] = sort_by
            if token:
                body["token"] = token
            data = self._cached_catalog(
                "search",
                f"{kind}:{dumps_for_key(body)}",
                self._ttls().search,
                lambda: self._http.request("POST", path, json_body=body),
            )
            return _page(_dig(data, answer_field), model, None)

        return Paginator(fetch, max_items=max_items, start_cursor=cursor)


def _new_session(proxies: Mapping[str, str] | None = None) -> requests.Session:
    session = requests.Session()
    # requests reads HTTP(S)_PROXY, NO_PROXY and .netrc from the environment on every request
    # (about 8% of a worker's CPU per call, measured in issue 17). The API's address is fixed
    # configuration, so the environment is not consulted; a deployment that needs a proxy
    # passes it explicitly (``proxies=``), which is also easier to see than an inherited env.
    session.trust_env = False
    if proxies:
        session.proxies.update(proxies)
    # Enough pooled connections for a threaded caller; retries are ours, not urllib3's.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
