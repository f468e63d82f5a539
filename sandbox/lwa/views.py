"""HTTP views of the fake Login with Amazon; the logic lives in authorize, grants and tokens."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandbox.lwa import authorize as authz
from sandbox.lwa import grants
from sandbox.lwa.accounts import create_account, find_account
from sandbox.lwa.tokens import live_access_token, scope_set
from sandbox.models import AccessToken, Account

log = logging.getLogger(__name__)

# The consent page lists at most this many sandbox accounts; the rest are reachable by handle.
CONSENT_ACCOUNTS = 50
NEW_ACCOUNT = "__new__"


def redirect_to(url: str) -> HttpResponse:
    # Django's HttpResponseRedirect refuses custom schemes that native apps register.
    response = HttpResponse(status=302)
    response["Location"] = url
    return response


def oauth_json(body: Mapping[str, object], status: int = 200) -> JsonResponse:
    response = JsonResponse(dict(body), status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    try:
        auth = authz.parse(params)
    except authz.AuthorizePageError as error:
        return render(request, "sandbox/lwa_error.html", {"message": str(error)}, status=400)
    except authz.AuthorizeRedirect as error:
        return redirect_to(error.url)
    if request.method == "GET":
        return _consent_page(request, auth)
    decision = request.POST.get("decision", "")
    if decision == "deny":
        return redirect_to(authz.deny(auth))
    if decision != "allow":
        return _consent_page(request, auth, error="Choose Allow or Cancel.", status=400)
    account, problem = _chosen_account(request.POST)
    if account is None:
        return _consent_page(request, auth, error=problem, status=400)
    return redirect_to(authz.approve(auth, account))


def _chosen_account(form: Mapping[str, str]) -> tuple[Account | None, str]:
    choice = form.get("account", "")
    if choice == NEW_ACCOUNT:
        name, email = form.get("new_name", "").strip(), form.get("new_email", "").strip()
        if not name or "@" not in email:
            return None, "A new account needs a name and an e-mail address."
        return create_account(name, email), ""
    account = find_account(choice) if choice else None
    if account is None:
        return None, "Choose an account to sign in with."
    return account, ""


def _consent_page(
    request: HttpRequest, auth: authz.AuthorizeRequest, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "auth": auth,
        "accounts": Account.objects.order_by("id")[:CONSENT_ACCOUNTS],
        "new_account": NEW_ACCOUNT,
        "error": error,
        "selected": request.POST.get("account", "") if request.method == "POST" else "",
    }
    return render(request, "sandbox/consent.html", context, status=status)


def _form(request: HttpRequest) -> Mapping[str, str]:
    # LWA takes form bodies; JSON is accepted too since some clients send it.
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise grants.OAuthError("invalid_request", "The body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise grants.OAuthError("invalid_request", "The body must be a JSON object.")
        return {str(k): str(v) for k, v in body.items() if v is not None}
    return request.POST


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    try:
        form = _form(request)
        grant_type = form.get("grant_type", "")
        if grant_type not in {"authorization_code", "refresh_token"}:
            raise grants.OAuthError(
                "unsupported_grant_type" if grant_type else "invalid_request",
                f"The grant_type {grant_type!r} is not supported."
                if grant_type
                else "The request is missing the parameter: grant_type.",
            )
        creds = grants.authenticate_client(form, request.headers.get("Authorization", ""))
        with transaction.atomic():
            issued = (
                grants.exchange_code(form, creds)
                if grant_type == "authorization_code"
                else grants.refresh(form, creds)
            )
    except grants.OAuthError as error:
        return oauth_json(error.body(), status=error.status)
    return oauth_json(issued.as_oauth())


@csrf_exempt
@require_POST
def revoke(request: HttpRequest) -> JsonResponse:
    try:
        form = _form(request)
        creds = grants.authenticate_client(form, request.headers.get("Authorization", ""))
        grants.revoke(form, creds)
    except grants.OAuthError as error:
        return oauth_json(error.body(), status=error.status)
    return oauth_json({})


def _presented_token(request: HttpRequest) -> str:
    """The access token from ?access_token=, a Bearer header or x-amz-access-token."""
    value = request.GET.get("access_token", "")
    authorization = request.headers.get("Authorization", "")
    if not value and authorization.lower().startswith("bearer "):
        value = authorization[7:].strip()
    return value or request.headers.get("x-amz-access-token", "")


@require_GET
def profile(request: HttpRequest) -> JsonResponse:
    value = _presented_token(request)
    if not value:
        return oauth_json(
            {
                "error": "invalid_request",
                "error_description": "The request is missing a required parameter : access_token",
            },
            status=400,
        )
    token = live_access_token(value)
    if token is None:
        return oauth_json(
            {
                "error": "invalid_token",
                "error_description": "The request has an invalid parameter : access_token",
            },
            status=401,
        )
    scopes = scope_set(token.scope)
    account = token.account
    if "profile" in scopes:
        body: dict[str, object] = {
            "user_id": account.user_id,
            "name": account.name,
            "email": account.email,
        }
    elif "profile:user_id" in scopes:
        body = {"user_id": account.user_id}
    else:
        return oauth_json(
            {
                "error": "insufficient_scope",
                "error_description": "The access token does not grant the profile scope.",
            },
            status=403,
        )
    if "postal_code" in scopes:
        body["postal_code"] = "98109"
    return oauth_json(body)


@require_GET
def tokeninfo(request: HttpRequest) -> JsonResponse:
    token: AccessToken | None = live_access_token(_presented_token(request))
    if token is None:
        return oauth_json(
            {
                "error": "invalid_token",
                "error_description": "The access token is invalid, expired or revoked.",
            },
            status=400,
        )
    remaining = int((token.expires_at - timezone.now()).total_seconds())
    return oauth_json(
        {
            "iss": "https://www.amazon.com",
            "user_id": token.account.user_id,
            "aud": token.client.client_id,
            "app_id": token.client.security_profile_id,
            # Seconds left, as LWA's tokeninfo reports it.
            "exp": max(remaining, 0),
            "scope": token.scope,
        }
    )
