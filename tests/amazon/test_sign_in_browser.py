"""From the home page through the sandbox's Login with Amazon consent page and back, in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.sandbox_server import SandboxServer
from transfer.amazon.models import AmazonConnection

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Any, live_server: Any, amazon: SandboxServer, who: str = "Alice") -> None:
    amazon.allow_redirect_uri(f"{live_server.url}/accounts/amazon/login/callback/")
    page.goto(live_server.url)
    page.get_by_role("button", name="Sign in with Amazon").first.click()
    page.wait_for_url(re.compile(r"/ap/oa"))
    page.locator("label.account", has_text=who).click()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(re.compile(r"/music/"))


def test_alice_signs_in_with_amazon_and_sees_her_playlists(
    page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    sign_in(page, live_server, amazon)

    assert page.get_by_role("heading", name="Your Amazon Music").is_visible()
    assert page.get_by_text("Everything I Love", exact=True).is_visible()
    connection = AmazonConnection.objects.get()
    assert connection.name == "Alice Anderson"
    assert connection.access_token.startswith("Atza|")
    assert connection.refresh_token.startswith("Atzr|")
    assert "music::library" in connection.scopes


def test_a_long_playlist_loads_page_by_page(
    page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    sign_in(page, live_server, amazon)
    page.get_by_text("Everything I Love", exact=True).click()
    rows = page.locator("table.tracks tbody tr:not(.load-more)")
    rows.first.wait_for()
    first_count = rows.count()
    assert first_count == 100
    page.get_by_role("button", name="Load more").click()
    page.wait_for_function(
        "n => document.querySelectorAll('table.tracks tbody tr:not(.load-more)').length > n",
        arg=first_count,
    )
    assert rows.count() == 200


def test_denying_consent_leaves_the_person_signed_out(
    page: Any, live_server: Any, amazon: SandboxServer
) -> None:
    amazon.allow_redirect_uri(f"{live_server.url}/accounts/amazon/login/callback/")
    page.goto(live_server.url)
    page.get_by_role("button", name="Sign in with Amazon").first.click()
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_load_state()
    assert not AmazonConnection.objects.exists()
    assert page.get_by_role("button", name="Sign in with Amazon").first.is_visible()
