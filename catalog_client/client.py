"""``AmazonMusicClient``: one method per Amazon Music Web API v1 endpoint.

Each method names, in a comment, the document it follows: the four Amazon pages in
/work/shared/amazon-music-api (seed-overview.txt, seed-albums.txt, seed-library.txt,
seed-browse.txt) or a section of reference.md. Paths are relative to ``base_url``, which
includes the version (``https://api.music.amazon.dev/v1``), as AMAZON_MUSIC_API_URL does.

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

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import redis
import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter

from catalog_client._http import HTTPConfig, Retry, Transport, dumps_for_key
from catalog_client.auth import StaticTokenProvider, TokenProvider
from catalog_client.cache import CacheTTLs, RedisCache
from catalog_client.errors import (
    APIConnectionError,
    InvalidResponseError,
    NotFoundError,
    ServerError,
)
from catalog_client.metrics import Metrics
from catalog_client.models import (
    AddedEntry,
    Album,
    Artist,
    Category,
    LibraryAlbum,
    LibraryTrack,
    Page,
    PageInfo,
    Playlist,
    PlaylistEntry,
    PlaylistRemoveResult,
    PlaylistTracksResult,
    PodcastEpisode,
    SaveAlbumResult,
    SaveTrackResult,
    SearchAllResult,
    Track,
    User,
)
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

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class AmazonMusicClient:
    """Client for the Amazon Music Web API v1.

    ``redis``: enables the shared rate limiter (when ``rate_limit`` is set), the cache and the
    shared counters. Pass None to run without any of them.

    ``rate_limit``: requests per second for *all* processes using this ``api_key`` together.

    ``retry_budget``: seconds one call may spend waiting (limiter waits and backoff sleeps);
    past it the call raises instead of sleeping longer.

    ``user_cache_scope``: a stable id of the person whose token this is (e.g. the Django user
    id). With it, their library and playlist reads are cached and every write invalidates them;
    without it, they are never cached.
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
        self.session = session or _new_session()
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
    ) -> AmazonMusicClient:
        """A client for another user that shares this one's session, limiter, cache, counters."""
        clone = object.__new__(AmazonMusicClient)
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

    def __enter__(self) -> AmazonMusicClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # =========================================================================================
    # User (reference.md §3.1)
    # =========================================================================================

    def get_me(self) -> User:
        """GET /me (reference.md §3.1): the current user; scope music::profile."""
        data = self._user_read("me", lambda: self._http.request("GET", "/me"))
        return _model(User, _dig(data, "user"))

    def update_me(self, *, name: str, visibility: str, playback_visibility: str) -> User:
        """PUT /me (reference.md §3.1): all three fields required; answer ``updateUser``."""
        body = {"name": name, "visibility": visibility, "playbackVisibility": playback_visibility}
        data = self._write("PUT", "/me", json_body=body)
        user = data.get("updateUser", data) if isinstance(data, dict) else data
        return _model(User, user)

    def iter_user_playlists(
        self, user_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /users/{id}/playlists (reference.md §3.1): another user's public playlists."""
        return self._paged_get(
            f"/users/{_seg(user_id)}/playlists",
            ("user", "playlists"),
            Playlist,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            cursor=cursor,
        )

    # =========================================================================================
    # Tracks (reference.md §3.4) and library tracks (seed-library.txt)
    # =========================================================================================

    def get_track(self, track_id: str) -> Track:
        """GET /tracks/{id} (reference.md §3.4): one catalog track; scope music::catalog."""
        raw = self._cached_catalog(
            "track",
            track_id,
            self._ttls().track,
            lambda: _dig(self._http.request("GET", f"/tracks/{_seg(track_id)}"), "track"),
        )
        return _model(Track, raw)

    def get_tracks(self, track_ids: Iterable[str]) -> list[Track]:
        """GET /tracks?ids= (reference.md §3.4 Get Multiple Tracks), in batches of 100.

        Cached per id, so ids looked up before (by either method) cost no call.
        """
        raws = self._cached_batch(
            "track",
            track_ids,
            self._ttls().track,
            lambda ids: _dig(
                self._http.request("GET", "/tracks", params={"ids": ",".join(ids)}), "tracks"
            ),
        )
        return [_model(Track, raw) for raw in raws]

    def iter_library_tracks(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[LibraryTrack]:
        """GET /me/library/tracks (reference.md §3.1, §3.3): the user's saved tracks."""
        return self._paged_get(
            "/me/library/tracks",
            ("user", "libraryTracks"),
            LibraryTrack,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            edge_to_item=lambda edge: {**edge, "track": edge.get("node") or {}},
            cursor=cursor,
        )

    def save_track(self, track_id: str) -> SaveTrackResult:
        """PUT /me/library/tracks/{id} (seed-library.txt): answer ``saveTrack``; idempotent."""
        data = self._write("PUT", f"/me/library/tracks/{_seg(track_id)}")
        return _model(SaveTrackResult, _dig(data, "saveTrack"))

    def remove_track(self, track_id: str) -> SaveTrackResult | None:
        """DELETE /me/library/tracks/{id} (seed-library.txt): answer ``removeTrack``.

        Returns None when a retried delete finds the track already gone.
        """
        data = self._write("DELETE", f"/me/library/tracks/{_seg(track_id)}", delete=True)
        return None if data is None else _model(SaveTrackResult, _dig(data, "removeTrack"))

    # =========================================================================================
    # Albums (seed-albums.txt)
    # =========================================================================================

    def get_album(self, album_id: str) -> Album:
        """GET /albums/{id} (seed-albums.txt Get Album); scope music::catalog."""
        raw = self._cached_catalog(
            "album",
            album_id,
            self._ttls().album,
            lambda: _dig(self._http.request("GET", f"/albums/{_seg(album_id)}"), "album"),
        )
        return _model(Album, raw)

    def get_albums(self, album_ids: Iterable[str]) -> list[Album]:
        """GET /albums?ids= (seed-albums.txt Get Multiple Albums): max 100 ids per request."""
        raws = self._cached_batch(
            "album",
            album_ids,
            self._ttls().album,
            lambda ids: _dig(
                self._http.request("GET", "/albums", params={"ids": ",".join(ids)}), "albums"
            ),
        )
        return [_model(Album, raw) for raw in raws]

    def iter_library_albums(
        self,
        *,
        album_ids: Sequence[str] | None = None,
        limit: int = MAX_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Paginator[LibraryAlbum]:
        """GET /me/library/albums (seed-albums.txt Get Current User's Library Albums).

        ``album_ids`` narrows the answer to those albums (the document's ``albumIds``), which
        is how to ask "are these in the library?".
        """
        params = {"albumIds": ",".join(album_ids)} if album_ids else None
        return self._paged_get(
            "/me/library/albums",
            ("user", "libraryAlbums"),
            LibraryAlbum,
            limit=min(limit, MAX_PAGE_SIZE),
            params=params,
            user_data=True,
            edge_to_item=lambda edge: {**edge, "album": edge.get("node") or {}},
            cursor=cursor,
        )

    def save_album(self, album_id: str) -> SaveAlbumResult:
        """PUT /me/library/albums/{id} (seed-albums.txt): answer ``saveAlbum``; idempotent."""
        data = self._write("PUT", f"/me/library/albums/{_seg(album_id)}")
        return _model(SaveAlbumResult, _dig(data, "saveAlbum"))

    def remove_album(self, album_id: str) -> SaveAlbumResult | None:
        """DELETE /me/library/albums/{id} (seed-albums.txt): answer ``removeAlbum``."""
        data = self._write("DELETE", f"/me/library/albums/{_seg(album_id)}", delete=True)
        return None if data is None else _model(SaveAlbumResult, _dig(data, "removeAlbum"))

    # =========================================================================================
    # Playlists (reference.md §3.2; seed-library.txt Get Current User's Playlists)
    # =========================================================================================

    def iter_my_playlists(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /me/playlists (seed-library.txt): the playlists the user owns."""
        return self._paged_get(
            "/me/playlists",
            ("user", "playlists"),
            Playlist,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            cursor=cursor,
        )

    def get_playlist(self, playlist_id: str) -> Playlist:
        """GET /playlists/{id} (reference.md §3.2): metadata only, no tracks."""
        path = f"/playlists/{_seg(playlist_id)}"
        data = self._user_read(path, lambda: self._http.request("GET", path))
        return _model(Playlist, _dig(data, "playlist"))

    def iter_playlist_tracks(
        self, playlist_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[PlaylistEntry]:
        """GET /playlists/{id}/tracks (reference.md §3.2): entries with their entry ids."""
        return self._paged_get(
            f"/playlists/{_seg(playlist_id)}/tracks",
            ("playlist", "tracks"),
            PlaylistEntry,
            limit=min(limit, MAX_PAGE_SIZE),
            user_data=True,
            edge_to_item=_playlist_entry,
            cursor=cursor,
        )

    def create_playlist(
        self,
        title: str,
        *,
        description: str = "",
        visibility: str = "PRIVATE",
        idempotency_key: str | None = None,
    ) -> Playlist:
        """POST /playlists (reference.md §3.2 Create): answer ``createPlaylist``.

        Creating is not idempotent and the API has no idempotency header, so a create whose
        outcome is unknown (5xx, read timeout, dropped connection, a cut-off answer) is never
        simply sent again: the request may still be in flight and land later. Only 429s and
        failures to connect, where the server cannot have acted, are retried in the call.

        With an ``idempotency_key`` (e.g. the transfer job's id) a retrying caller cannot
        duplicate the playlist:

        * the key goes into the description as ``[ref:<key>]``, so the playlist can be
          recognised in the user's list later;
        * in Redis the key is recorded as *pending* before the request and as the playlist id
          after it; a call with a key already done returns that playlist without a create;
        * a call whose key is pending (an earlier attempt ended in doubt), or any keyed call
          when there is no Redis, first looks through the user's playlists for the marker;
        * after an ambiguous failure the client looks once at once (the common case: the
          playlist was made and only the answer was lost) and otherwise raises the error,
          which is transient: the task retries later, by when a slow request has landed, and
          the look-up then finds it.

        Without a key, an ambiguous failure is raised as is, and the caller must check.
        """
        marker = f"[ref:{idempotency_key}]" if idempotency_key else None
        full_description = f"{description} {marker}".strip() if marker else description
        body = {"title": title, "description": full_description, "visibility": visibility}
        record = (
            f"{self.key_prefix}:idem:{_digest(self.api_key)}:{_digest(idempotency_key)}"
            if idempotency_key and self.redis is not None
            else None
        )
        if marker is not None:
            state = self._idempotency_state(record)
            if state not in (None, _PENDING):
                try:
                    return self.get_playlist(state)
                except NotFoundError:
                    pass  # Deleted since: look again, then create anew.
            if state is not None or record is None:
                found = self._find_playlist_by_marker(title, marker)
                if found is not None:
                    self._record_idempotency(record, found.id)
                    return found
            self._record_idempotency(record, _PENDING)
        try:
            data = self._write("POST", "/playlists", json_body=body, retry=Retry.REJECTED_ONLY)
            playlist = _model(Playlist, _dig(data, "createPlaylist"))
        except (ServerError, APIConnectionError, InvalidResponseError):
            if marker is None:
                raise
            found = self._find_playlist_by_marker(title, marker)
            if found is None:
                raise
            playlist = found
        self._record_idempotency(record, playlist.id)
        return playlist

    def _idempotency_state(self, record: str | None) -> str | None:
        if record is None or self.redis is None:
            return None
        value = self.redis.get(record)
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def _record_idempotency(self, record: str | None, value: str) -> None:
        if record is not None and self.redis is not None:
            self.redis.set(record, value, ex=IDEMPOTENCY_TTL)

    def _find_playlist_by_marker(self, title: str, marker: str) -> Playlist | None:
        """The user's playlist whose description carries ``marker``, if any.

        Read past the user cache: a create whose caller died mid-request never invalidated
        it, so a cached list could miss the very playlist being looked for.
        """
        fresh: Paginator[Playlist] = self._paged_get(
            "/me/playlists", ("user", "playlists"), Playlist, limit=MAX_PAGE_SIZE
        )
        for playlist in fresh:
            description = playlist.description
            if description is None:
                if playlist.title != title:
                    continue
                # The list may leave descriptions out; the single playlist has them.
                description = self.get_playlist(playlist.id).description
            if description and marker in description:
                return playlist
        return None

    def update_playlist(
        self,
        playlist_id: str,
        *,
        title: str | None = None,
        description: str | None = None,
        visibility: str | None = None,
    ) -> Playlist:
        """PUT /playlists/{id} (reference.md §3.2 Update): answer ``updatePlaylist``; idempotent."""
        body = {
            k: v
            for k, v in (("title", title), ("description", description), ("visibility", visibility))
            if v is not None
        }
        data = self._write("PUT", f"/playlists/{_seg(playlist_id)}", json_body=body)
        return _model(Playlist, _dig(data, "updatePlaylist"))

    def add_playlist_tracks(
        self,
        playlist_id: str,
        track_ids: Sequence[str],
        *,
        add_duplicates: bool = False,
        chunk_size: int = MAX_TRACKS_PER_WRITE,
    ) -> PlaylistTracksResult:
        """PUT /playlists/{id}/tracks (reference.md §3.2 Add tracks), chunked.

        With ``add_duplicates=False`` (the API's default) a repeated chunk adds nothing, so
        chunks are retried on any transient failure and a resumed transfer may send them again;
        with True they are only retried when the server certainly did not act.
        """
        chunk_size = max(1, min(chunk_size, MAX_TRACKS_PER_WRITE))
        result = PlaylistTracksResult(playlist_id=playlist_id)
        retry = Retry.REJECTED_ONLY if add_duplicates else Retry.SAFE
        for chunk in _chunks(list(track_ids), chunk_size):
            data = self._write(
                "PUT",
                f"/playlists/{_seg(playlist_id)}/tracks",
                json_body={"trackIds": chunk, "addDuplicateTracks": add_duplicates},
                retry=retry,
            )
            result.requested += len(chunk)
            result.chunks += 1
            # The answer's body is undocumented (reference.md §9 item 1): read what is there.
            answer = _first_present(data, "addTracksToPlaylist", "updatePlaylistTracks") or {}
            if isinstance(answer, dict):
                playlist = answer.get("playlist")
                if isinstance(playlist, dict) and playlist.get("id"):
                    result.playlist = _model(Playlist, playlist)
                for entry in answer.get("addedEntries") or []:
                    result.added_entries.append(_model(AddedEntry, entry))
                result.skipped_track_ids.extend(str(t) for t in answer.get("skippedTrackIds") or [])
        return result

    def reorder_playlist_tracks(
        self,
        playlist_id: str,
        entry_ids: Sequence[str],
        *,
        entry_id_above: str | None = None,
        entry_id_below: str | None = None,
    ) -> Playlist | None:
        """PATCH /playlists/{id}/tracks (reference.md §3.2 Reorder): by entry ids; idempotent.

        Moves the entries, in the order given, right after ``entry_id_above`` or right before
        ``entry_id_below``. Returns the playlist when the server reports it.
        """
        body: dict[str, Any] = {"entryIds": list(entry_ids)}
        if entry_id_above is not None:
            body["entryIdAbove"] = entry_id_above
        if entry_id_below is not None:
            body["entryIdBelow"] = entry_id_below
        data = self._write("PATCH", f"/playlists/{_seg(playlist_id)}/tracks", json_body=body)
        answer = _first_present(data, "reorderPlaylistTracks")
        playlist = answer.get("playlist") if isinstance(answer, dict) else None
        return _model(Playlist, playlist) if isinstance(playlist, dict) else None

    def remove_playlist_tracks(
        self, playlist_id: str, entry_ids: Sequence[str], *, chunk_size: int = MAX_TRACKS_PER_WRITE
    ) -> PlaylistRemoveResult:
        """DELETE /playlists/{id}/tracks (reference.md §3.2 Remove) by entry ids, chunked.

        Entry ids are unique, so a repeated removal removes nothing more: retried freely.
        """
        result = PlaylistRemoveResult(playlist_id=playlist_id)
        for chunk in _chunks(list(entry_ids), max(1, min(chunk_size, MAX_TRACKS_PER_WRITE))):
            data = self._write(
                "DELETE",
                f"/playlists/{_seg(playlist_id)}/tracks",
                json_body={"entryIds": chunk},
            )
            result.requested += len(chunk)
            result.chunks += 1
            answer = _first_present(data, "removeTracksFromPlaylist")
            if isinstance(answer, dict):
                result.removed_entry_ids.extend(str(e) for e in answer.get("removedEntryIds") or [])
                result.skipped_entry_ids.extend(str(e) for e in answer.get("skippedEntryIds") or [])
        return result

    def delete_playlist(self, playlist_id: str) -> None:
        """DELETE /playlists/{id} (reference.md §3.2); a 404 after a lost answer is success."""
        self._write("DELETE", f"/playlists/{_seg(playlist_id)}", delete=True)

    # =========================================================================================
    # Search (reference.md §3.7)
    # =========================================================================================

    def search_tracks(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Track]:
        """POST /search/tracks (reference.md §3.7 Search Tracks).

        ``query`` alone is a match query (a filter without field); ``filters`` are
        ``{"field": TrackFieldType, "query": str}`` pairs (name, artistName, albumName, isrc…).
        Pages are cached as catalog searches.
        """
        return self._search(
            cursor, "tracks", "searchTracks", Track, query, filters, sort_by, limit, max_items
        )

    def search_albums(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Album]:
        """POST /search/albums (reference.md §3.7 TOC: Search Albums)."""
        return self._search(
            cursor, "albums", "searchAlbums", Album, query, filters, sort_by, limit, max_items
        )

    def search_artists(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Artist]:
        """POST /search/artists (reference.md §3.7 TOC: Search Artists)."""
        return self._search(
            cursor, "artists", "searchArtists", Artist, query, filters, sort_by, limit, max_items
        )

    def search_playlists(
        self,
        query: str | None = None,
        *,
        filters: Sequence[Mapping[str, str]] | None = None,
        sort_by: str | None = None,
        limit: int = MAX_SEARCH_PAGE,
        max_items: int | None = None,
        cursor: str | None = None,
    ) -> Paginator[Playlist]:
        """POST /search/playlists (reference.md §3.7 TOC: Search Playlists)."""
        return self._search(
            cursor,
            "playlists",
            "searchPlaylists",
            Playlist,
            query,
            filters,
            sort_by,
            limit,
            max_items,
        )

    def search_all(self, query: str, *, limit: int = 10) -> SearchAllResult:
        """GET /search?query= (reference.md §3.7 Search All): views of entity groups."""
        params = {"query": query, "limit": limit}
        data = self._cached_catalog(
            "searchall",
            dumps_for_key(params),
            self._ttls().search,
            lambda: self._http.request("GET", "/search", params=params),
        )
        views = data if isinstance(data, list) else [data]
        return SearchAllResult(views=[v for v in views if isinstance(v, dict)])

    def find_tracks_by_isrc(self, isrc: str, *, limit: int = 5) -> list[Track]:
        """ISRC lookup: search with ``field: isrc`` (reference.md §0 item 5, §3.7).

        There is no ISRC endpoint; search is ranked rather than exact, so only tracks whose
        ``isrc`` equals the one asked for are returned. Cached for a week (an empty answer for
        the search TTL, since the catalog may gain the recording).
        """
        wanted = isrc.strip().upper()
        cache_key = self.cache.catalog_key("isrc", wanted) if self.cache else None
        if self.cache is not None and cache_key is not None:
            cached = self.cache.get(cache_key)
            if cached is not None:
                self.metrics.incr("cache_hits")
                return [_model(Track, raw) for raw in cached]
            self.metrics.incr("cache_misses")
        matches: list[dict[str, Any]] = []
        body = {"searchFilters": [{"field": "isrc", "query": wanted}], "limit": limit}
        data = self._http.request("POST", "/search/tracks", json_body=body)
        for edge in _edges(_dig(data, "searchTracks")):
            node = edge.get("node")
            if isinstance(node, dict) and str(node.get("isrc") or "").upper() == wanted:
                matches.append(node)
        if self.cache is not None and cache_key is not None:
            ttls = self._ttls()
            self.cache.set(cache_key, matches, ttls.isrc if matches else ttls.search)
        return [_model(Track, raw) for raw in matches]

    # =========================================================================================
    # Browse (seed-browse.txt)
    # =========================================================================================

    def iter_top_tracks(
        self, *, limit: int = MAX_TOP_TRACKS, cursor: str | None = None
    ) -> Paginator[Track]:
        """GET /browse/tracks/top (seed-browse.txt Get Top Tracks): max 20 per page."""
        return self._browse(
            "/browse/tracks/top", ("topTracks",), Track, limit, cursor, max_limit=MAX_TOP_TRACKS
        )

    def iter_top_playlists(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /browse/playlists/top (seed-browse.txt Get Top Playlists)."""
        return self._browse("/browse/playlists/top", ("topPlaylists",), Playlist, limit, cursor)

    def iter_new_podcast_episodes(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[PodcastEpisode]:
        """GET /browse/podcasts/episodes/new (seed-browse.txt Get New Podcast Episodes)."""
        return self._browse(
            "/browse/podcasts/episodes/new", ("newPodcastEpisodes",), PodcastEpisode, limit, cursor
        )

    def iter_categories(
        self, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Category]:
        """GET /browse/categories (seed-browse.txt Get All Categories)."""
        return self._browse("/browse/categories", ("browseCategories",), Category, limit, cursor)

    def _browse(
        self,
        path: str,
        keys: tuple[str, ...],
        model: type[M],
        limit: int,
        cursor: str | None,
        max_limit: int = MAX_PAGE_SIZE,
    ) -> Paginator[M]:
        """A browse list: catalog data, cached for the browse TTL, pages clamped to the max."""
        return self._paged_get(
            path,
            keys,
            model,
            limit=min(limit, max_limit),
            catalog_ttl=self._ttls().browse,
            cursor=cursor,
        )

    def get_category(self, category_id: str) -> Category:
        """GET /browse/categories/{id} (seed-browse.txt Get Category)."""
        raw = self._cached_catalog(
            "category",
            category_id,
            self._ttls().browse,
            lambda: _dig(
                self._http.request("GET", f"/browse/categories/{_seg(category_id)}"), "category"
            ),
        )
        return _model(Category, raw)

    def iter_category_albums(
        self, category_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Album]:
        """GET /browse/categories/{id}/albums (seed-browse.txt Get Albums By Category)."""
        return self._browse(
            f"/browse/categories/{_seg(category_id)}/albums",
            ("category", "albums"),
            Album,
            limit,
            cursor,
        )

    def iter_category_playlists(
        self, category_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Playlist]:
        """GET /browse/categories/{id}/playlists (seed-browse.txt Get Playlists By Category)."""
        return self._browse(
            f"/browse/categories/{_seg(category_id)}/playlists",
            ("category", "playlists"),
            Playlist,
            limit,
            cursor,
        )

    def iter_category_tracks(
        self, category_id: str, *, limit: int = MAX_PAGE_SIZE, cursor: str | None = None
    ) -> Paginator[Track]:
        """GET /browse/categories/{id}/tracks (seed-browse.txt Get Tracks By Category)."""
        return self._browse(
            f"/browse/categories/{_seg(category_id)}/tracks",
            ("category", "tracks"),
            Track,
            limit,
            cursor,
        )

    # =========================================================================================
    # Machinery
    # =========================================================================================

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


# --- helpers ------------------------------------------------------------------------------


def _new_session() -> requests.Session:
    session = requests.Session()
    # Enough pooled connections for a threaded caller; retries are ours, not urllib3's.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _seg(value: str) -> str:
    """A path segment, quoted so an id can never change the path."""
    from urllib.parse import quote

    if not value:
        raise ValueError("An id must not be empty.")
    return quote(value, safe="")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dig(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]…``, or InvalidResponseError naming what is missing."""
    current = data
    for depth, key in enumerate(path):
        if not isinstance(current, dict) or key not in current or current[key] is None:
            where = ".".join(("data", *path[:depth]))
            raise InvalidResponseError(f"The answer has no {key!r} in {where}.")
        current = current[key]
    return current


def _first_present(data: Any, *keys: str) -> Any:
    if isinstance(data, dict):
        for key in keys:
            if data.get(key) is not None:
                return data[key]
    return None


def _model(model: type[M], raw: Any) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InvalidResponseError(
            f"The answer does not fit {model.__name__}: {exc.errors(include_url=False)[:3]}"
        ) from exc


def _edges(connection: Any) -> list[dict[str, Any]]:
    if not isinstance(connection, dict):
        raise InvalidResponseError("Expected a connection object with edges.")
    edges = connection.get("edges") or []
    if not isinstance(edges, list):
        raise InvalidResponseError("The connection's edges are not a list.")
    return [e for e in edges if isinstance(e, dict)]


def _page(
    connection: Any, model: type[M], edge_to_item: Callable[[dict[str, Any]], Any] | None
) -> Page[M]:
    edges = _edges(connection)
    page_info = _model(PageInfo, connection.get("pageInfo") or {})
    items = [
        _model(model, edge_to_item(edge) if edge_to_item else edge.get("node", edge))
        for edge in edges
    ]
    next_cursor = page_info.token
    if page_info.has_next_page and not next_cursor and edges:
        # reference.md §2.4: when there is more but no token, the last edge's cursor works.
        next_cursor = edges[-1].get("cursor")
    return Page(
        items=items,
        page_info=page_info,
        edge_count=connection.get("edgeCount"),
        next_cursor=next_cursor,
    )


def _playlist_entry(edge: dict[str, Any]) -> dict[str, Any]:
    cursor = edge.get("cursor")
    node = edge.get("node") or {}
    entry_id = edge.get("entryId") or (
        PlaylistEntry.entry_id_from_cursor(cursor) if isinstance(cursor, str) else None
    )
    if not entry_id:
        raise InvalidResponseError("A playlist track edge has no cursor to read its entry id from.")
    return {"entry_id": entry_id, "cursor": cursor, "track": node}


__all__ = ["DEFAULT_BASE_URL", "AmazonMusicClient"]
