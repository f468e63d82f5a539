"""The /_sandbox/ control API: config validation, clients, accounts, tokens and stats."""

from __future__ import annotations

import secrets

import pytest
import requests

from tests.sandbox.conftest import Api
from tests.sandbox_server import SandboxServer


def control(
    server: SandboxServer, method: str, path: str, body: object = None
) -> requests.Response:
    return requests.request(method, f"{server.base_url}/_sandbox/{path}", json=body, timeout=30)


@pytest.mark.parametrize(
    "body",
    [
        {"rate_limit": -1},
        {"rate_limit": "fast"},
        {"access_token_ttl": 1.5},
        {"faults": {"http_500": 2}},
        {"faults": {"http_500": 0.6, "http_429": 0.6}},
        {"faults": {"paths": "v1"}},
        {"faults": {"teleport": 1}},
        {"speed": 1},
    ],
)
def test_bad_config_is_refused_and_changes_nothing(sandbox: SandboxServer, body: object) -> None:
    before = sandbox.config()
    response = control(sandbox, "POST", "config", body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert sandbox.config() == before


def test_config_changes_partially_and_reset_restores(sandbox: SandboxServer) -> None:
    sandbox.configure(rate_limit=7.5, faults={"delay_ms": 10})
    config = sandbox.configure(faults={"http_429": 0.25})
    assert config["rate_limit"] == 7.5
    assert config["faults"]["delay_ms"] == 10
    assert config["faults"]["http_429"] == 0.25
    defaults = sandbox.reset()
    assert defaults["rate_limit"] == 0
    assert defaults["access_token_ttl"] == 3600
    assert defaults["faults"]["http_429"] == 0


def test_access_token_ttl_applies_to_new_tokens(sandbox: SandboxServer) -> None:
    sandbox.configure(access_token_ttl=120)
    assert sandbox.mint_token("alice").expires_in == 120


def test_clients_are_registered_and_updated(sandbox: SandboxServer) -> None:
    suffix = secrets.token_hex(4)
    client_id = f"amzn1.application-oa2-client.c{suffix}"
    created = control(
        sandbox,
        "POST",
        "clients",
        {
            "client_id": client_id,
            "client_secret": "s1",
            "security_profile_id": f"amzn1.application.c{suffix}",
            "redirect_uris": ["http://127.0.0.1:1/cb"],
        },
    )
    assert created.status_code == 201
    assert created.json()["music_enabled"] is True
    updated = sandbox.register_client(client_id, "s2", f"amzn1.application.c{suffix}", [])
    assert updated["client_secret"] == "s2"
    listed = control(sandbox, "GET", "clients").json()["clients"]
    assert [c for c in listed if c["client_id"] == client_id] == [updated]
    clash = control(
        sandbox,
        "POST",
        "clients",
        {
            "client_id": client_id + "x",
            "client_secret": "s",
            "security_profile_id": sandbox.api_key,
        },
    )
    assert clash.status_code == 409
    assert control(sandbox, "POST", "clients", {"client_id": "x"}).status_code == 400


def test_accounts_and_tokens(sandbox: SandboxServer) -> None:
    handle = f"acct{secrets.token_hex(3)}"
    account = sandbox.create_account(
        "Acct Person", f"{handle}@example.com", subscription_tier="PRIME"
    )
    assert account["user_id"].startswith("amzn1.account.")
    # An account is found by e-mail name, e-mail, user id or name.
    for name in (handle, f"{handle}@example.com", account["user_id"]):
        assert sandbox.mint_token(name).user_id == account["user_id"]
    assert control(sandbox, "POST", "accounts/nobody-here/token").status_code == 404
    bad_scope = control(sandbox, "POST", f"accounts/{handle}/token", {"scopes": ["music::nope"]})
    assert bad_scope.status_code == 400
    assert control(sandbox, "POST", "accounts", {"name": "x"}).status_code == 400


def test_stats_count_requests_per_key_and_reset(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.reset()
    alice.get("/me")
    alice.get("/nope")
    requests.get(f"{sandbox.api_url}/me", timeout=30)
    stats = sandbox.stats()
    mine = stats["by_api_key"][alice.tokens.api_key]
    assert mine["requests"] == 2
    assert mine["statuses"] == {"200": 1, "404": 1}
    assert stats["by_api_key"]["(none)"]["statuses"] == {"401": 1}
    assert stats["total"]["requests"] == 3
    assert control(sandbox, "DELETE", "stats").json()["total"]["requests"] == 0
