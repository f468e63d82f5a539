"""The access token is read and decrypted once per process, and dropped the moment it changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog_client import LoginWithAmazon, TokenSet
from tests.product_fixtures import Person
from tests.sandbox_server import SandboxServer
from transfer.amazon import tokens
from transfer.amazon.clients import music_client_for
from transfer.amazon.services import ReconnectRequired, connection_disconnect
from transfer.core.redis import get_redis


def queries_for(call: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(db_connection) as captured:
        value = call()
    return value, len(captured.captured_queries)


@pytest.mark.django_db
def test_the_token_is_read_from_the_database_once(alice: Person) -> None:
    tokens.forget_all()
    first, first_queries = queries_for(lambda: tokens.cached_access_token(alice.user.pk))
    again, again_queries = queries_for(lambda: tokens.cached_access_token(alice.user.pk))
    assert first == again == alice.connection.access_token
    assert first_queries == 1
    assert again_queries == 0


@pytest.mark.django_db
def test_many_api_calls_cost_one_token_read(alice: Person) -> None:
    tokens.forget_all()
    client = music_client_for(alice.user.pk)
    _, queries = queries_for(lambda: [client.get_me() for _ in range(5)])
    assert queries == 1


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_at_the_next_call(alice: Person) -> None:
    tokens.forget_all()
    tokens.cached_access_token(alice.user.pk)
    # Another worker refreshed or disconnected: it bumps the person's generation in Redis.
    get_redis().incr(f"amt:amazon:token-generation:{alice.user.pk}")
    _, queries = queries_for(lambda: tokens.cached_access_token(alice.user.pk))
    assert queries == 1


@pytest.mark.django_db
def test_a_token_about_to_expire_is_not_served_from_memory(alice: Person) -> None:
    tokens.forget_all()
    old = tokens.cached_access_token(alice.user.pk)
    connection = alice.connection
    connection.expires_at = timezone.now() + dt.timedelta(seconds=30)  # inside the margin
    connection.save()
    new = tokens.cached_access_token(alice.user.pk)
    assert new != old
    assert alice.connection.expires_at > timezone.now() + dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_a_disconnect_ends_the_cached_token_at_once(alice: Person) -> None:
    tokens.forget_all()
    tokens.cached_access_token(alice.user.pk)
    connection_disconnect(user=alice.user)
    with pytest.raises(ReconnectRequired):
        tokens.cached_access_token(alice.user.pk)


@pytest.mark.django_db
def test_a_rejected_token_is_replaced_once(alice: Person, amazon: SandboxServer) -> None:
    tokens.forget_all()
    stale = tokens.cached_access_token(alice.user.pk)
    fresh = tokens.refreshed_access_token(alice.user.pk, stale)
    assert fresh != stale
    # Later calls use the new token from memory.
    assert queries_for(lambda: tokens.cached_access_token(alice.user.pk))[0] == fresh


@pytest.mark.django_db
def test_one_lwa_client_refreshes_and_revokes(amazon: SandboxServer) -> None:
    minted = amazon.mint_token("alice")
    lwa = LoginWithAmazon(
        token_url=f"{amazon.base_url}/auth/o2/token",
        revoke_url=f"{amazon.base_url}/auth/o2/token/revoke",
        client_id=amazon.client_id,
        client_secret=amazon.client_secret,
    )
    refreshed = lwa.refresh(minted.refresh_token)
    assert isinstance(refreshed, TokenSet)
    assert refreshed.access_token.startswith("Atza|")
    assert refreshed.expires_at_datetime > timezone.now()
    assert refreshed.access_token not in repr(refreshed)
    assert lwa.revoke(refreshed.refresh_token) is True
