"""Who is calling /v1: the Bearer token, the x-api-key, scopes and the account's music status.

Codes follow Amazon's error table: INVALID_AUTH_TYPE, INVALID_AUTH_TOKEN, INVALID_ACCESS_TOKEN,
NO_X_API_KEY and INVALID_CLIENT_ID (401); INSUFFICIENT_SCOPE (our name, 403),
AUTH_NO_MUSIC_ACCOUNT_FOUND and DENIED_SUBSCRIPTION_TIER (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from sandbox.api.errors import ApiError
from sandbox.lwa.tokens import access_token_row, is_live, scope_set
from sandbox.models import AccessToken, Account, Client

CATALOG = ("music::catalog",)
LIBRARY_READ = ("music::library", "music::library:read")
LIBRARY_WRITE = ("music::library",)
PROFILE_READ = ("music::profile", "music::profile:read")
PROFILE_WRITE = ("music::profile",)

NO_MUSIC_ACCOUNT_MESSAGE = (
    "No Amazon Music account found. Your Amazon account is missing required information. "
    "Please visit music.amazon.com to set up Amazon Music."
)


@dataclass(frozen=True)
class ApiContext:
    account: Account
    client: Client
    scopes: frozenset[str]
    token: AccessToken


def authenticate(request: HttpRequest) -> ApiContext:
    api_key = request.headers.get("x-api-key", "").strip()
    if not api_key:
        raise ApiError(401, "NO_X_API_KEY", "The x-api-key header is missing.")
    authorization = request.headers.get("Authorization", "")
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise ApiError(401, "INVALID_AUTH_TYPE", "Header does not contain bearer token.")
    value = value.strip()
    if not value:
        raise ApiError(401, "INVALID_AUTH_TOKEN", "Bearer token empty.")
    token = access_token_row(value)
    # The usual call presents its own client's key: one query answers both questions.
    client: Client | None
    if token is not None and token.client.security_profile_id == api_key:
        client = token.client
    else:
        client = Client.objects.filter(security_profile_id=api_key).first()
    if client is None:
        hint = (
            " Send the Security Profile ID (amzn1.application.…), not the client ID."
            if Client.objects.filter(client_id=api_key).exists()
            else ""
        )
        raise ApiError(
            401, "INVALID_CLIENT_ID", "The x-api-key is not a known security profile." + hint
        )
    if not client.music_enabled:
        raise ApiError(
            401, "INVALID_CLIENT_ID", "This security profile is not enabled for Amazon Music."
        )
    if token is None or not is_live(token):
        raise ApiError(
            401,
            "INVALID_ACCESS_TOKEN",
            "Access token is expired, revoked or invalid. Refresh the access token.",
        )
    if token.client_id != client.pk:
        raise ApiError(
            401,
            "INVALID_CLIENT_ID",
            "The x-api-key is not the security profile the access token was issued to.",
        )
    return ApiContext(
        account=token.account, client=client, scopes=scope_set(token.scope), token=token
    )


def authorize(context: ApiContext, any_of: tuple[str, ...], *, write: bool) -> None:
    if any_of and not context.scopes.intersection(any_of):
        raise ApiError(
            403,
            "INSUFFICIENT_SCOPE",
            "The access token does not grant a scope this operation needs: "
            + " or ".join(any_of)
            + ".",
            payload={"requiredScopes": list(any_of)},
        )
    if not context.account.has_music_account:
        raise ApiError(
            403,
            "AUTH_NO_MUSIC_ACCOUNT_FOUND",
            NO_MUSIC_ACCOUNT_MESSAGE,
            url="https://music.amazon.com",
            payload={"internalCode": "NO_MUSIC_ACCOUNT"},
        )
    if write and context.account.subscription_tier.upper() == "FREE":
        raise ApiError(
            403,
            "DENIED_SUBSCRIPTION_TIER",
            "This operation is not available on the customer's subscription tier.",
        )
