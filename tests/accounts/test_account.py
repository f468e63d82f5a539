"""The account page: connected account, scopes, disconnect, delete all my data."""

from __future__ import annotations

import pytest
import requests
from django.contrib.auth.models import User
from django.test import Client

from tests.product_fixtures import Person
from tests.sandbox_server import SandboxServer
from transfer.amazon.models import AmazonConnection

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_the_connection_and_its_scopes(alice: Person) -> None:
    page = alice.client.get("/account/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "alice@example.com" in body
    assert "Read and update your music library and playlists" in body
    assert "Atz" not in body


def test_disconnect_revokes_at_amazon_and_forgets_the_tokens(
    alice: Person, amazon: SandboxServer
) -> None:
    refresh_token = alice.connection.refresh_token
    response = alice.client.post("/account/disconnect/")
    assert response.status_code == 302
    assert not AmazonConnection.objects.filter(user=alice.user).exists()
    # Amazon no longer honours the grant.
    refreshed = requests.post(
        f"{amazon.base_url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": amazon.client_id,
            "client_secret": amazon.client_secret,
        },
        timeout=10,
    )
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"


def test_delete_all_my_data_needs_the_confirmation_words(alice: Person) -> None:
    alice.client.post("/account/delete/", {"confirmation": "yes"})
    assert User.objects.filter(pk=alice.user.pk).exists()
    alice.client.post("/account/delete/", {"confirmation": "delete my data"})
    assert not User.objects.filter(pk=alice.user.pk).exists()
    assert not AmazonConnection.objects.exists()


def test_account_actions_need_post_and_csrf(alice: Person) -> None:
    assert alice.client.get("/account/disconnect/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.user)
    assert strict.post("/account/delete/", {"confirmation": "delete my data"}).status_code == 403
    assert User.objects.filter(pk=alice.user.pk).exists()


def test_another_person_only_ever_sees_their_own_account(alice: Person, bob: Person) -> None:
    page = bob.client.get("/account/").content.decode()
    assert "bob@example.com" in page
    assert "alice@example.com" not in page
