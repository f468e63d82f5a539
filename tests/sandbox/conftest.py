"""Helpers for the sandbox's HTTP tests: a small API client and ready-made tokens.

The sandbox runs as its own process (tests/sandbox_server.py); these tests never import it.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from tests.sandbox_server import SandboxServer, Tokens

TIMEOUT = 30


class Api:
    """Calls /v1 with one token's headers; returns the raw ``requests`` response."""

    def __init__(self, server: SandboxServer, tokens: Tokens) -> None:
        self.server = server
        self.tokens = tokens

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.tokens.headers, **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.server.api_url}{path}", headers=headers, timeout=TIMEOUT, **kwargs
        )

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.request("POST", path, json=body)

    def put(self, path: str, body: Any = None) -> requests.Response:
        return self.request("PUT", path, json=body)

    def patch(self, path: str, body: Any) -> requests.Response:
        return self.request("PATCH", path, json=body)

    def delete(self, path: str, body: Any = None) -> requests.Response:
        return self.request("DELETE", path, json=body)

    def data(self, method: str, path: str, **kwargs: Any) -> Any:
        """The ``data`` of a call that must succeed."""
        response = self.request(method, path, **kwargs)
        assert response.status_code == 200, f"{method} {path}: {response.text[:500]}"
        return response.json()["data"]


def assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    """The response is Amazon's error object with this status and code."""
    assert response.status_code == status, response.text[:500]
    error = response.json()["error"]
    assert error["status"] == str(status)
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    uuid.UUID(error["reference"])
    return error


@pytest.fixture
def alice_tokens(sandbox: SandboxServer) -> Tokens:
    return sandbox.mint_token("alice")


@pytest.fixture
def alice(sandbox: SandboxServer, alice_tokens: Tokens) -> Api:
    return Api(sandbox, alice_tokens)


@pytest.fixture
def newcomer(sandbox: SandboxServer) -> Api:
    """A brand-new UNLIMITED account with an empty library, so edits touch nobody else's data."""
    handle = f"new{uuid.uuid4().hex[:10]}"
    sandbox.create_account(f"Newcomer {handle}", f"{handle}@example.com")
    return Api(sandbox, sandbox.mint_token(handle))


@pytest.fixture(scope="session")
def catalog_ids(sandbox_server: SandboxServer) -> dict[str, Any]:
    """Real ids from the served catalog: tracks (with ISRCs), albums, a category."""
    api = Api(sandbox_server, sandbox_server.mint_token("alice"))
    tracks: list[dict[str, Any]] = []
    cursor = None
    while len(tracks) < 200:
        params = {"limit": 20, **({"cursor": cursor} if cursor else {})}
        page = api.data("GET", "/browse/tracks/top", params=params)["topTracks"]
        tracks += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["token"]
    categories = api.data("GET", "/browse/categories", params={"limit": 100})
    with_isrc = [t for t in tracks if t.get("isrc")]
    return {
        "tracks": [t["id"] for t in tracks],
        "tracks_with_isrc": with_isrc,
        "albums": list(dict.fromkeys(t["album"]["id"] for t in tracks)),
        "categories": [edge["node"]["id"] for edge in categories["browseCategories"]["edges"]],
    }
