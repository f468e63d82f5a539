"""Spotify Web API stand-in (https://developer.spotify.com/documentation/web-api), as it stands for
apps in development mode after the February 2026 changes (and the March 2026 revert that kept
``external_ids``):

- playlist contents are ``/playlists/{id}/items`` (GET, POST, DELETE) and each entry's object is
  ``item`` (formerly ``track``); in development mode they are readable only for playlists the
  person owns or collaborates on (403 otherwise);
- playlists are created with ``POST /me/playlists``; saving goes through ``PUT /me/library``
  with Spotify URIs (``DELETE`` to remove); ``GET /me/tracks`` and ``GET /me/albums`` still read;
- ``GET /tracks?ids=`` (several tracks) is gone, ``GET /tracks/{id}`` stays;
- Spotify-owned editorial and algorithmic playlists are 404 for new apps (November 2024);
- search returns at most 10 results a page (default 5) in development mode.

Errors are Spotify's regular error object ``{"error": {"status": n, "message": "..."}}``; 429s
carry ``Retry-After`` (seconds) from a rolling 30-second window per app.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.spotify import runtime
from sandbox.spotify.catalog import SpotifyCatalog, SpotifyTrack, words_of
from sandbox.spotify.oauth import AccessToken
from sandbox.spotify.state import EDITORIAL_OWNER, Playlist, User, store

API_PREFIX = "/spotify/v1"
MAX_LIBRARY_URIS = 40


class ApiError(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after

    def response(self) -> JsonResponse:
        response = JsonResponse(
            {"error": {"status": self.status, "message": self.message}}, status=self.status
        )
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response


def error_response(status: int, retry_after: int | None = None) -> JsonResponse:
    """An injected fault in Spotify's shape (used by the sandbox's fault middleware)."""
    message = "API rate limit exceeded" if status == 429 else "Server error"
    return ApiError(status, message, retry_after).response()


Handler = Callable[..., Any]


def endpoint(*scopes_any: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[Handler], Any]:
    """Bearer token, rolling rate limit, scopes, JSON errors; hands the handler (request, user)."""

    def wrap(handler: Handler) -> Any:
        @csrf_exempt
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            runtime.counters.requests += 1
            runtime.counters.by_endpoint[handler.__name__] += 1
            try:
                if request.method not in methods:
                    raise ApiError(405, "Method not allowed")
                token = _token(request)
                wait = runtime.window.acquire(token.grant.client_id, runtime.config.rate_limit)
                if wait is not None:
                    runtime.counters.throttled += 1
                    raise ApiError(429, "API rate limit exceeded", retry_after=wait)
                if scopes_any and not set(scopes_any) & set(token.grant.scopes):
                    raise ApiError(403, "Insufficient client scope")
                catalog = store.ensure_seeded()
                user = store.users.get(token.grant.user)
                if user is None:
                    raise ApiError(401, "Invalid access token")
                result = handler(request, user, catalog, **kwargs)
            except ApiError as error:
                return error.response()
            if isinstance(result, HttpResponse):
                return result
            return JsonResponse(result, safe=False)

        view.__name__ = handler.__name__
        return view

    return wrap


def _token(request: HttpRequest) -> AccessToken:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not header[7:].strip():
        raise ApiError(401, "No token provided")
    token = runtime.oauth.lookup(header[7:].strip())
    if token is None:
        raise ApiError(401, "Invalid access token")
    if token.expires_at <= time.time():
        raise ApiError(401, "The access token expired")
    return token


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid {name}") from None
    if not low <= value <= high:
        raise ApiError(400, f"Invalid {name}")
    return value


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except ValueError:
        raise ApiError(400, "Error parsing JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Error parsing JSON.")
    return body


def _page(request: HttpRequest, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    base = request.build_absolute_uri(request.path)
    total = len(items)

    def link(at: int) -> str:
        query = dict(request.GET.items()) | {"offset": str(at), "limit": str(limit)}
        return f"{base}?{urlencode(query)}"

    return {
        "href": link(offset),
        "items": items[offset : offset + limit],
        "limit": limit,
        "next": link(offset + limit) if offset + limit < total else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }


# -- objects ---------------------------------------------------------------------------------


def _artist(name: str) -> dict[str, Any]:
    from sandbox.spotify.catalog import base62_id

    artist_id = base62_id("artist:" + name)
    return {
        "id": artist_id,
        "name": name,
        "type": "artist",
        "uri": f"spotify:artist:{artist_id}",
        "external_urls": {"spotify": f"https://open.spotify.com/artist/{artist_id}"},
    }


def album_object(catalog: SpotifyCatalog, album_id: str, *, with_tracks: bool) -> dict[str, Any]:
    album = catalog.albums[album_id]
    body: dict[str, Any] = {
        "id": album.id,
        "name": album.name,
        "album_type": "single" if len(album.track_ids) < 3 else "album",
        "total_tracks": len(album.track_ids),
        "artists": [_artist(a) for a in album.artists],
        "release_date": album.release_date,
        "release_date_precision": "day",
        "images": [],
        "type": "album",
        "uri": f"spotify:album:{album.id}",
        "external_urls": {"spotify": f"https://open.spotify.com/album/{album.id}"},
    }
    if with_tracks:
        tracks = [track_object(catalog, catalog.tracks[t], simple=True) for t in album.track_ids]
        body["tracks"] = {
            "href": "",
            "items": tracks[:50],
            "limit": 50,
            "next": None,
            "offset": 0,
            "previous": None,
            "total": len(tracks),
        }
    return body


def track_object(catalog: SpotifyCatalog, track: SpotifyTrack, *, simple: bool = False) -> dict:
    body: dict[str, Any] = {
        "id": track.id,
        "name": track.name,
        "artists": [_artist(a) for a in track.artists],
        "duration_ms": track.duration_ms,
        "explicit": track.explicit,
        "disc_number": track.disc_number,
        "track_number": track.track_number,
        "is_local": False,
        "type": "track",
        "uri": f"spotify:track:{track.id}",
        "external_urls": {"spotify": f"https://open.spotify.com/track/{track.id}"},
    }
    if not simple:
        body["album"] = album_object(catalog, track.album_id, with_tracks=False)
        body["external_ids"] = {"isrc": track.isrc} if track.isrc else {}
        body["popularity"] = track.popularity
    return body


def _owner(owner_id: str) -> dict[str, Any]:
    owner = store.users.get(owner_id)
    return {
        "id": owner_id,
        "display_name": owner.display_name if owner else owner_id,
        "type": "user",
        "uri": f"spotify:user:{owner_id}",
        "external_urls": {"spotify": f"https://open.spotify.com/user/{owner_id}"},
    }


def playlist_object(playlist: Playlist) -> dict[str, Any]:
    return {
        "id": playlist.id,
        "name": playlist.name,
        "description": playlist.description,
        "owner": _owner(playlist.owner),
        "public": playlist.public,
        "collaborative": playlist.collaborative,
        "snapshot_id": playlist.snapshot_id,
        "items": {
            "href": f"https://api.spotify.com/v1/playlists/{playlist.id}/items",
            "total": len(playlist.items),
        },
        "images": [],
        "type": "playlist",
        "uri": f"spotify:playlist:{playlist.id}",
        "external_urls": {"spotify": f"https://open.spotify.com/playlist/{playlist.id}"},
    }


def _user_object(user: User, token_scopes: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "country": user.country,
        "product": user.product,
        "images": [],
        "type": "user",
        "uri": f"spotify:user:{user.id}",
        "external_urls": {"spotify": f"https://open.spotify.com/user/{user.id}"},
        "followers": {"href": None, "total": 0},
    }


# -- endpoints -------------------------------------------------------------------------------


@endpoint()
def me(request: HttpRequest, user: User, catalog: SpotifyCatalog) -> dict[str, Any]:
    return _user_object(user)


@endpoint(
    "playlist-read-private",
    "playlist-modify-private",
    "playlist-modify-public",
    methods=("GET", "POST"),
)
def my_playlists(request: HttpRequest, user: User, catalog: SpotifyCatalog) -> Any:
    if request.method == "POST":
        return _create_playlist(request, user)
    limit = _int(request, "limit", 20, 1, 50)
    offset = _int(request, "offset", 0, 0, 100_000)
    with store.lock:
        items = [playlist_object(store.playlists[p]) for p in user.playlists]
    return _page(request, items, limit, offset)


def _create_playlist(request: HttpRequest, user: User) -> JsonResponse:
    body = _body(request)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "Missing required field: name")
    playlist = store.add_playlist(
        user,
        name,
        [],
        public=bool(body.get("public", True)),
        description=str(body.get("description") or ""),
    )
    return JsonResponse(playlist_object(playlist), status=201)


def _readable(playlist: Playlist, user: User) -> None:
    if playlist.owner == EDITORIAL_OWNER:
        # Spotify-owned editorial/algorithmic playlists are closed to new apps (Nov 2024).
        raise ApiError(404, "Resource not found")
    if not playlist.public and playlist.owner != user.id and not playlist.collaborative:
        raise ApiError(404, "Resource not found")
    if (
        runtime.config.mode == "development"
        and playlist.owner != user.id
        and not playlist.collaborative
    ):
        raise ApiError(403, "Forbidden")


def _playlist_for(playlist_id: str) -> Playlist:
    playlist = store.playlists.get(playlist_id)
    if playlist is None:
        raise ApiError(404, "Resource not found")
    return playlist


@endpoint()
def playlist(request: HttpRequest, user: User, catalog: SpotifyCatalog, playlist_id: str) -> Any:
    found = _playlist_for(playlist_id)
    if found.owner == EDITORIAL_OWNER:
        raise ApiError(404, "Resource not found")
    return playlist_object(found)


@endpoint(methods=("GET", "POST", "DELETE"))
def playlist_items(
    request: HttpRequest, user: User, catalog: SpotifyCatalog, playlist_id: str
) -> Any:
    found = _playlist_for(playlist_id)
    if request.method == "GET":
        _readable(found, user)
        limit = _int(request, "limit", 100, 1, 100)
        offset = _int(request, "offset", 0, 0, 1_000_000)
        with store.lock:
            window = found.items[offset : offset + limit]
            total = len(found.items)
        entries = [
            {
                "added_at": added_at,
                "added_by": _owner(found.owner),
                "is_local": False,
                "item": track_object(catalog, catalog.tracks[track_id]),
            }
            for track_id, added_at in window
        ]
        page = _page(request, [None] * total, limit, offset)
        page["items"] = entries
        return page
    if found.owner != user.id and not found.collaborative:
        raise ApiError(403, "Forbidden")
    if request.method == "POST":
        return _add_items(request, found, catalog)
    return _remove_items(request, found)


def _track_ids_from_uris(uris: Any, catalog: SpotifyCatalog, maximum: int) -> list[str]:
    if not isinstance(uris, list) or not uris:
        raise ApiError(400, "No uris provided")
    if len(uris) > maximum:
        raise ApiError(400, f"Too many ids requested (at most {maximum})")
    ids = []
    for uri in uris:
        if not isinstance(uri, str) or not uri.startswith("spotify:track:"):
            raise ApiError(400, f"Invalid track uri: {uri}")
        track_id = uri.rsplit(":", 1)[1]
        if track_id not in catalog.tracks:
            raise ApiError(400, f"Invalid track uri: {uri}")
        ids.append(track_id)
    return ids


def _add_items(request: HttpRequest, found: Playlist, catalog: SpotifyCatalog) -> JsonResponse:
    # The body is {"uris": [...], "position"?} or, as spotipy sends it, a bare list of URIs.
    try:
        raw = json.loads(request.body or b"{}")
    except ValueError:
        raise ApiError(400, "Error parsing JSON.") from None
    body = raw if isinstance(raw, dict) else {"uris": raw}
    uris = body.get("uris")
    if uris is None and request.GET.get("uris"):
        uris = request.GET["uris"].split(",")
    ids = _track_ids_from_uris(uris, catalog, 100)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with store.lock:
        position = body.get("position")
        entries = [(track_id, stamp) for track_id in ids]
        if isinstance(position, int) and 0 <= position <= len(found.items):
            found.items[position:position] = entries
        else:
            found.items.extend(entries)
        found.version += 1
        return JsonResponse({"snapshot_id": found.snapshot_id}, status=201)


def _remove_items(request: HttpRequest, found: Playlist) -> JsonResponse:
    body = _body(request)
    entries = body.get("items", body.get("tracks"))
    if not isinstance(entries, list) or not entries or len(entries) > 100:
        raise ApiError(400, "Invalid items")
    remove = {
        str(entry.get("uri", "")).rsplit(":", 1)[-1] for entry in entries if isinstance(entry, dict)
    }
    with store.lock:
        found.items = [(t, a) for t, a in found.items if t not in remove]
        found.version += 1
        return JsonResponse({"snapshot_id": found.snapshot_id})


@endpoint("user-library-read")
def saved_tracks(request: HttpRequest, user: User, catalog: SpotifyCatalog) -> Any:
    limit = _int(request, "limit", 20, 1, 50)
    offset = _int(request, "offset", 0, 0, 1_000_000)
    with store.lock:
        window = user.liked[offset : offset + limit]
        total = len(user.liked)
    page = _page(request, [None] * total, limit, offset)
    page["items"] = [
        {"added_at": added, "track": track_object(catalog, catalog.tracks[t])}
        for t, added in window
    ]
    return page


@endpoint("user-library-read")
def saved_albums(request: HttpRequest, user: User, catalog: SpotifyCatalog) -> Any:
    limit = _int(request, "limit", 20, 1, 50)
    offset = _int(request, "offset", 0, 0, 1_000_000)
    with store.lock:
        window = user.albums[offset : offset + limit]
        total = len(user.albums)
    page = _page(request, [None] * total, limit, offset)
    page["items"] = [
        {"added_at": added, "album": album_object(catalog, a, with_tracks=True)}
        for a, added in window
    ]
    return page


@endpoint("user-library-modify", methods=("PUT", "DELETE"))
def library(request: HttpRequest, user: User, catalog: SpotifyCatalog) -> Any:
    raw = request.GET.get("uris", "")
    uris = [u for u in raw.split(",") if u] or _body(request).get("uris") or []
    if not uris:
        raise ApiError(400, "No uris provided")
    if len(uris) > MAX_LIBRARY_URIS:
        raise ApiError(400, f"Too many ids requested (at most {MAX_LIBRARY_URIS})")
    tracks, albums = [], []
    for uri in uris:
        kind, _, item_id = str(uri).removeprefix("spotify:").partition(":")
        if kind == "track" and item_id in catalog.tracks:
            tracks.append(item_id)
        elif kind == "album" and item_id in catalog.albums:
            albums.append(item_id)
        else:
            raise ApiError(400, f"Invalid uri: {uri}")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with store.lock:
        if request.method == "PUT":
            # Saving is idempotent: what is saved stays where it is.
            have_t = {t for t, _ in user.liked}
            have_a = {a for a, _ in user.albums}
            new_t = [(t, stamp) for t in dict.fromkeys(tracks) if t not in have_t]
            new_a = [(a, stamp) for a in dict.fromkeys(albums) if a not in have_a]
            user.liked[:0] = list(reversed(new_t))
            user.albums[:0] = list(reversed(new_a))
        else:
            user.liked = [(t, s) for t, s in user.liked if t not in set(tracks)]
            user.albums = [(a, s) for a, s in user.albums if a not in set(albums)]
    return HttpResponse(status=200)


@endpoint()
def track(request: HttpRequest, user: User, catalog: SpotifyCatalog, track_id: str) -> Any:
    found = catalog.tracks.get(track_id)
    if found is None:
        raise ApiError(404, "Resource not found")
    return track_object(catalog, found)


@endpoint()
def search(request: HttpRequest, user: User, catalog: SpotifyCatalog) -> Any:
    query = request.GET.get("q", "").strip()
    if not query:
        raise ApiError(400, "No search query")
    kinds = request.GET.get("type", "")
    if "track" not in kinds.split(","):
        raise ApiError(400, "Missing or bad parameter type")
    maximum = 10 if runtime.config.mode == "development" else 50
    default = 5 if runtime.config.mode == "development" else 20
    limit = _int(request, "limit", default, 1, maximum)
    offset = _int(request, "offset", 0, 0, 1000)
    found = _search(catalog, query)
    page = _page(request, [None] * len(found), limit, offset)
    page["items"] = [
        track_object(catalog, catalog.tracks[t]) for t in found[offset : offset + limit]
    ]
    return {"tracks": page}


def _search(catalog: SpotifyCatalog, query: str) -> list[str]:
    """Field filters isrc:, track:, artist:, album: and free words; every word must match."""
    isrc = ""
    words: set[str] = set()
    for part in query.split():
        field, sep, value = part.partition(":")
        if sep and field == "isrc":
            isrc = value.upper()
        elif sep and field in {"track", "artist"}:
            words |= words_of(value)
        elif sep and field in {"album", "year", "genre"}:
            continue  # the stand-in indexes titles and artists only
        else:
            words |= words_of(part)
    candidates: set[str] | None = set(catalog.by_isrc.get(isrc, [])) if isrc else None
    for word in words:
        hits = catalog.words.get(word, set())
        candidates = set(hits) if candidates is None else candidates & hits
        if not candidates:
            return []
    if candidates is None:
        return []
    return sorted(candidates, key=lambda t: (-catalog.tracks[t].popularity, t))
