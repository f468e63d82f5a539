"""An in-memory OAuth 2.0 authorization server, shared by the Spotify and Google stand-ins.

Authorization code grant with PKCE (S256 or plain), refresh tokens, revocation, and tokens
that expire after a lifetime the control API can change (0 makes them expire at once, so tests
reach the "token expired" path without waiting). Each service wraps it in its own URLs and
error shapes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field

CODE_TTL = 300


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    name: str = "Amazon Music Transfer"


@dataclass
class Grant:
    user: str
    client_id: str
    scopes: tuple[str, ...]
    refresh_token: str
    revoked: bool = False


@dataclass
class AccessToken:
    token: str
    grant: Grant
    expires_at: float


@dataclass
class Code:
    code: str
    client_id: str
    user: str
    redirect_uri: str
    scopes: tuple[str, ...]
    challenge: str
    method: str
    expires_at: float
    used: bool = False


@dataclass
class OAuthServer:
    access_prefix: str
    refresh_prefix: str
    access_token_ttl: int = 3600
    # Rotate refresh tokens on every refresh (Spotify does for PKCE clients).
    rotate_refresh: bool = False
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    default_ttl: int = 3600

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def register(self, client: Client) -> None:
        with self._lock:
            self.clients[client.client_id] = client

    def check_authorize(self, client_id: str, redirect_uri: str) -> Client:
        client = self.clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", "Invalid client")
        if redirect_uri not in client.redirect_uris:
            raise OAuthError("invalid_request", "Invalid redirect URI")
        return client

    def issue_code(
        self,
        *,
        client_id: str,
        user: str,
        redirect_uri: str,
        scopes: tuple[str, ...],
        challenge: str,
        method: str,
    ) -> str:
        code = secrets.token_urlsafe(48)
        with self._lock:
            self.codes[code] = Code(
                code,
                client_id,
                user,
                redirect_uri,
                scopes,
                challenge,
                method or "plain",
                time.time() + CODE_TTL,
            )
        return code

    def _client(self, client_id: str, secret: str | None, *, public_ok: bool) -> Client:
        client = self.clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", "Invalid client", 400)
        if secret is None and public_ok:
            return client
        if secret != client.client_secret:
            raise OAuthError("invalid_client", "Invalid client secret", 400)
        return client

    def exchange_code(
        self, *, client_id: str, secret: str | None, code: str, redirect_uri: str, verifier: str
    ) -> dict[str, object]:
        with self._lock:
            found = self.codes.get(code)
            if found is None or found.used or found.expires_at < time.time():
                raise OAuthError("invalid_grant", "Invalid authorization code")
            if found.client_id != client_id:
                raise OAuthError("invalid_grant", "Invalid authorization code")
            if found.redirect_uri != redirect_uri:
                raise OAuthError("invalid_grant", "Invalid redirect URI")
            self._client(client_id, secret, public_ok=bool(found.challenge))
            if found.challenge and not _pkce_ok(found.challenge, found.method, verifier):
                raise OAuthError("invalid_grant", "code_verifier was incorrect")
            found.used = True
            refresh = self.refresh_prefix + secrets.token_urlsafe(96)
            grant = Grant(found.user, client_id, found.scopes, refresh)
            self.grants[refresh] = grant
            return self._mint(grant, refresh=refresh)

    def refresh(
        self, *, client_id: str, secret: str | None, refresh_token: str
    ) -> dict[str, object]:
        with self._lock:
            grant = self.grants.get(refresh_token)
            if grant is None or grant.revoked or grant.client_id != client_id:
                raise OAuthError("invalid_grant", "Refresh token revoked")
            self._client(client_id, secret, public_ok=True)
            new_refresh = None
            if self.rotate_refresh:
                new_refresh = self.refresh_prefix + secrets.token_urlsafe(96)
                del self.grants[refresh_token]
                grant.refresh_token = new_refresh
                self.grants[new_refresh] = grant
            return self._mint(grant, refresh=new_refresh)

    def _mint(self, grant: Grant, *, refresh: str | None) -> dict[str, object]:
        token = self.access_prefix + secrets.token_urlsafe(120)
        self.tokens[token] = AccessToken(token, grant, time.time() + self.access_token_ttl)
        body: dict[str, object] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.access_token_ttl,
            "scope": " ".join(grant.scopes),
        }
        if refresh:
            body["refresh_token"] = refresh
        return body

    def mint_for(self, *, user: str, client_id: str, scopes: tuple[str, ...]) -> dict[str, object]:
        """Tokens as if the person had approved (control API, tests, benchmarks)."""
        with self._lock:
            refresh = self.refresh_prefix + secrets.token_urlsafe(96)
            grant = Grant(user, client_id, scopes, refresh)
            self.grants[refresh] = grant
            return self._mint(grant, refresh=refresh)

    def revoke(self, token: str) -> bool:
        with self._lock:
            grant = self.grants.get(token)
            if grant is None:
                access = self.tokens.get(token)
                if access is None:
                    return False
                grant = access.grant
            grant.revoked = True
            return True

    def lookup(self, token: str) -> AccessToken | None:
        """The live access token, or None when unknown; expiry is the caller's to check."""
        with self._lock:
            found = self.tokens.get(token)
        if found is None or found.grant.revoked:
            return None
        return found

    def reset_runtime(self) -> None:
        self.access_token_ttl = self.default_ttl


def _pkce_ok(challenge: str, method: str, verifier: str) -> bool:
    if not verifier:
        return False
    if method == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return secrets.compare_digest(expected, challenge)
    return secrets.compare_digest(verifier, challenge)


def client_credentials(headers_authorization: str, body: dict[str, str]) -> tuple[str, str | None]:
    """Client id and secret from HTTP Basic or the form body (secret None when absent)."""
    if headers_authorization.startswith("Basic "):
        try:
            raw = base64.b64decode(headers_authorization[6:]).decode()
        except ValueError:
            raise OAuthError("invalid_client", "Invalid client") from None
        client_id, _, secret = raw.partition(":")
        return client_id, secret
    return body.get("client_id", ""), body.get("client_secret") or None
