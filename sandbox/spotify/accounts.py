"""Spotify accounts service stand-in (https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow):
``GET /authorize`` shows a consent page, ``POST /api/token`` exchanges codes and refreshes.

Spotify has no token revocation endpoint: people remove an app's access on their account page.
The stand-in offers the same through the control API (``/_sandbox/spotify/revoke``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from sandbox.spotify import runtime
from sandbox.spotify.oauth import OAuthError, client_credentials
from sandbox.spotify.state import EDITORIAL_OWNER, store

SCOPES = {
    "playlist-read-private": "Access your private playlists",
    "playlist-read-collaborative": "Access your collaborative playlists",
    "playlist-modify-private": "Manage your private playlists",
    "playlist-modify-public": "Manage your public playlists",
    "user-library-read": "Access your saved content",
    "user-library-modify": "Manage your saved content",
    "user-read-email": "Get your real email address",
    "user-read-private": "Access your subscription details",
}
PARAMS = (
    "client_id",
    "response_type",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "show_dialog",
)


@csrf_exempt
def authorize(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    params = {name: source.get(name, "") for name in PARAMS if source.get(name)}
    try:
        runtime.oauth.check_authorize(params.get("client_id", ""), params.get("redirect_uri", ""))
    except OAuthError as error:
        return render(
            request,
            "sandbox/service_error.html",
            {"service": "Spotify", "message": f"{error.error}: {error.description}"},
            status=400,
        )
    redirect_uri = params["redirect_uri"]
    state = params.get("state", "")

    def back(**values: str) -> HttpResponseRedirect:
        if state:
            values["state"] = state
        return HttpResponseRedirect(f"{redirect_uri}?{urlencode(values)}")

    if params.get("response_type") != "code":
        return back(error="unsupported_response_type")
    scopes = tuple(s for s in params.get("scope", "").split() if s)
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        return back(error="invalid_scope")
    method = params.get("code_challenge_method", "")
    if params.get("code_challenge") and method not in {"S256", ""}:
        return back(error="invalid_request")
    store.ensure_seeded()
    if request.method == "POST":
        if source.get("decision") != "allow":
            return back(error="access_denied")
        account = source.get("account", "")
        if account not in store.users or account == EDITORIAL_OWNER:
            return back(error="access_denied")
        code = runtime.oauth.issue_code(
            client_id=params["client_id"],
            user=account,
            redirect_uri=redirect_uri,
            scopes=scopes,
            challenge=params.get("code_challenge", ""),
            method=method,
        )
        return back(code=code)
    people = [u for u in store.users.values() if u.id != EDITORIAL_OWNER]
    return render(
        request,
        "sandbox/service_consent.html",
        {
            "service": "Spotify",
            "params": params,
            "scope_rows": [(s, SCOPES[s]) for s in scopes],
            "accounts": [(u.id, u.display_name, u.email) for u in people],
            "redirect_uri": redirect_uri,
        },
    )


@csrf_exempt
def token(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request"}, status=405)
    body = {k: str(v) for k, v in request.POST.items()}
    try:
        client_id, secret = client_credentials(request.headers.get("Authorization", ""), body)
        grant = body.get("grant_type")
        if grant == "authorization_code":
            answer = runtime.oauth.exchange_code(
                client_id=client_id,
                secret=secret,
                code=body.get("code", ""),
                redirect_uri=body.get("redirect_uri", ""),
                verifier=body.get("code_verifier", ""),
            )
        elif grant == "refresh_token":
            answer = runtime.oauth.refresh(
                client_id=client_id, secret=secret, refresh_token=body.get("refresh_token", "")
            )
        else:
            raise OAuthError(
                "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
            )
    except OAuthError as error:
        return JsonResponse(
            {"error": error.error, "error_description": error.description}, status=error.status
        )
    return JsonResponse(answer)
