"""Google's OAuth 2.0 endpoints, stand-in (https://developers.google.com/identity/protocols/oauth2/web-server):
consent page, token endpoint (code with PKCE, refresh), revoke, and the userinfo endpoint that
django-allauth's Google provider reads when no ID token comes back.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from sandbox.spotify.oauth import OAuthError, client_credentials
from sandbox.youtube import runtime
from sandbox.youtube.runtime import store

SCOPES = {
    "openid": "Associate you with your personal info on Google",
    "profile": "See your personal info",
    "email": "See your primary Google Account email address",
    "https://www.googleapis.com/auth/youtube.readonly": "View your YouTube account",
    "https://www.googleapis.com/auth/youtube": "Manage your YouTube account",
    "https://www.googleapis.com/auth/youtube.force-ssl": (
        "See, edit, and permanently delete your YouTube videos, ratings, comments and captions"
    ),
}
ALIASES = {
    "https://www.googleapis.com/auth/userinfo.profile": "profile",
    "https://www.googleapis.com/auth/userinfo.email": "email",
}
PARAMS = (
    "client_id",
    "response_type",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "access_type",
    "prompt",
    "include_granted_scopes",
)


@csrf_exempt
def authorize(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    params = {name: source.get(name, "") for name in PARAMS if source.get(name)}
    try:
        runtime.oauth.check_authorize(params.get("client_id", ""), params.get("redirect_uri", ""))
    except OAuthError as error:
        message = (
            "Error 400: redirect_uri_mismatch"
            if error.error == "invalid_request"
            else ("Error 401: invalid_client")
        )
        return render(
            request,
            "sandbox/service_error.html",
            {"service": "Google", "message": message},
            status=400,
        )
    state = params.get("state", "")

    def back(**values: str) -> HttpResponseRedirect:
        if state:
            values["state"] = state
        return HttpResponseRedirect(f"{params['redirect_uri']}?{urlencode(values)}")

    if params.get("response_type") != "code":
        return back(error="unsupported_response_type")
    scopes = tuple(ALIASES.get(s, s) for s in params.get("scope", "").split() if s)
    if not scopes or any(s not in SCOPES for s in scopes):
        return back(error="invalid_scope")
    store.ensure_seeded()
    if request.method == "POST":
        if source.get("decision") != "allow" or source.get("account") not in store.people:
            return back(error="access_denied")
        code = runtime.oauth.issue_code(
            client_id=params["client_id"],
            user=source["account"],
            redirect_uri=params["redirect_uri"],
            scopes=scopes,
            challenge=params.get("code_challenge", ""),
            method=params.get("code_challenge_method", ""),
        )
        return back(code=code, scope=" ".join(scopes))
    return render(
        request,
        "sandbox/service_consent.html",
        {
            "service": "Google",
            "params": params,
            "scope_rows": [(s, SCOPES[s]) for s in scopes],
            "accounts": [(key, p.name, p.email) for key, p in store.people.items()],
            "redirect_uri": params["redirect_uri"],
        },
    )


@csrf_exempt
def token(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request"}, status=405)
    body = {k: str(v) for k, v in request.POST.items()}
    try:
        client_id, secret = client_credentials(request.headers.get("Authorization", ""), body)
        if body.get("grant_type") == "authorization_code":
            answer = runtime.oauth.exchange_code(
                client_id=client_id,
                secret=secret,
                code=body.get("code", ""),
                redirect_uri=body.get("redirect_uri", ""),
                verifier=body.get("code_verifier", ""),
            )
        elif body.get("grant_type") == "refresh_token":
            answer = runtime.oauth.refresh(
                client_id=client_id, secret=secret, refresh_token=body.get("refresh_token", "")
            )
        else:
            raise OAuthError("unsupported_grant_type", "Invalid grant_type")
    except OAuthError as error:
        status = 401 if error.error == "invalid_client" else 400
        description = (
            "Token has been expired or revoked."
            if error.error == "invalid_grant"
            else (error.description)
        )
        return JsonResponse({"error": error.error, "error_description": description}, status=status)
    return JsonResponse(answer)


@csrf_exempt
def revoke(request: HttpRequest) -> JsonResponse:
    token_value = request.POST.get("token") or request.GET.get("token", "")
    if not runtime.oauth.revoke(token_value):
        return JsonResponse(
            {"error": "invalid_token", "error_description": "Token expired or revoked"}, status=400
        )
    return JsonResponse({})


def userinfo(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    found = runtime.oauth.lookup(header[7:].strip()) if header.startswith("Bearer ") else None
    if found is None or found.expires_at <= time.time():
        return JsonResponse(
            {"error": {"code": 401, "message": "Invalid Credentials", "status": "UNAUTHENTICATED"}},
            status=401,
        )
    person = store.people[found.grant.user]
    return JsonResponse(
        {
            "id": person.id,
            "email": person.email,
            "verified_email": True,
            "name": person.name,
            "given_name": person.name.split()[0],
            "picture": "",
        }
    )
