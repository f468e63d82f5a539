"""Control API of the Spotify stand-in, under /_sandbox/spotify/ (tests, benchmarks, the demo).

| Method and path | Body | Does |
| --- | --- | --- |
| `GET/POST config` | `{"rate_limit": per 30 s, "mode", "access_token_ttl"}` | read / change |
| `POST reset` | | defaults back, counters zero (people and playlists stay) |
| `POST clients` | `{"client_id","client_secret","redirect_uris"}` | register or update an app |
| `POST accounts` | `{"name", "liked", "playlists": [sizes], "albums", "product"}` | a person |
| `POST accounts/<id>/token` | `{"scopes": [...], "client_id"?}` | tokens, as if agreed |
| `GET accounts/<id>` | | library and playlists, each track's ISRC and Amazon ASIN |
| `POST revoke` | `{"token"}` | what a person does on spotify.com/account/apps |
| `GET stats` | | requests, 429s, calls per endpoint |
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sandbox.spotify import runtime
from sandbox.spotify.accounts import SCOPES
from sandbox.spotify.oauth import Client
from sandbox.spotify.state import store


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


@csrf_exempt
def config(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        body = _body(request)
        if "rate_limit" in body:
            runtime.config.rate_limit = int(body["rate_limit"])
            runtime.window.reset()
        if "mode" in body:
            if body["mode"] not in runtime.MODES:
                return JsonResponse({"error": f"mode must be one of {runtime.MODES}"}, status=400)
            runtime.config.mode = body["mode"]
        if "access_token_ttl" in body:
            runtime.oauth.access_token_ttl = int(body["access_token_ttl"])
    return JsonResponse(
        {
            "rate_limit": runtime.config.rate_limit,
            "mode": runtime.config.mode,
            "access_token_ttl": runtime.oauth.access_token_ttl,
        }
    )


@csrf_exempt
def reset(request: HttpRequest) -> JsonResponse:
    runtime.reset()
    return JsonResponse({"ok": True})


@csrf_exempt
def clients(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    runtime.oauth.register(
        Client(
            client_id=str(body["client_id"]),
            client_secret=str(body.get("client_secret", "")),
            redirect_uris=[str(u) for u in body.get("redirect_uris", [])],
        )
    )
    return JsonResponse({"ok": True})


@csrf_exempt
def accounts(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    try:
        user = store.create_user(
            str(body["name"]),
            liked=int(body.get("liked", 0)),
            playlists=[int(n) for n in body.get("playlists", [])],
            albums=int(body.get("albums", 0)),
            product=str(body.get("product", "premium")),
        )
    except (KeyError, ValueError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"id": user.id, "playlists": list(reversed(user.playlists))}, status=201)


def account(request: HttpRequest, user_id: str) -> JsonResponse:
    catalog = store.ensure_seeded()
    user = store.users.get(user_id)
    if user is None:
        return JsonResponse({"error": "no such person"}, status=404)

    def describe(track_id: str) -> dict[str, Any]:
        track = catalog.tracks[track_id]
        return {"id": track.id, "name": track.name, "isrc": track.isrc, "asin": track.asin}

    with store.lock:
        return JsonResponse(
            {
                "id": user.id,
                "liked": [describe(t) for t, _ in user.liked],
                "albums": [a for a, _ in user.albums],
                "playlists": [
                    {
                        "id": p,
                        "name": store.playlists[p].name,
                        "owner": store.playlists[p].owner,
                        "tracks": [describe(t) for t, _ in store.playlists[p].items],
                    }
                    for p in user.playlists
                ],
            }
        )


@csrf_exempt
def token(request: HttpRequest, user_id: str) -> JsonResponse:
    store.ensure_seeded()
    if user_id not in store.users:
        return JsonResponse({"error": "no such person"}, status=404)
    body = _body(request)
    scopes = body.get("scopes") or list(SCOPES)
    if isinstance(scopes, str):
        scopes = scopes.split()
    client_id = str(body.get("client_id") or settings.SANDBOX_SPOTIFY_CLIENT_ID)
    return JsonResponse(
        runtime.oauth.mint_for(user=user_id, client_id=client_id, scopes=tuple(scopes))
    )


@csrf_exempt
def revoke(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"revoked": runtime.oauth.revoke(str(_body(request).get("token", "")))})


def stats(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "requests": runtime.counters.requests,
            "throttled": runtime.counters.throttled,
            "by_endpoint": dict(runtime.counters.by_endpoint),
        }
    )


urlpatterns = [
    path("config", config),
    path("reset", reset),
    path("clients", clients),
    path("accounts", accounts),
    path("accounts/<str:user_id>", account),
    path("accounts/<str:user_id>/token", token),
    path("revoke", revoke),
    path("stats", stats),
]
