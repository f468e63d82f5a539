"""Refresh before expiry and after a 401, once when two workers race, and revocation."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import close_old_connections
from django.utils import timezone

from tests.product_fixtures import Person, connect
from tests.sandbox_server import SandboxServer
from transfer.amazon.clients import music_client_for
from transfer.amazon.models import AmazonConnection
from transfer.amazon.services import ReconnectRequired, connection_access_token


def expire(person: Person) -> str:
    connection = person.connection
    connection.expires_at = timezone.now() - dt.timedelta(seconds=1)
    connection.save()
    return connection.access_token


@pytest.mark.django_db
def test_an_expired_token_is_refreshed_before_use(alice: Person) -> None:
    old = expire(alice)
    new = connection_access_token(user_id=alice.user.pk)
    assert new != old
    assert new.startswith("Atza|")
    assert alice.connection.expires_at > timezone.now() + dt.timedelta(minutes=30)
    # ...and Amazon accepts it.
    assert music_client_for(alice.user.pk).get_me().id


@pytest.mark.django_db
def test_a_token_amazon_rejects_is_refreshed_once_and_the_call_retried(
    amazon: SandboxServer,
) -> None:
    # The sandbox issues 2-second tokens; the stored expiry (an hour) is wrong on purpose, so
    # only Amazon's 401 can reveal that the token is dead.
    amazon.configure(access_token_ttl=2)
    person = connect(amazon, "bob", expires_in=3600)
    token_before = person.connection.access_token
    time.sleep(3)
    me = music_client_for(person.user.pk).get_me()
    assert me.id
    assert person.connection.access_token != token_before


@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_refresh_once(amazon: SandboxServer) -> None:
    person = connect(amazon, "carol")
    expire(person)
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(connection_access_token(user_id=person.user.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(set(results)) == 1, "every worker got the one refreshed token"


@pytest.mark.django_db
def test_a_grant_revoked_at_amazon_asks_the_person_to_reconnect(
    alice: Person, amazon: SandboxServer
) -> None:
    import requests

    response = requests.post(
        f"{amazon.base_url}/auth/o2/token/revoke",
        data={
            "token": alice.connection.refresh_token,
            "client_id": amazon.client_id,
            "client_secret": amazon.client_secret,
        },
        timeout=10,
    )
    assert response.status_code == 200
    expire(alice)

    with pytest.raises(ReconnectRequired):
        connection_access_token(user_id=alice.user.pk)
    assert alice.connection.status == AmazonConnection.Status.RECONNECT

    page = alice.client.get("/music/")
    assert page.status_code == 401
    assert "Reconnect your Amazon account" in page.content.decode()


@pytest.mark.django_db
def test_a_token_expiring_during_a_page_load_is_refreshed_transparently(
    amazon: SandboxServer,
) -> None:
    amazon.configure(access_token_ttl=1)
    person = connect(amazon, "alice", expires_in=3600)
    old = person.connection.access_token
    time.sleep(2)  # the token dies while our stored expiry still says an hour
    amazon.configure(access_token_ttl=3600)
    page = person.client.get("/music/")
    assert page.status_code == 200
    assert "Everything I Love" in page.content.decode()
    assert person.connection.access_token != old
