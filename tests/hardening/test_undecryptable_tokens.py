"""A person whose stored tokens no key can read any more (the keys changed) is asked to
reconnect, can always disconnect and delete their data, and breaks no staff page; keys rotate."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.core.test_settings import AMAZON_REQUIRED
from tests.product_fixtures import Person, connect
from tests.sandbox_server import REPO, SandboxServer
from transfer.amazon.crypto import Undecryptable
from transfer.amazon.models import AmazonConnection

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def sealed(settings: Any, amazon: SandboxServer, db: None) -> Person:
    """Alice signed in under the old key; the server now only has a new one."""
    settings.TOKEN_ENCRYPTION_KEYS = [OLD_KEY]
    alice = connect(amazon, "alice")
    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY]
    assert not alice.connection.tokens_readable
    return alice


def raw_tokens(user: User) -> tuple[str, str]:
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM amazon_amazonconnection WHERE user_id = %s",
            [user.pk],
        )
        access, refresh = cursor.fetchone()
    return access, refresh


@pytest.mark.parametrize("path", ["/music/", "/transfers/new/"])
def test_pages_that_need_amazon_ask_to_reconnect(sealed: Person, path: str) -> None:
    response = sealed.client.get(path)
    assert response.status_code == 401
    assert b"Reconnect your Amazon account" in response.content
    assert b"sign in with Amazon again" in response.content
    assert sealed.connection.status == AmazonConnection.Status.RECONNECT


def test_the_account_page_shows_the_connection_as_needing_a_reconnect(sealed: Person) -> None:
    response = sealed.client.get("/account/")
    assert response.status_code == 200
    assert b"Needs reconnecting" in response.content
    assert b"Disconnect Amazon" in response.content


def test_disconnect_forgets_unreadable_tokens(sealed: Person) -> None:
    response = sealed.client.post("/account/disconnect/")
    assert response.status_code == 302
    assert not AmazonConnection.objects.filter(user=sealed.user).exists()


def test_delete_my_data_works_with_unreadable_tokens(sealed: Person) -> None:
    response = sealed.client.post("/account/delete/", {"confirmation": "delete my data"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=sealed.user.pk).exists()
    assert not AmazonConnection.objects.filter(user_id=sealed.user.pk).exists()


def test_saving_other_fields_keeps_the_unreadable_ciphertext(sealed: Person) -> None:
    before = raw_tokens(sealed.user)
    connection = sealed.connection
    assert isinstance(connection.access_token, Undecryptable)
    connection.status_detail = "changed"
    connection.save()
    assert raw_tokens(sealed.user) == before
    with pytest.raises(Exception, match="cannot be decrypted"):
        f"Bearer {connection.access_token}"


@pytest.mark.parametrize(
    "path", ["/admin/auth/user/", "/admin/amazon/amazonconnection/", "/admin/auth/user/?q=alice"]
)
def test_admin_lists_work_and_never_load_tokens(
    sealed: Person, admin_client: Client, path: str
) -> None:
    with CaptureQueriesContext(db_connection) as queries:
        response = admin_client.get(path)
    assert response.status_code == 200
    assert b"alice" in response.content
    selected = " ".join(q["sql"] for q in queries.captured_queries)
    assert "access_token" not in selected
    assert "refresh_token" not in selected


def test_the_admin_change_page_of_the_person_works(sealed: Person, admin_client: Client) -> None:
    response = admin_client.get(f"/admin/auth/user/{sealed.user.pk}/change/")
    assert response.status_code == 200


def test_signing_in_again_makes_the_connection_usable(
    sealed: Person, amazon: SandboxServer
) -> None:
    User.objects.filter(pk=sealed.user.pk).update(username="alice-old")
    again = connect(amazon, "alice")
    assert again.connection.tokens_readable
    assert again.client.get("/music/").status_code == 200


def test_rotate_token_keys_reencrypts_with_the_newest_key(settings: Any, alice: Person) -> None:
    settings.TOKEN_ENCRYPTION_KEYS = [OLD_KEY]
    connection = alice.connection
    connection.access_token = "plain-access"
    connection.refresh_token = "plain-refresh"
    connection.save()
    before = raw_tokens(alice.user)

    # Rotation: the new key first, the old one still there to read what it sealed.
    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert alice.connection.access_token == "plain-access"
    call_command("rotate_token_keys")
    after = raw_tokens(alice.user)
    assert after[0] != before[0]
    assert after[1] != before[1]
    assert Fernet(NEW_KEY.encode()).decrypt(after[0].encode()) == b"plain-access"

    # The old key can go now.
    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY]
    connection = alice.connection
    assert (connection.access_token, connection.refresh_token) == ("plain-access", "plain-refresh")


def test_rotate_token_keys_counts_and_keeps_what_no_key_reads(
    sealed: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    before = raw_tokens(sealed.user)
    call_command("rotate_token_keys")
    assert "0 connection(s)" in capsys.readouterr().out
    assert raw_tokens(sealed.user) == before


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "music.example.org", **env}
    full.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    full.pop("TOKEN_ENCRYPTION_KEYS", None) if "TOKEN_ENCRYPTION_KEYS" not in env else None
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_its_own_token_key() -> None:
    result = _manage("check", DEBUG="false", **AMAZON_REQUIRED)
    assert result.returncode != 0
    assert "TOKEN_ENCRYPTION_KEYS must be set" in result.stderr


def test_check_deploy_reports_a_key_derived_from_secret_key() -> None:
    result = _manage("check", "--deploy", DEBUG="true")
    assert "amazon.W001" in result.stdout + result.stderr

    own = _manage("check", "--deploy", DEBUG="true", TOKEN_ENCRYPTION_KEYS=NEW_KEY)
    assert "amazon.W001" not in own.stdout + own.stderr


def test_a_key_that_is_not_a_fernet_key_is_an_error() -> None:
    result = _manage("check", DEBUG="true", TOKEN_ENCRYPTION_KEYS="not-a-key")
    assert result.returncode != 0
    assert "amazon.E001" in result.stderr
