"""Login with Amazon over HTTP: consent page, code, token, refresh, revoke, profile, PKCE."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.sandbox_server import SandboxServer

TIMEOUT = 30
SCOPES = "profile music::catalog music::library music::profile"


def authorize_params(server: SandboxServer, **overrides: str) -> dict[str, str]:
    params = {
        "client_id": server.client_id,
        "redirect_uri": server.redirect_uri,
        "response_type": "code",
        "scope": SCOPES,
        "state": secrets.token_urlsafe(8),
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def consent(
    server: SandboxServer, params: dict[str, str], account: str = "alice", decision: str = "allow"
) -> requests.Response:
    form = {**params, "account": account, "decision": decision}
    return requests.post(
        f"{server.base_url}/ap/oa", data=form, allow_redirects=False, timeout=TIMEOUT
    )


def redirect_query(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text[:300]
    location = response.headers["Location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def get_code(server: SandboxServer, account: str = "alice", **overrides: str) -> str:
    params = authorize_params(server, **overrides)
    return redirect_query(consent(server, params, account))["code"]


def token_request(server: SandboxServer, **form: str) -> requests.Response:
    return requests.post(f"{server.base_url}/auth/o2/token", data=form, timeout=TIMEOUT)


def exchange(server: SandboxServer, code: str, **extra: str) -> requests.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": server.redirect_uri,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        **extra,
    }
    return token_request(server, **{k: v for k, v in form.items() if v is not None})


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def profile(server: SandboxServer, token: str, how: str = "query") -> requests.Response:
    url = f"{server.base_url}/user/profile"
    if how == "query":
        return requests.get(url, params={"access_token": token}, timeout=TIMEOUT)
    header = {"bearer": "Authorization", "amz": "x-amz-access-token"}[how]
    value = f"Bearer {token}" if how == "bearer" else token
    return requests.get(url, headers={header: value}, timeout=TIMEOUT)


def assert_oauth_error(response: requests.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == error
    assert isinstance(body["error_description"], str)
    return body


def test_full_flow_from_consent_page_to_revoke(sandbox: SandboxServer) -> None:
    params = authorize_params(sandbox)
    page = requests.get(f"{sandbox.base_url}/ap/oa", params=params, timeout=TIMEOUT)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Search the Amazon music catalog" in text
    assert "music::library" in text
    assert "https://" not in page.text.split("<body")[0], "no CDN: the page works offline"
    # Pick Alice the way a person would: the radio button next to her name.
    accounts = re.findall(r'name="account" value="([^"]+)"[^>]*>\s*<span>([^<]+)<', page.text)
    alice_id = next(value for value, label in accounts if label.startswith("Alice"))
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', text))
    assert hidden["state"] == params["state"]

    query = redirect_query(consent(sandbox, hidden, account=alice_id))
    assert query["state"] == params["state"]
    response = exchange(sandbox, query["code"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    tokens = response.json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["access_token"].startswith("Atza|")
    assert len(tokens["access_token"]) >= 350
    assert tokens["refresh_token"].startswith("Atzr|")

    me = profile(sandbox, tokens["access_token"])
    assert me.status_code == 200
    assert me.json()["user_id"] == alice_id
    assert set(me.json()) == {"user_id", "name", "email"}

    refreshed = token_request(
        sandbox,
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
    ).json()
    assert refreshed["access_token"] != tokens["access_token"]
    assert refreshed["refresh_token"] == tokens["refresh_token"]
    assert profile(sandbox, refreshed["access_token"], "bearer").status_code == 200

    revoke = requests.post(
        f"{sandbox.base_url}/auth/o2/token/revoke",
        data={
            "token": tokens["refresh_token"],
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=TIMEOUT,
    )
    assert revoke.status_code == 200
    for access in (tokens["access_token"], refreshed["access_token"]):
        assert_oauth_error(profile(sandbox, access), 401, "invalid_token")
    again = token_request(
        sandbox,
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
    )
    assert_oauth_error(again, 400, "invalid_grant")


def test_profile_accepts_the_token_three_ways_and_honours_profile_user_id(
    sandbox: SandboxServer,
) -> None:
    token = exchange(sandbox, get_code(sandbox)).json()["access_token"]
    for how in ("query", "bearer", "amz"):
        assert profile(sandbox, token, how).json()["name"].startswith("Alice")
    narrow = exchange(sandbox, get_code(sandbox, scope="profile:user_id music::catalog")).json()
    assert set(profile(sandbox, narrow["access_token"]).json()) == {"user_id"}
    music_only = exchange(sandbox, get_code(sandbox, scope="music::catalog")).json()
    assert_oauth_error(profile(sandbox, music_only["access_token"]), 403, "insufficient_scope")
    assert_oauth_error(
        requests.get(f"{sandbox.base_url}/user/profile", timeout=TIMEOUT), 400, "invalid_request"
    )


def test_tokeninfo_names_the_client_and_the_account(sandbox: SandboxServer) -> None:
    token = exchange(sandbox, get_code(sandbox)).json()["access_token"]
    info = requests.get(
        f"{sandbox.base_url}/auth/o2/tokeninfo", params={"access_token": token}, timeout=TIMEOUT
    ).json()
    assert info["aud"] == sandbox.client_id
    assert info["app_id"] == sandbox.api_key
    assert info["user_id"].startswith("amzn1.account.")
    assert info["iss"] == "https://www.amazon.com"
    assert 0 < info["exp"] <= 3600


def test_client_credentials_may_come_as_http_basic(sandbox: SandboxServer) -> None:
    code = get_code(sandbox)
    basic = (sandbox.client_id, sandbox.client_secret)
    response = requests.post(
        f"{sandbox.base_url}/auth/o2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": sandbox.redirect_uri,
        },
        auth=basic,
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    assert "refresh_token" in response.json()


@pytest.mark.parametrize("method", ["S256", "plain", None])
def test_pkce_with_secret_returns_both_tokens(sandbox: SandboxServer, method: str | None) -> None:
    verifier = secrets.token_urlsafe(64)
    challenge = s256(verifier) if method == "S256" else verifier
    code = get_code(sandbox, code_challenge=challenge, code_challenge_method=method)  # type: ignore[arg-type]
    response = exchange(sandbox, code, code_verifier=verifier)
    assert response.status_code == 200, response.text
    assert "refresh_token" in response.json()


def test_pkce_public_client_gets_no_refresh_token(sandbox: SandboxServer) -> None:
    verifier = secrets.token_urlsafe(64)
    code = get_code(sandbox, code_challenge=s256(verifier), code_challenge_method="S256")
    response = exchange(sandbox, code, client_secret=None, code_verifier=verifier)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refresh_token" not in body
    assert profile(sandbox, body["access_token"]).status_code == 200


def test_pkce_wrong_or_missing_verifier_is_invalid_grant(sandbox: SandboxServer) -> None:
    verifier = secrets.token_urlsafe(64)
    code = get_code(sandbox, code_challenge=s256(verifier), code_challenge_method="S256")
    assert_oauth_error(exchange(sandbox, code, code_verifier=verifier + "x"), 400, "invalid_grant")
    code = get_code(sandbox, code_challenge=s256(verifier), code_challenge_method="S256")
    assert_oauth_error(exchange(sandbox, code), 400, "invalid_grant")
    # A plain challenge is not S256-checked: sending the hash as verifier fails.
    code = get_code(sandbox, code_challenge=verifier)
    assert_oauth_error(exchange(sandbox, code, code_verifier=s256(verifier)), 400, "invalid_grant")


def test_without_secret_and_without_pkce_the_client_is_refused(sandbox: SandboxServer) -> None:
    response = exchange(sandbox, get_code(sandbox), client_secret=None)  # type: ignore[arg-type]
    assert_oauth_error(response, 401, "invalid_client")


def test_code_is_single_use(sandbox: SandboxServer) -> None:
    code = get_code(sandbox)
    assert exchange(sandbox, code).status_code == 200
    assert_oauth_error(exchange(sandbox, code), 400, "invalid_grant")


def test_expired_code_is_invalid_grant(sandbox: SandboxServer) -> None:
    sandbox.configure(authorization_code_ttl=0)
    assert_oauth_error(exchange(sandbox, get_code(sandbox)), 400, "invalid_grant")


def test_token_exchange_checks_redirect_uri_secret_and_client(sandbox: SandboxServer) -> None:
    code = get_code(sandbox)
    wrong_uri = exchange(sandbox, code, redirect_uri="http://127.0.0.1:8000/elsewhere/")
    assert_oauth_error(wrong_uri, 400, "invalid_grant")
    assert_oauth_error(exchange(sandbox, code, client_secret="nope"), 401, "invalid_client")
    unknown = exchange(sandbox, code, client_id="amzn1.application-oa2-client.unknown")
    assert_oauth_error(unknown, 401, "invalid_client")
    assert_oauth_error(exchange(sandbox, "not-a-code"), 400, "invalid_grant")
    # The failures above did not burn the code.
    assert exchange(sandbox, code).status_code == 200


def test_token_endpoint_rejects_unknown_grant_types(sandbox: SandboxServer) -> None:
    response = token_request(sandbox, grant_type="password", client_id=sandbox.client_id)
    assert_oauth_error(response, 400, "unsupported_grant_type")
    assert_oauth_error(token_request(sandbox), 400, "invalid_request")


def test_unknown_client_or_unregistered_redirect_shows_a_page_not_a_redirect(
    sandbox: SandboxServer,
) -> None:
    for params in (
        authorize_params(sandbox, client_id="amzn1.application-oa2-client.unknown"),
        authorize_params(sandbox, redirect_uri="https://evil.example/callback"),
        authorize_params(sandbox, redirect_uri=sandbox.redirect_uri + "extra"),
    ):
        response = requests.get(
            f"{sandbox.base_url}/ap/oa", params=params, allow_redirects=False, timeout=TIMEOUT
        )
        assert response.status_code == 400
        assert "Location" not in response.headers
        assert "error occurred" in response.text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"scope": "profile music::everything"}, "invalid_scope"),
        ({"scope": ""}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"code_challenge": "abc", "code_challenge_method": "S512"}, "invalid_request"),
    ],
)
def test_bad_requests_go_back_to_the_client_with_error_and_state(
    sandbox: SandboxServer, overrides: dict[str, str], error: str
) -> None:
    params = authorize_params(sandbox, **overrides)
    response = requests.get(
        f"{sandbox.base_url}/ap/oa", params=params, allow_redirects=False, timeout=TIMEOUT
    )
    query = redirect_query(response)
    assert query["error"] == error
    assert query["state"] == params["state"]
    assert response.headers["Location"].startswith(sandbox.redirect_uri)


def test_music_scopes_need_a_music_enabled_security_profile(sandbox: SandboxServer) -> None:
    suffix = secrets.token_hex(4)
    client = sandbox.register_client(
        f"amzn1.application-oa2-client.plain{suffix}",
        "secret",
        f"amzn1.application.plain{suffix}",
        ["http://127.0.0.1:9/cb"],
        music_enabled=False,
    )
    params = authorize_params(
        sandbox, client_id=client["client_id"], redirect_uri="http://127.0.0.1:9/cb"
    )
    response = requests.get(
        f"{sandbox.base_url}/ap/oa", params=params, allow_redirects=False, timeout=TIMEOUT
    )
    query = redirect_query(response)
    assert query["error"] == "invalid_scope"
    assert query["error_description"] == "An unknown scope was requested"
    params["scope"] = "profile"
    assert "code" in redirect_query(consent(sandbox, params))


def test_denying_consent_redirects_with_access_denied(sandbox: SandboxServer) -> None:
    params = authorize_params(sandbox)
    query = redirect_query(consent(sandbox, params, decision="deny"))
    assert query == {
        "error": "access_denied",
        "error_description": query["error_description"],
        "state": params["state"],
    }


def test_consent_can_create_a_new_account(sandbox: SandboxServer) -> None:
    params = authorize_params(sandbox)
    email = f"zed{secrets.token_hex(3)}@example.com"
    form = {**params, "account": "__new__", "new_name": "Zed Zephyr", "new_email": email}
    response = requests.post(
        f"{sandbox.base_url}/ap/oa",
        data={**form, "decision": "allow"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    token = exchange(sandbox, redirect_query(response)["code"]).json()["access_token"]
    assert profile(sandbox, token).json()["email"] == email
    # Missing details re-show the page with a message instead of redirecting.
    form["new_email"] = ""
    again = requests.post(
        f"{sandbox.base_url}/ap/oa", data={**form, "decision": "allow"}, timeout=TIMEOUT
    )
    assert again.status_code == 400
    assert "needs a name and an e-mail" in again.text


def test_revoke_needs_the_client_secret(sandbox: SandboxServer) -> None:
    tokens = exchange(sandbox, get_code(sandbox)).json()
    response = requests.post(
        f"{sandbox.base_url}/auth/o2/token/revoke",
        data={"token": tokens["refresh_token"], "client_id": sandbox.client_id},
        timeout=TIMEOUT,
    )
    assert_oauth_error(response, 401, "invalid_client")
    assert profile(sandbox, tokens["access_token"]).status_code == 200
