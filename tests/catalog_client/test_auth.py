"""Bearer token plus x-api-key; one refresh and retry after a 401 INVALID_ACCESS_TOKEN."""

from __future__ import annotations

import threading

import pytest
import requests

from catalog_client import (
    AuthenticationError,
    LWATokenProvider,
    StaticTokenProvider,
    TokenProvider,
    TokenSet,
)
from tests.catalog_client.conftest import MakeClient
from tests.sandbox_server import SandboxServer, Tokens


class CountingProvider:
    """A provider whose first token is stale; it refreshes to a real one and counts."""

    def __init__(self, stale: str, fresh: list[str]) -> None:
        self.token = stale
        self.fresh = list(fresh)
        self.refreshed_from: list[str] = []

    def get_token(self) -> str:
        return self.token

    def refresh_token(self, failed_token: str) -> str:
        self.refreshed_from.append(failed_token)
        self.token = self.fresh.pop(0)
        return self.token


def test_the_protocol_is_runtime_checkable() -> None:
    assert isinstance(StaticTokenProvider("x"), TokenProvider)
    assert isinstance(CountingProvider("a", []), TokenProvider)


def test_a_401_is_followed_by_one_refresh_and_one_retry(
    make_client: MakeClient, alice: Tokens
) -> None:
    provider = CountingProvider("Atza|expired-or-never-valid", [alice.access_token])
    client = make_client(token_provider=provider)
    me = client.get_me()
    assert me.id == alice.music_user_id
    assert provider.refreshed_from == ["Atza|expired-or-never-valid"]
    assert client.metrics.local["refreshes"] == 1
    # The refreshed token is used from then on: no second refresh.
    client.get_me()
    assert len(provider.refreshed_from) == 1


def test_a_second_401_after_the_refresh_is_an_authentication_error(
    make_client: MakeClient,
) -> None:
    provider = CountingProvider("Atza|stale-1", ["Atza|stale-2", "Atza|stale-3"])
    client = make_client(token_provider=provider)
    with pytest.raises(AuthenticationError) as caught:
        client.get_me()
    assert caught.value.status == 401
    assert caught.value.code == "INVALID_ACCESS_TOKEN"
    assert caught.value.transient is False
    assert provider.refreshed_from == ["Atza|stale-1"]


def test_a_static_token_cannot_refresh(make_client: MakeClient) -> None:
    client = make_client(token_provider="Atza|nope")
    with pytest.raises(AuthenticationError) as caught:
        client.get_me()
    assert caught.value.code == "INVALID_ACCESS_TOKEN"


def test_a_wrong_api_key_is_not_refreshed(make_client: MakeClient, alice: Tokens) -> None:
    provider = CountingProvider(alice.access_token, [alice.access_token])
    client = make_client(token_provider=provider, api_key="amzn1.application.unknown")
    with pytest.raises(AuthenticationError) as caught:
        client.get_me()
    assert caught.value.code == "INVALID_CLIENT_ID"
    assert provider.refreshed_from == []


def test_lwa_provider_refreshes_through_login_with_amazon(
    make_client: MakeClient, sandbox: SandboxServer, alice: Tokens
) -> None:
    saved: list[TokenSet] = []
    provider = LWATokenProvider(
        token_url=f"{sandbox.base_url}/auth/o2/token",
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        refresh_token=alice.refresh_token,
        # A revoked-looking token that the provider believes is good for an hour.
        access_token="Atza|revoked",
        expires_at=4102444800.0,
        on_refresh=saved.append,
    )
    client = make_client(token_provider=provider)
    assert client.get_me().id == alice.music_user_id
    assert len(saved) == 1
    assert saved[0].access_token.startswith("Atza|")
    assert saved[0].refresh_token == alice.refresh_token


def test_lwa_provider_refreshes_ahead_of_expiry(
    make_client: MakeClient, sandbox: SandboxServer, alice: Tokens
) -> None:
    saved: list[TokenSet] = []
    provider = LWATokenProvider(
        token_url=f"{sandbox.base_url}/auth/o2/token",
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        refresh_token=alice.refresh_token,
        access_token=alice.access_token,
        expires_at=0.0,  # already past: refresh before the first call
        on_refresh=saved.append,
    )
    client = make_client(token_provider=provider)
    client.get_me()
    assert len(saved) == 1
    assert client.metrics.local["refreshes"] == 0  # no 401 was needed


def test_expired_token_is_refreshed(make_client: MakeClient, sandbox: SandboxServer) -> None:
    sandbox.configure(access_token_ttl=0)  # tokens minted now are born expired
    tokens = sandbox.mint_token("alice")
    sandbox.configure(access_token_ttl=3600)
    provider = LWATokenProvider(
        token_url=f"{sandbox.base_url}/auth/o2/token",
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        refresh_token=tokens.refresh_token,
        access_token=tokens.access_token,
        expires_at=4102444800.0,
    )
    client = make_client(token_provider=provider)
    assert client.get_me().id == tokens.music_user_id
    assert client.metrics.local["refreshes"] == 1


def test_revoked_refresh_token_is_an_authentication_error(
    make_client: MakeClient, sandbox: SandboxServer
) -> None:
    tokens = sandbox.mint_token("alice")
    response = requests.post(
        f"{sandbox.base_url}/auth/o2/token/revoke",
        data={
            "token": tokens.refresh_token,
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
        timeout=10,
    )
    assert response.status_code == 200
    provider = LWATokenProvider(
        token_url=f"{sandbox.base_url}/auth/o2/token",
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        refresh_token=tokens.refresh_token,
        access_token=tokens.access_token,
        expires_at=4102444800.0,
    )
    client = make_client(token_provider=provider)
    with pytest.raises(AuthenticationError) as caught:
        client.get_me()
    assert caught.value.code == "invalid_grant"


def test_threads_sharing_a_provider_refresh_once(
    make_client: MakeClient, sandbox: SandboxServer, alice: Tokens
) -> None:
    saved: list[TokenSet] = []
    provider = LWATokenProvider(
        token_url=f"{sandbox.base_url}/auth/o2/token",
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        refresh_token=alice.refresh_token,
        access_token="Atza|stale",
        expires_at=4102444800.0,
        on_refresh=saved.append,
    )
    client = make_client(token_provider=provider, cache=False)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        try:
            barrier.wait()
            client.get_me()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Every thread saw the stale token fail; only the first asked LWA for a new one.
    assert len(saved) == 1


def test_for_user_shares_everything_but_the_token(
    make_client: MakeClient, sandbox: SandboxServer, alice: Tokens
) -> None:
    from tests.catalog_client.conftest import new_account

    base = make_client(token_provider="unused")
    other = new_account(sandbox)
    theirs = base.for_user(other.access_token, user_cache_scope="other")
    mine = base.for_user(alice.access_token, user_cache_scope="alice")
    assert theirs.get_me().id == other.music_user_id
    assert mine.get_me().id == alice.music_user_id
    assert theirs.session is base.session
    assert theirs.cache is base.cache
    assert theirs.metrics is base.metrics
    assert base.metrics.local["calls"] == 2
    assert base._owns_session
    assert not theirs._owns_session  # closing a clone leaves the shared session open
