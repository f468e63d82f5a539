"""Control API of the YouTube stand-in, under /_sandbox/youtube/.

| Method and path | Body | Does |
| --- | --- | --- |
| `GET/POST config` | `{"daily_quota", "access_token_ttl", faults (below)}` | read / change |
| `POST new-day` | | what midnight Pacific time does: every project's quota back |
| `POST reset` | | defaults back, quota used zero |
| `POST clients` | `{"client_id","client_secret","redirect_uris"}` | register or update an app |
| `POST accounts` | `{"name", "playlists": [sizes]}` | a new Google account with a channel |
| `POST accounts/<name>/token` | `{"scopes"}` | tokens as if the person had agreed (1) |
| `GET accounts/<name>` | | the person's playlists with their video ids |
| `GET videos?ids=a,b` | | the truth about videos: title, channel, Amazon ASIN |
| `GET quota` | | units used per project today |

``lost_answers``, e.g. ``{"playlists.insert": 1}``: the next such call is made but answered 503,
as if its answer were lost; ``slow_answers``, e.g. ``{"playlists.insert": 30}``: such calls are
made, then answered 30 s later. (1) By default the scopes the app asks for (``YOUTUBE_SCOPES``).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sandbox.spotify.oauth import Client
from sandbox.youtube import runtime
from sandbox.youtube.runtime import DEFAULT_DAILY_QUOTA, quota, store


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
        if "daily_quota" in body:
            quota.daily = int(body["daily_quota"])
        if "access_token_ttl" in body:
            runtime.oauth.access_token_ttl = int(body["access_token_ttl"])
        with runtime.lost_answers.lock:
            if "lost_answers" in body:
                runtime.lost_answers.left = {
                    str(k): int(v) for k, v in dict(body["lost_answers"]).items()
                }
            if "slow_answers" in body:
                runtime.lost_answers.slow = {
                    str(k): float(v) for k, v in dict(body["slow_answers"]).items()
                }
    with runtime.lost_answers.lock:
        lost, slow = dict(runtime.lost_answers.left), dict(runtime.lost_answers.slow)
    return JsonResponse(
        {
            "daily_quota": quota.daily,
            "access_token_ttl": runtime.oauth.access_token_ttl,
            "lost_answers": lost,
            "slow_answers": slow,
        }
    )


@csrf_exempt
def new_day(request: HttpRequest) -> JsonResponse:
    quota.new_day()
    return JsonResponse({"ok": True})


@csrf_exempt
def reset(request: HttpRequest) -> JsonResponse:
    quota.daily = DEFAULT_DAILY_QUOTA
    with quota.lock:
        quota.used.clear()
    runtime.oauth.reset_runtime()
    with runtime.lost_answers.lock:
        runtime.lost_answers.left.clear()
        runtime.lost_answers.slow.clear()
    return JsonResponse({"ok": True})


@csrf_exempt
def clients(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    runtime.oauth.register(
        Client(
            str(body["client_id"]),
            str(body.get("client_secret", "")),
            [str(u) for u in body.get("redirect_uris", [])],
        )
    )
    return JsonResponse({"ok": True})


@csrf_exempt
def accounts(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    try:
        person = store.create_person(
            str(body["name"]), playlists=[int(n) for n in body.get("playlists", [])]
        )
    except (KeyError, ValueError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {"name": body["name"], "id": person.id, "playlists": list(reversed(person.playlists))},
        status=201,
    )


def account(request: HttpRequest, name: str) -> JsonResponse:
    store.ensure_seeded()
    person = store.people.get(name)
    if person is None:
        return JsonResponse({"error": "no such person"}, status=404)
    with store.lock:
        return JsonResponse(
            {
                "id": person.id,
                "channel_id": person.channel_id,
                "playlists": [
                    {
                        "id": p,
                        "title": store.playlists[p].title,
                        "description": store.playlists[p].description,
                        "video_ids": [v for _, v in store.playlists[p].items],
                    }
                    for p in person.playlists
                ],
            }
        )


@csrf_exempt
def token(request: HttpRequest, name: str) -> JsonResponse:
    store.ensure_seeded()
    if name not in store.people:
        return JsonResponse({"error": "no such person"}, status=404)
    body = _body(request)
    # By default the grant is what the product asks Google for (YOUTUBE_SCOPES), as if the
    # person had agreed to its consent screen; a test of a narrower grant names its scopes.
    scopes = body.get("scopes") or list(settings.SANDBOX_GOOGLE_DEFAULT_SCOPES)
    if isinstance(scopes, str):
        scopes = scopes.split()
    client_id = str(body.get("client_id") or settings.SANDBOX_GOOGLE_CLIENT_ID)
    return JsonResponse(
        runtime.oauth.mint_for(user=name, client_id=client_id, scopes=tuple(scopes))
    )


def videos(request: HttpRequest) -> JsonResponse:
    catalog = store.ensure_seeded()
    found = [
        catalog.videos[i] for i in request.GET.get("ids", "").split(",") if i in catalog.videos
    ]
    return JsonResponse(
        {
            "videos": [
                {"id": v.id, "title": v.title, "channel": v.channel_title, "asin": v.asin}
                for v in found
            ]
        }
    )


def used(request: HttpRequest) -> JsonResponse:
    with quota.lock:
        return JsonResponse({"daily_quota": quota.daily, "used": dict(quota.used)})


urlpatterns = [
    path("config", config),
    path("new-day", new_day),
    path("reset", reset),
    path("clients", clients),
    path("accounts", accounts),
    path("accounts/<str:name>", account),
    path("accounts/<str:name>/token", token),
    path("videos", videos),
    path("quota", used),
]
