"""POST /auth/o2/token and /auth/o2/token/revoke: client authentication and the two grants.

Errors are OAuth's: ``{"error", "error_description"}`` with 400, and 401 for invalid_client.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from sandbox.api import runtime
from sandbox.lwa import tokens
from sandbox.models import AccessToken, AuthorizationCode, Client, RefreshToken


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def invalid_client() -> OAuthError:
    return OAuthError("invalid_client", "Client authentication failed.", status=401)


@dataclass(frozen=True)
class ClientCredentials:
    client: Client
    # False for a public (PKCE) client that sent its client_id alone.
    authenticated: bool


def authenticate_client(form: Mapping[str, str], authorization: str) -> ClientCredentials:
    """The client from HTTP Basic or from client_id/client_secret in the body."""
    client_id, secret = form.get("client_id", ""), form.get("client_secret")
    if authorization.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise invalid_client() from None
        client_id, _, secret = decoded.partition(":")
    if not client_id:
        raise OAuthError("invalid_request", "The request is missing the parameter: client_id.")
    client = Client.objects.filter(client_id=client_id).first()
    if client is None:
        raise invalid_client()
    if secret is None or secret == "":
        return ClientCredentials(client, authenticated=False)
    if not hmac.compare_digest(secret.encode(), client.client_secret.encode()):
        raise invalid_client()
    return ClientCredentials(client, authenticated=True)


def exchange_code(form: Mapping[str, str], creds: ClientCredentials) -> tokens.IssuedTokens:
    code_value = _required(form, "code")
    redirect_uri = _required(form, "redirect_uri")
    code = AuthorizationCode.objects.select_related("account").filter(code=code_value).first()
    if code is None or code.client_id != creds.client.pk:
        raise OAuthError("invalid_grant", "The authorization code is invalid.")
    if not creds.authenticated and not code.code_challenge:
        # Only a PKCE exchange may leave out the client secret.
        raise invalid_client()
    if code.expires_at <= timezone.now():
        raise OAuthError("invalid_grant", "The authorization code has expired.")
    if code.redirect_uri != redirect_uri:
        raise OAuthError("invalid_grant", "The redirect_uri does not match the authorization.")
    if code.code_challenge:
        verifier = form.get("code_verifier", "")
        if not verifier:
            raise OAuthError("invalid_grant", "The code_verifier is missing.")
        if not _verifier_matches(verifier, code.code_challenge, code.code_challenge_method):
            raise OAuthError("invalid_grant", "The code_verifier does not match the challenge.")
    # Claim the code in one statement so two racing exchanges cannot both win.
    claimed = AuthorizationCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise OAuthError("invalid_grant", "The authorization code has already been used.")
    # Without a client secret LWA returns no refresh token.
    return tokens.issue_tokens(
        creds.client, code.account, code.scope, with_refresh=creds.authenticated
    )


def refresh(form: Mapping[str, str], creds: ClientCredentials) -> tokens.IssuedTokens:
    value = _required(form, "refresh_token")
    row = RefreshToken.objects.select_related("account").filter(token=value).first()
    if row is None or row.client_id != creds.client.pk or row.revoked_at is not None:
        raise OAuthError("invalid_grant", "The refresh token is invalid or has been revoked.")
    ttl = runtime.current().access_token_ttl
    access = tokens.issue_access_token(creds.client, row.account, row.scope, row, ttl)
    return tokens.IssuedTokens(
        access_token=access.token,
        expires_in=ttl,
        # The same refresh token stays valid; it is only sent back to a client with its secret.
        refresh_token=row.token if creds.authenticated else None,
        scope=row.scope,
    )


def revoke(form: Mapping[str, str], creds: ClientCredentials) -> None:
    """Revoke a refresh token (and its access tokens) or a single access token.

    Unknown tokens, or another client's, are ignored as RFC 7009 says.
    """
    if not creds.authenticated:
        raise invalid_client()
    value = _required(form, "token")
    refresh_row = RefreshToken.objects.filter(token=value, client=creds.client).first()
    if refresh_row is not None:
        tokens.revoke_refresh_token(refresh_row)
        return
    AccessToken.objects.filter(token=value, client=creds.client, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name, "")
    if not value:
        raise OAuthError("invalid_request", f"The request is missing the parameter: {name}.")
    return value


def _verifier_matches(verifier: str, challenge: str, method: str) -> bool:
    if method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    else:
        expected = verifier
    return hmac.compare_digest(expected.encode(), challenge.encode())
