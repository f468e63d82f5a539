from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection as db
from django.test import Client
from django.utils import timezone

from transfer.amazon.models import AmazonConnection
from transfer.amazon.services import connection_store_login

ACCESS = "Atza|secret-access-token-value"
REFRESH = "Atzr|secret-refresh-token-value"


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.com")


@pytest.fixture
def stored(alice) -> AmazonConnection:
    return connection_store_login(
        user=alice,
        amazon_user_id="amzn1.account.ALICE",
        name="Alice",
        email="alice@example.com",
        access_token=ACCESS,
        refresh_token=REFRESH,
        expires_at=timezone.now() + dt.timedelta(hours=1),
        scopes=["profile", "music::catalog"],
    )


@pytest.mark.django_db
def test_tokens_are_encrypted_in_the_database(stored: AmazonConnection) -> None:
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM amazon_amazonconnection WHERE id = %s",
            [stored.pk],
        )
        raw_access, raw_refresh = cursor.fetchone()
    assert "Atza|" not in raw_access
    assert "Atzr|" not in raw_refresh
    assert "secret" not in raw_access + raw_refresh
    reloaded = AmazonConnection.objects.get(pk=stored.pk)
    assert reloaded.access_token == ACCESS
    assert reloaded.refresh_token == REFRESH


@pytest.mark.django_db
def test_repr_never_shows_a_token(stored: AmazonConnection) -> None:
    assert "Atz" not in repr(stored)
    assert "Atz" not in str(stored)


@pytest.mark.django_db
def test_a_relogin_without_refresh_token_keeps_the_old_one(alice, stored) -> None:
    connection_store_login(
        user=alice,
        amazon_user_id="amzn1.account.ALICE",
        name="Alice",
        email="alice@example.com",
        access_token="Atza|newer",
        refresh_token="",
        expires_at=None,
        scopes=["profile"],
    )
    reloaded = AmazonConnection.objects.get(user=alice)
    assert reloaded.access_token == "Atza|newer"
    assert reloaded.refresh_token == REFRESH


@pytest.mark.django_db
def test_the_admin_never_shows_tokens(stored: AmazonConnection, admin_client: Client) -> None:
    page = admin_client.get(f"/admin/amazon/amazonconnection/{stored.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Atza|" not in body
    assert "Atzr|" not in body
    assert "access_token" not in body
    listing = admin_client.get("/admin/amazon/amazonconnection/")
    assert "Atz" not in listing.content.decode()
