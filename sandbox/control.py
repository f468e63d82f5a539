"""The /_sandbox/ control API: run-time config, faults, clients, accounts, tokens and stats.

A local development tool: JSON in and out, no authentication, no CSRF; mounted only when
settings.SANDBOX_CONTROL_API is on.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandbox.api import runtime
from sandbox.api.ratelimit import limiter
from sandbox.api.stats import stats
from sandbox.lwa.accounts import create_account
from sandbox.lwa.minting import MintError, mint
from sandbox.models import Account, Client

TIERS = ("UNLIMITED", "PRIME", "FREE")


class BadInput(ValueError):
    pass


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except ValueError:
        raise BadInput("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadInput("The body must be a JSON object.")
    return body


def _problem(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def config(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        try:
            before = runtime.current().rate_limit
            updated = runtime.update(_body(request))
        except (BadInput, runtime.ConfigError) as error:
            return _problem(str(error))
        if updated.rate_limit != before:
            limiter.reset()
    return JsonResponse(runtime.current().as_dict())


@csrf_exempt
@require_POST
def reset(request: HttpRequest) -> JsonResponse:
    """Defaults back, faults off, every rate-limit bucket full, counters at zero."""
    limiter.reset()
    stats.reset()
    return JsonResponse(runtime.reset().as_dict())


def _client_json(client: Client) -> dict[str, Any]:
    return {
        "name": client.name,
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "security_profile_id": client.security_profile_id,
        "redirect_uris": client.redirect_uris,
        "music_enabled": client.music_enabled,
    }


def _string(body: dict[str, Any], name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str) or not value:
        raise BadInput(f"{name} is required and must be a non-empty string.")
    return value


@csrf_exempt
@require_http_methods(["GET", "POST"])
def clients(request: HttpRequest) -> JsonResponse:
    """List clients, or register one (an existing client_id is updated)."""
    if request.method == "GET":
        return JsonResponse({"clients": [_client_json(c) for c in Client.objects.order_by("id")]})
    try:
        body = _body(request)
        client_id = _string(body, "client_id")
        fields = {
            "name": _string(body, "name", client_id),
            "client_secret": _string(body, "client_secret"),
            "security_profile_id": _string(body, "security_profile_id"),
            "redirect_uris": body.get("redirect_uris", []),
            "music_enabled": body.get("music_enabled", True),
        }
        uris = fields["redirect_uris"]
        if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
            raise BadInput("redirect_uris must be a list of URLs.")
        if not isinstance(fields["music_enabled"], bool):
            raise BadInput("music_enabled must be true or false.")
        client, created = Client.objects.update_or_create(client_id=client_id, defaults=fields)
    except BadInput as error:
        return _problem(str(error))
    except IntegrityError:
        return _problem("That security_profile_id belongs to another client.", 409)
    return JsonResponse(_client_json(client), status=201 if created else 200)


def _account_json(account: Account) -> dict[str, Any]:
    return {
        "user_id": account.user_id,
        "music_user_id": account.music_user_id,
        "name": account.name,
        "email": account.email,
        "subscription_tier": account.subscription_tier,
        "has_music_account": account.has_music_account,
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest) -> JsonResponse:
    """List sandbox accounts, or create one (e.g. a FREE tier or one without Amazon Music)."""
    if request.method == "GET":
        return JsonResponse(
            {"accounts": [_account_json(a) for a in Account.objects.order_by("id")]}
        )
    try:
        body = _body(request)
        tier = body.get("subscription_tier", "UNLIMITED")
        if tier not in TIERS:
            raise BadInput(f"subscription_tier must be one of {', '.join(TIERS)}.")
        has_music = body.get("has_music_account", True)
        if not isinstance(has_music, bool):
            raise BadInput("has_music_account must be true or false.")
        account = create_account(
            _string(body, "name"),
            _string(body, "email"),
            subscription_tier=tier,
            has_music_account=has_music,
        )
    except BadInput as error:
        return _problem(str(error))
    return JsonResponse(_account_json(account), status=201)


@csrf_exempt
@require_POST
def account_token(request: HttpRequest, name: str) -> JsonResponse:
    """A fresh access and refresh token for an account, as if it had approved the consent page."""
    try:
        body = _body(request)
        raw_scopes = body.get("scopes")
        if isinstance(raw_scopes, str):
            raw_scopes = raw_scopes.split()
        if raw_scopes is not None and (
            not isinstance(raw_scopes, list) or not all(isinstance(s, str) for s in raw_scopes)
        ):
            raise BadInput("scopes must be a list of scope names or a space-separated string.")
        client_id = body.get("client_id")
        if client_id is not None and not isinstance(client_id, str):
            raise BadInput("client_id must be a string.")
        return JsonResponse(mint(name, raw_scopes, client_id), status=201)
    except BadInput as error:
        return _problem(str(error))
    except MintError as error:
        return _problem(str(error), error.status)


@csrf_exempt
@require_http_methods(["GET", "DELETE"])
def stats_view(request: HttpRequest) -> JsonResponse:
    if request.method == "DELETE":
        stats.reset()
    return JsonResponse(stats.snapshot())


@require_GET
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "config": "/_sandbox/config",
            "reset": "/_sandbox/reset",
            "clients": "/_sandbox/clients",
            "accounts": "/_sandbox/accounts",
            "token": "/_sandbox/accounts/<name>/token",
            "stats": "/_sandbox/stats",
        }
    )


urlpatterns = [
    path("", index),
    path("config", config),
    path("reset", reset),
    path("clients", clients),
    path("accounts", accounts),
    path("accounts/<str:name>/token", account_token),
    path("stats", stats_view),
]
