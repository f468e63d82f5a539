"""Who may call /v1: headers, tokens, x-api-key, scopes, music accounts and tiers."""

from __future__ import annotations

import secrets

import requests

from tests.sandbox.conftest import Api, assert_error
from tests.sandbox_server import SandboxServer, Tokens

TIMEOUT = 30


def call(server: SandboxServer, path: str, headers: dict[str, str]) -> requests.Response:
    return requests.get(f"{server.api_url}{path}", headers=headers, timeout=TIMEOUT)


def test_header_problems_get_amazons_401_codes(
    sandbox: SandboxServer, alice_tokens: Tokens
) -> None:
    key = {"x-api-key": alice_tokens.api_key}
    bearer = {"Authorization": f"Bearer {alice_tokens.access_token}"}
    assert_error(call(sandbox, "/me", bearer), 401, "NO_X_API_KEY")
    assert_error(call(sandbox, "/me", key), 401, "INVALID_AUTH_TYPE")
    basic = {**key, "Authorization": "Basic dXNlcjpwYXNz"}
    assert_error(call(sandbox, "/me", basic), 401, "INVALID_AUTH_TYPE")
    assert_error(
        call(sandbox, "/me", {**key, "Authorization": "Bearer "}), 401, "INVALID_AUTH_TOKEN"
    )
    unknown = {**key, "Authorization": "Bearer Atza|" + secrets.token_urlsafe(300)}
    assert_error(call(sandbox, "/me", unknown), 401, "INVALID_ACCESS_TOKEN")
    assert call(sandbox, "/me", alice_tokens.headers).status_code == 200


def test_expired_access_token_is_invalid_access_token(sandbox: SandboxServer) -> None:
    # A lifetime of zero makes the token expired the moment it is issued: no waiting.
    sandbox.configure(access_token_ttl=0)
    expired = sandbox.mint_token("alice")
    assert expired.expires_in == 0
    assert_error(call(sandbox, "/me", expired.headers), 401, "INVALID_ACCESS_TOKEN")
    sandbox.reset()
    refreshed = requests.post(
        f"{sandbox.base_url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": expired.refresh_token,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=TIMEOUT,
    ).json()
    headers = {**expired.headers, "Authorization": f"Bearer {refreshed['access_token']}"}
    assert call(sandbox, "/me", headers).status_code == 200


def test_revoked_token_is_invalid_access_token(sandbox: SandboxServer) -> None:
    tokens = sandbox.mint_token("alice")
    requests.post(
        f"{sandbox.base_url}/auth/o2/token/revoke",
        data={
            "token": tokens.refresh_token,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=TIMEOUT,
    ).raise_for_status()
    assert_error(call(sandbox, "/me", tokens.headers), 401, "INVALID_ACCESS_TOKEN")


def test_x_api_key_must_be_the_tokens_security_profile(
    sandbox: SandboxServer, alice_tokens: Tokens
) -> None:
    bearer = {"Authorization": f"Bearer {alice_tokens.access_token}"}
    unknown = call(sandbox, "/me", {**bearer, "x-api-key": "amzn1.application.nope"})
    assert_error(unknown, 401, "INVALID_CLIENT_ID")
    # The OAuth client id is a classic mistake for the security profile id.
    mixed_up = assert_error(
        call(sandbox, "/me", {**bearer, "x-api-key": sandbox.client_id}), 401, "INVALID_CLIENT_ID"
    )
    assert "Security Profile ID" in mixed_up["message"]
    suffix = secrets.token_hex(4)
    other = sandbox.register_client(
        f"amzn1.application-oa2-client.other{suffix}",
        "other-secret",
        f"amzn1.application.other{suffix}",
        [],
    )
    foreign = call(sandbox, "/me", {**bearer, "x-api-key": other["security_profile_id"]})
    assert_error(foreign, 401, "INVALID_CLIENT_ID")
    own = sandbox.mint_token("alice", client_id=other["client_id"])
    assert call(sandbox, "/me", own.headers).status_code == 200


def test_each_endpoint_family_needs_its_scope(sandbox: SandboxServer) -> None:
    catalog_only = Api(sandbox, sandbox.mint_token("alice", ["music::catalog"]))
    assert catalog_only.get("/browse/tracks/top", limit=1).status_code == 200
    error = assert_error(catalog_only.get("/me/playlists"), 403, "INSUFFICIENT_SCOPE")
    assert set(error["payload"]["requiredScopes"]) == {"music::library", "music::library:read"}
    assert_error(catalog_only.get("/me"), 403, "INSUFFICIENT_SCOPE")

    reader = Api(
        sandbox, sandbox.mint_token("alice", ["music::library:read", "music::profile:read"])
    )
    assert reader.get("/me/playlists", limit=1).status_code == 200
    assert reader.get("/me").status_code == 200
    assert_error(reader.get("/browse/tracks/top"), 403, "INSUFFICIENT_SCOPE")
    created = reader.post("/playlists", {"title": "x", "description": "", "visibility": "PRIVATE"})
    assert_error(created, 403, "INSUFFICIENT_SCOPE")
    put_me = reader.put(
        "/me", {"name": "A", "visibility": "PUBLIC", "playbackVisibility": "PUBLIC"}
    )
    assert_error(put_me, 403, "INSUFFICIENT_SCOPE")

    profile_only = Api(sandbox, sandbox.mint_token("alice", ["profile"]))
    assert_error(profile_only.get("/tracks", ids="B000000000"), 403, "INSUFFICIENT_SCOPE")


def test_account_without_amazon_music_is_refused(sandbox: SandboxServer) -> None:
    handle = f"nomusic{secrets.token_hex(3)}"
    sandbox.create_account("No Music", f"{handle}@example.com", has_music_account=False)
    api = Api(sandbox, sandbox.mint_token(handle))
    error = assert_error(api.get("/me"), 403, "AUTH_NO_MUSIC_ACCOUNT_FOUND")
    assert error["url"] == "https://music.amazon.com"
    assert_error(api.get("/browse/tracks/top"), 403, "AUTH_NO_MUSIC_ACCOUNT_FOUND")


def test_free_tier_reads_but_cannot_write_the_library(sandbox: SandboxServer) -> None:
    handle = f"free{secrets.token_hex(3)}"
    sandbox.create_account("Free Tier", f"{handle}@example.com", subscription_tier="FREE")
    api = Api(sandbox, sandbox.mint_token(handle))
    assert api.get("/me/playlists").status_code == 200
    assert api.get("/me").json()["data"]["user"]["subscriptionTier"] == "FREE"
    created = api.post("/playlists", {"title": "x", "description": "", "visibility": "PRIVATE"})
    assert_error(created, 403, "DENIED_SUBSCRIPTION_TIER")


def test_unknown_paths_and_methods_answer_with_the_error_object(alice: Api) -> None:
    assert_error(alice.get("/no/such/thing"), 404, "RESOURCE_NOT_FOUND")
    response = alice.delete("/me")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["Allow"] == "GET, PUT"
