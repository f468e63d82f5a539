"""The authorization request (GET/POST /ap/oa): validation, approval and denial.

Like LWA, problems with the client or the redirect URI are shown on a page (redirecting would
hand an error to an unverified address); every later problem goes back to the redirect URI as
``error`` and ``error_description``, with ``state``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils import timezone

from sandbox.api import runtime
from sandbox.lwa import scopes as scope_catalogue
from sandbox.lwa.tokens import new_code
from sandbox.models import Account, AuthorizationCode, Client

# The parameters of the original request that the consent form posts back.
PASSED_THROUGH = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


class AuthorizePageError(Exception):
    """A problem shown on the sandbox's error page instead of redirecting."""


class AuthorizeRedirect(Exception):
    """A problem reported to the client by redirecting to its redirect URI."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass(frozen=True)
class AuthorizeRequest:
    client: Client
    redirect_uri: str
    scopes: list[str]
    state: str | None
    code_challenge: str
    code_challenge_method: str
    params: dict[str, str]

    def scope_rows(self) -> list[tuple[str, str]]:
        return [(scope, scope_catalogue.ALL_SCOPES[scope]) for scope in self.scopes]


def parse(params: Mapping[str, str]) -> AuthorizeRequest:
    client_id = params.get("client_id", "")
    client = Client.objects.filter(client_id=client_id).first() if client_id else None
    if client is None:
        raise AuthorizePageError(
            "We're sorry! An error occurred when we tried to process your request: "
            "the client_id is missing or not registered."
        )
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri or redirect_uri not in client.redirect_uris:
        raise AuthorizePageError(
            "We're sorry! An error occurred when we tried to process your request: "
            "the redirect_uri is not one of the application's Allowed Return URLs."
        )
    state = params.get("state")

    def fail(error: str, description: str) -> AuthorizeRedirect:
        return AuthorizeRedirect(error_redirect(redirect_uri, state, error, description))

    response_type = params.get("response_type", "")
    if response_type != "code":
        raise fail("unsupported_response_type", "Only response_type=code is supported.")
    scopes = scope_catalogue.split_scope(params.get("scope", ""))
    if not scopes:
        raise fail("invalid_request", "The request is missing the required parameter: scope.")
    if scope_catalogue.unknown_scopes(scopes, client):
        raise fail("invalid_scope", "An unknown scope was requested")
    challenge = params.get("code_challenge", "")
    method = params.get("code_challenge_method", "")
    if method and not challenge:
        raise fail("invalid_request", "code_challenge_method was sent without code_challenge.")
    if challenge:
        # LWA defaults to plain when the method is absent.
        method = method or "plain"
        if method not in {"S256", "plain"}:
            raise fail("invalid_request", "code_challenge_method must be S256 or plain.")
    passed = {name: params[name] for name in PASSED_THROUGH if params.get(name) is not None}
    return AuthorizeRequest(
        client=client,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=state,
        code_challenge=challenge,
        code_challenge_method=method if challenge else "",
        params=passed,
    )


def approve(request: AuthorizeRequest, account: Account) -> str:
    """Create a single-use code and return where to send the browser."""
    code = AuthorizationCode.objects.create(
        code=new_code(),
        client=request.client,
        account=account,
        redirect_uri=request.redirect_uri,
        scope=" ".join(request.scopes),
        code_challenge=request.code_challenge,
        code_challenge_method=request.code_challenge_method,
        expires_at=timezone.now() + timedelta(seconds=runtime.current().authorization_code_ttl),
    )
    params = {"code": code.code, "scope": " ".join(request.scopes)}
    if request.state is not None:
        params["state"] = request.state
    return with_query(request.redirect_uri, params)


def deny(request: AuthorizeRequest) -> str:
    return error_redirect(
        request.redirect_uri,
        request.state,
        "access_denied",
        "The user denied the request.",
    )


def error_redirect(redirect_uri: str, state: str | None, error: str, description: str) -> str:
    params = {"error": error, "error_description": description}
    if state is not None:
        params["state"] = state
    return with_query(redirect_uri, params)


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` added to any query it already has."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))
