"""YouTube Data API v3 stand-in (https://developers.google.com/youtube/v3/docs): playlists.list,
playlistItems.list/insert/delete, videos.list, playlists.insert, each costing its documented quota
units; errors in Google's shape, with ``quotaExceeded`` (403, domain ``youtube.quota``) once the
project's daily units are spent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.youtube import runtime
from sandbox.youtube.catalog import YouTubeCatalog, iso_duration
from sandbox.youtube.runtime import COSTS, Person, YTPlaylist, quota, store

READ_SCOPES = {
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/youtube",
    "https://www.googleapis.com/auth/youtube.force-ssl",
}
WRITE_SCOPES = READ_SCOPES - {"https://www.googleapis.com/auth/youtube.readonly"}
QUOTA_MESSAGE = (
    "The request cannot be completed because you have exceeded your "
    '<a href="/youtube/v3/getting-started#quota">quota</a>.'
)


class GoogleError(Exception):
    def __init__(
        self, code: int, message: str, reason: str, domain: str = "global", status: str = ""
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.reason, self.domain = code, message, reason, domain
        self.status = status

    def response(self) -> JsonResponse:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "errors": [{"message": self.message, "domain": self.domain, "reason": self.reason}],
        }
        if self.status:
            error["status"] = self.status
        return JsonResponse({"error": error}, status=self.code)


def error_response(status: int) -> JsonResponse:
    """An injected fault in Google's shape (used by the sandbox's fault middleware)."""
    if status == 429:
        return GoogleError(
            429,
            "Resource has been exhausted (e.g. check quota).",
            "rateLimitExceeded",
            status="RESOURCE_EXHAUSTED",
        ).response()
    return GoogleError(
        500, "Internal error encountered.", "backendError", status="INTERNAL"
    ).response()


def quota_exceeded() -> GoogleError:
    return GoogleError(403, QUOTA_MESSAGE, "quotaExceeded", domain="youtube.quota")


class Caller:
    def __init__(self, person: Person | None, project: str, scopes: set[str]) -> None:
        self.person, self.project, self.scopes = person, project, scopes


def method(
    cost: str, *, needs_user: bool, write: bool = False, verbs: tuple[str, ...] = ("GET",)
) -> Callable[[Callable[..., Any]], Any]:
    def wrap(handler: Callable[..., Any]) -> Any:
        @csrf_exempt
        def view(request: HttpRequest) -> HttpResponse:
            try:
                if request.method not in verbs:
                    raise GoogleError(405, "Method not allowed", "methodNotAllowed")
                catalog = store.ensure_seeded()
                caller = _caller(request)
                if needs_user and caller.person is None:
                    raise GoogleError(401, "Login Required.", "required", status="UNAUTHENTICATED")
                if caller.person is not None:
                    # Like Google: inserts and deletes need a scope that manages the account;
                    # youtube.readonly reads only (403 insufficientPermissions).
                    writing = write or request.method != "GET"
                    allowed = WRITE_SCOPES if writing else READ_SCOPES
                    if not caller.scopes & allowed:
                        raise GoogleError(
                            403,
                            "Request had insufficient authentication scopes.",
                            "insufficientPermissions",
                            status="PERMISSION_DENIED",
                        )
                if request.method != "DELETE" and not request.GET.get("part"):
                    raise GoogleError(400, "Required parameter: part", "required", domain="global")
                if not quota.spend(caller.project, COSTS[cost]):
                    raise quota_exceeded()
                answer = handler(request, caller, catalog)
                if answer is None:  # a delete: 204 with no body, as Google answers
                    return HttpResponse(status=204)
                return JsonResponse(answer)
            except GoogleError as error:
                return error.response()

        view.__name__ = handler.__name__
        return view

    return wrap


def _caller(request: HttpRequest) -> Caller:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = runtime.oauth.lookup(header[7:].strip())
        if token is None or token.expires_at <= time.time():
            raise GoogleError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                "login cookie or other valid authentication credential.",
                "authError",
                status="UNAUTHENTICATED",
            )
        person = store.people.get(token.grant.user)
        return Caller(person, "client:" + token.grant.client_id, set(token.grant.scopes))
    key = request.GET.get("key", "")
    if key in runtime.api_keys:
        return Caller(None, "key:" + key, set())
    if key:
        raise GoogleError(
            400,
            "API key not valid. Please pass a valid API key.",
            "badRequest",
            status="INVALID_ARGUMENT",
        )
    raise GoogleError(
        403, "The request is missing a valid API key.", "forbidden", status="PERMISSION_DENIED"
    )


def _max_results(request: HttpRequest, default: int = 5) -> int:
    raw = request.GET.get("maxResults", str(default))
    if not raw.isdigit() or not 0 <= int(raw) <= 50:
        raise GoogleError(
            400, "Invalid value for maxResults", "invalidParameter", domain="youtube.parameter"
        )
    return int(raw)


def _page(
    request: HttpRequest,
    kind: str,
    items: list[Any],
    size: int,
    render: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    token = request.GET.get("pageToken", "")
    start = 0
    if token:
        if not token.startswith("CAE") or not token[3:].isdigit():
            raise GoogleError(
                400,
                "The request specifies an invalid page token.",
                "invalidPageToken",
                domain="youtube.parameter",
            )
        start = int(token[3:])
    window = items[start : start + size]
    body: dict[str, Any] = {
        "kind": f"youtube#{kind}ListResponse",
        "etag": f"etag-{start}-{len(items)}",
        "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        "items": [render(item) for item in window],
    }
    if start + size < len(items):
        body["nextPageToken"] = f"CAE{start + size}"
    if start:
        body["prevPageToken"] = f"CAE{max(0, start - size)}"
    return body


def _playlist_resource(playlist: YTPlaylist) -> dict[str, Any]:
    return {
        "kind": "youtube#playlist",
        "etag": f"pl-{len(playlist.items)}",
        "id": playlist.id,
        "snippet": {
            "publishedAt": "2024-05-04T18:30:00Z",
            "channelId": playlist.channel,
            "title": playlist.title,
            "description": playlist.description,
            "thumbnails": {},
            "channelTitle": "",
        },
        "contentDetails": {"itemCount": len(playlist.items)},
        "status": {"privacyStatus": playlist.privacy},
    }


@method("list", needs_user=False, write=False, verbs=("GET", "POST"))
def playlists(request: HttpRequest, caller: Caller, catalog: YouTubeCatalog) -> dict[str, Any]:
    if request.method == "POST":
        return _insert_playlist(request, caller)
    if request.GET.get("mine") == "true":
        if caller.person is None:
            raise GoogleError(401, "Login Required.", "required", status="UNAUTHENTICATED")
        found = [store.playlists[p] for p in caller.person.playlists]
    elif request.GET.get("id"):
        wanted = request.GET["id"].split(",")
        found = [store.playlists[p] for p in wanted if p in store.playlists]
    else:
        raise GoogleError(
            400,
            "No filter selected. Expected one of: id, mine, channelId",
            "missingRequiredParameter",
            domain="youtube.parameter",
        )
    return _page(request, "playlist", found, _max_results(request), _playlist_resource)


def _insert_playlist(request: HttpRequest, caller: Caller) -> dict[str, Any]:
    if caller.person is None:
        raise GoogleError(401, "Login Required.", "required", status="UNAUTHENTICATED")
    # playlists.insert costs 50 units; the decorator charged a list already.
    if not quota.spend(caller.project, COSTS["insert"] - COSTS["list"]):
        raise quota_exceeded()
    body = _json(request)
    snippet = body.get("snippet", {})
    title = str(snippet.get("title", "")).strip()
    if not title:
        raise GoogleError(
            400, "Playlist title is required.", "playlistTitleRequired", domain="youtube.playlist"
        )
    # Kept as sent and given back by playlists.list, as Google does (a client may find its own
    # playlist again by what it wrote there).
    description = str(snippet.get("description", ""))
    playlist = store.add_playlist(caller.person, title, [], description=description)
    delay = runtime.lost_answers.delay("playlists.insert")
    if delay:
        time.sleep(delay)
    if runtime.lost_answers.take("playlists.insert"):
        raise GoogleError(503, "The service is currently unavailable.", "backendError")
    return _playlist_resource(playlist)


def _json(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise GoogleError(400, "Invalid JSON payload received.", "parseError") from None
    if not isinstance(body, dict):
        raise GoogleError(400, "Invalid JSON payload received.", "parseError")
    return body


@method("list", needs_user=False, verbs=("GET", "POST", "DELETE"))
def playlist_items(request: HttpRequest, caller: Caller, catalog: YouTubeCatalog) -> dict | None:
    if request.method == "POST":
        return _insert_item(request, caller, catalog)
    if request.method == "DELETE":
        _delete_item(request, caller)
        return None
    playlist = store.playlists.get(request.GET.get("playlistId", ""))
    if playlist is None:
        raise GoogleError(
            404,
            "The playlist identified with the request's playlistId parameter cannot be found.",
            "playlistNotFound",
            domain="youtube.playlistItem",
        )
    owner_ok = caller.person is not None and caller.person.channel_id == playlist.channel
    if playlist.privacy == "private" and not owner_ok:
        raise GoogleError(
            403,
            "The request is not properly authorized to retrieve the specified playlist.",
            "playlistItemsNotAccessible",
            domain="youtube.playlistItem",
        )
    entries = list(enumerate(playlist.items))

    def render(entry: tuple[int, tuple[str, str]]) -> dict[str, Any]:
        position, (item_id, vid) = entry
        video = catalog.videos.get(vid)
        return {
            "kind": "youtube#playlistItem",
            "etag": f"pi-{position}",
            "id": item_id,
            "snippet": {
                "publishedAt": "2024-05-04T18:30:00Z",
                "channelId": playlist.channel,
                "title": video.title if video else "Deleted video",
                "description": "",
                "thumbnails": {},
                "playlistId": playlist.id,
                "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": vid},
                **(
                    {
                        "videoOwnerChannelTitle": video.channel_title,
                        "videoOwnerChannelId": video.channel_id,
                    }
                    if video
                    else {}
                ),
            },
            "contentDetails": {"videoId": vid, "videoPublishedAt": "2020-01-01T00:00:00Z"},
        }

    return _page(request, "playlistItem", entries, _max_results(request), render)


def _delete_item(request: HttpRequest, caller: Caller) -> None:
    """playlistItems.delete: 50 units; 404 playlistItemNotFound for an id not in one's playlists."""
    if caller.person is None:
        raise GoogleError(401, "Login Required.", "required", status="UNAUTHENTICATED")
    if not quota.spend(caller.project, COSTS["delete"] - COSTS["list"]):
        raise quota_exceeded()
    item_id = request.GET.get("id", "")
    with store.lock:
        for playlist_id in caller.person.playlists:
            playlist = store.playlists[playlist_id]
            kept = [entry for entry in playlist.items if entry[0] != item_id]
            if len(kept) != len(playlist.items):
                playlist.items = kept
                return
    raise GoogleError(
        404, "Playlist item not found.", "playlistItemNotFound", domain="youtube.playlistItem"
    )


def _insert_item(request: HttpRequest, caller: Caller, catalog: YouTubeCatalog) -> dict:
    if caller.person is None:
        raise GoogleError(401, "Login Required.", "required", status="UNAUTHENTICATED")
    if not caller.scopes & WRITE_SCOPES:
        raise GoogleError(
            403,
            "Request had insufficient authentication scopes.",
            "insufficientPermissions",
            status="PERMISSION_DENIED",
        )
    if not quota.spend(caller.project, COSTS["insert"] - COSTS["list"]):
        raise quota_exceeded()
    snippet = _json(request).get("snippet", {})
    playlist = store.playlists.get(str(snippet.get("playlistId", "")))
    if playlist is None or playlist.channel != caller.person.channel_id:
        raise GoogleError(
            404, "Playlist not found.", "playlistNotFound", domain="youtube.playlistItem"
        )
    vid = str(snippet.get("resourceId", {}).get("videoId", ""))
    if vid not in catalog.videos:
        raise GoogleError(404, "Video not found.", "videoNotFound", domain="youtube.playlistItem")
    with store.lock:
        item_id = store.append(playlist, vid)
        position = len(playlist.items) - 1
    return {
        "kind": "youtube#playlistItem",
        "id": item_id,
        "snippet": {
            "playlistId": playlist.id,
            "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": vid},
        },
    }


@method("list", needs_user=False)
def videos(request: HttpRequest, caller: Caller, catalog: YouTubeCatalog) -> dict[str, Any]:
    ids = [i for i in request.GET.get("id", "").split(",") if i]
    if not ids:
        raise GoogleError(
            400,
            "No filter selected. Expected one of: id, chart, myRating",
            "missingRequiredParameter",
            domain="youtube.parameter",
        )
    if len(ids) > 50:
        raise GoogleError(
            400,
            "The request specifies too many video ids (at most 50).",
            "invalidVideoId",
            domain="youtube.parameter",
        )
    found = [catalog.videos[i] for i in ids if i in catalog.videos]

    def render(video: Any) -> dict[str, Any]:
        return {
            "kind": "youtube#video",
            "etag": f"v-{video.id}",
            "id": video.id,
            "snippet": {
                "publishedAt": "2020-01-01T00:00:00Z",
                "channelId": video.channel_id,
                "title": video.title,
                "description": "",
                "thumbnails": {},
                "channelTitle": video.channel_title,
                "categoryId": "10",
            },
            "contentDetails": {"duration": iso_duration(video.duration_s)},
        }

    return {
        "kind": "youtube#videoListResponse",
        "etag": "videos",
        "pageInfo": {"totalResults": len(found), "resultsPerPage": len(found)},
        "items": [render(v) for v in found],
    }


@method("search", needs_user=False)
def search(request: HttpRequest, caller: Caller, catalog: YouTubeCatalog) -> dict[str, Any]:
    words = {w for w in request.GET.get("q", "").lower().split() if w}
    hits = [
        v
        for v in catalog.videos.values()
        if words and words <= set(f"{v.title} {v.channel_title}".lower().split())
    ][: _max_results(request)]
    return {
        "kind": "youtube#searchListResponse",
        "pageInfo": {"totalResults": len(hits), "resultsPerPage": len(hits)},
        "items": [
            {
                "kind": "youtube#searchResult",
                "id": {"kind": "youtube#video", "videoId": v.id},
                "snippet": {"title": v.title, "channelTitle": v.channel_title},
            }
            for v in hits
        ],
    }
