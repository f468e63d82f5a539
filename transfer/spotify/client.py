"""The Spotify Web API client: spotipy (2.26, which follows the February 2026 endpoint changes)
over our own session, with our retry policy and errors.

spotipy is given a plain ``requests.Session`` so that its urllib3 retries never sleep inside a
worker and a 429 reaches us with its Retry-After; its base URL (``prefix``) comes from settings.
Each call: one refresh and retry after a 401; a 429 whose Retry-After fits in the retry budget
is waited out, a longer one raises ``SpotifyRateLimitedError`` for the task to reschedule; reads
are retried on 5xx and dropped connections within the budget, writes are not (a POST of items
that the server may have applied must not be sent twice: the writer checks the playlist first).

Page sizes are Spotify's maximums: 50 for /me/playlists, /me/tracks, /me/albums; 100 for
playlist items; adds go 100 URIs a call, library saves 40.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import requests
import spotipy

from transfer.spotify.errors import (
    SpotifyAuthError,
    SpotifyBadRequestError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyNotFoundError,
    SpotifyRateLimitedError,
    SpotifyUnavailableError,
)
from transfer.spotify.schemas import (
    Playlist,
    PlaylistEntry,
    SavedAlbum,
    SavedTrack,
    Track,
    User,
)

# spotipy logs request headers (the bearer token) at DEBUG: never let that through.
logging.getLogger("spotipy").setLevel(logging.INFO)

TIMEOUT = 15
PAGE = 50
ITEMS_PAGE = 100
ADD_CHUNK = 100
LIBRARY_CHUNK = 40

T = TypeVar("T")


class TokenProvider(Protocol):
    def get_token(self) -> str: ...

    def refresh_token(self, failed_token: str) -> str: ...


class Counter(Protocol):
    def __call__(self, name: str) -> None: ...


class SpotifyClient:
    def __init__(
        self,
        *,
        api_url: str,
        tokens: TokenProvider,
        session: requests.Session | None = None,
        retry_budget: float = 5.0,
        count: Counter | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.tokens = tokens
        self.session = session or requests.Session()
        self.retry_budget = retry_budget
        self.calls = 0
        self._count = count

    def _spotipy(self, token: str) -> spotipy.Spotify:
        client = spotipy.Spotify(
            auth=token, requests_session=self.session, requests_timeout=TIMEOUT, retries=0
        )
        client.prefix = self.api_url + "/"
        return client

    def _call(self, what: Callable[[spotipy.Spotify], T], *, safe: bool = True) -> T:
        token = self.tokens.get_token()
        refreshed = False
        deadline = time.monotonic() + self.retry_budget
        attempt = 0
        while True:
            attempt += 1
            self.calls += 1
            if self._count:
                self._count("calls")
            try:
                return what(self._spotipy(token))
            except spotipy.SpotifyException as exc:
                status = exc.http_status
                if status == 401 and not refreshed:
                    refreshed = True
                    token = self.tokens.refresh_token(token)
                    continue
                if status == 429:
                    if self._count:
                        self._count("429")
                    wait = _retry_after(exc)
                    if time.monotonic() + wait > deadline:
                        raise SpotifyRateLimitedError(
                            "Spotify asks us to slow down", retry_after=wait
                        ) from None
                    time.sleep(wait)
                    continue
                if status >= 500 and safe and self._backoff(attempt, deadline):
                    continue
                raise _error_for(exc) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                if safe and self._backoff(attempt, deadline):
                    continue
                raise SpotifyUnavailableError(
                    f"Spotify did not answer ({type(exc).__name__})"
                ) from None

    def _backoff(self, attempt: int, deadline: float) -> bool:
        wait = random.uniform(0, min(2.0, 0.2 * 2**attempt))
        if time.monotonic() + wait > deadline:
            return False
        time.sleep(wait)
        return True

    def _pages(self, fetch: Callable[[spotipy.Spotify, int], Any], size: int) -> Iterator[Any]:
        offset = 0
        while True:
            page = self._call(functools.partial(_at, fetch, offset))
            items = page.get("items") or []
            yield from items
            offset += size
            if not page.get("next") or not items:
                return

    # -- reads -------------------------------------------------------------------------------

    def me(self) -> User:
        return User.model_validate(self._call(lambda sp: sp.me()))

    def iter_playlists(self) -> Iterator[Playlist]:
        """Owned and followed playlists, as /me/playlists lists them."""
        for raw in self._pages(
            lambda sp, at: sp.current_user_playlists(limit=PAGE, offset=at), PAGE
        ):
            yield Playlist.model_validate(raw)

    def playlist(self, playlist_id: str) -> Playlist:
        return Playlist.model_validate(
            self._call(
                lambda sp: sp.playlist(playlist_id, fields=None, additional_types=("track",))
            )
        )

    def iter_playlist_entries(self, playlist_id: str) -> Iterator[PlaylistEntry]:
        for raw in self._pages(
            lambda sp, at: sp.playlist_items(
                playlist_id, limit=ITEMS_PAGE, offset=at, additional_types=("track",)
            ),
            ITEMS_PAGE,
        ):
            yield PlaylistEntry.model_validate(raw)

    def iter_saved_tracks(self) -> Iterator[SavedTrack]:
        for raw in self._pages(
            lambda sp, at: sp.current_user_saved_tracks(limit=PAGE, offset=at), PAGE
        ):
            yield SavedTrack.model_validate(raw)

    def iter_saved_albums(self) -> Iterator[SavedAlbum]:
        for raw in self._pages(
            lambda sp, at: sp.current_user_saved_albums(limit=PAGE, offset=at), PAGE
        ):
            yield SavedAlbum.model_validate(raw)

    def track(self, track_id: str) -> Track:
        return Track.model_validate(self._call(lambda sp: sp.track(track_id)))

    def search_tracks(self, query: str, *, limit: int = 10) -> list[Track]:
        answer = self._call(lambda sp: sp.search(query, limit=limit, type="track"))
        return [Track.model_validate(t) for t in (answer.get("tracks") or {}).get("items", [])]

    # -- writes ------------------------------------------------------------------------------

    def create_playlist(
        self, name: str, *, description: str = "", public: bool = False
    ) -> Playlist:
        raw = self._call(
            lambda sp: sp.current_user_playlist_create(
                name, public=public, description=description
            ),
            safe=False,
        )
        return Playlist.model_validate(raw)

    def add_to_playlist(self, playlist_id: str, uris: list[str]) -> None:
        for start in range(0, len(uris), ADD_CHUNK):
            chunk = uris[start : start + ADD_CHUNK]
            self._call(_call_method("playlist_add_items", playlist_id, chunk), safe=False)

    def remove_from_playlist(self, playlist_id: str, uris: list[str]) -> None:
        for start in range(0, len(uris), ADD_CHUNK):
            chunk = uris[start : start + ADD_CHUNK]
            self._call(_call_method("playlist_remove_all_occurrences_of_items", playlist_id, chunk))

    def save_tracks(self, track_uris: list[str]) -> None:
        """Liked Songs (PUT /me/library; saving twice keeps one)."""
        for start in range(0, len(track_uris), LIBRARY_CHUNK):
            chunk = track_uris[start : start + LIBRARY_CHUNK]
            self._call(_call_method("current_user_saved_tracks_add", chunk))

    def remove_saved_tracks(self, track_uris: list[str]) -> None:
        """Out of Liked Songs (DELETE /me/library; removing twice removes nothing more)."""
        for start in range(0, len(track_uris), LIBRARY_CHUNK):
            chunk = track_uris[start : start + LIBRARY_CHUNK]
            self._call(_call_method("current_user_saved_tracks_delete", chunk))

    def save_albums(self, album_uris: list[str]) -> None:
        for start in range(0, len(album_uris), LIBRARY_CHUNK):
            chunk = album_uris[start : start + LIBRARY_CHUNK]
            self._call(_call_method("current_user_saved_albums_add", chunk))


def _at(fetch: Callable[[spotipy.Spotify, int], Any], offset: int, sp: spotipy.Spotify) -> Any:
    return fetch(sp, offset)


def _call_method(name: str, *args: Any) -> Callable[[spotipy.Spotify], Any]:
    """``sp.<name>(*args)`` for a given spotipy client, bound now (not at loop end)."""
    return lambda sp: getattr(sp, name)(*args)


def _retry_after(exc: spotipy.SpotifyException) -> float:
    headers = exc.headers or {}
    try:
        return max(1.0, float(headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _error_for(exc: spotipy.SpotifyException) -> SpotifyError:
    status = exc.http_status
    message = str(exc.msg).split("\n", 1)[-1].strip() or f"Spotify answered {status}"
    if status == 401:
        return SpotifyAuthError(message, status=status)
    if status == 403:
        return SpotifyForbiddenError(message, status=status)
    if status == 404:
        return SpotifyNotFoundError(message, status=status)
    if status >= 500:
        return SpotifyUnavailableError(message, status=status)
    return SpotifyBadRequestError(message, status=status)
