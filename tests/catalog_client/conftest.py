"""Fixtures for the catalog client's tests: the live sandbox server and a real Redis.

Every test gets its own Redis key prefix, so limiter slots, cache entries and counters of one
test never leak into another; the ``sandbox`` fixture resets the server's config, faults and
counters after each test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from catalog_client import AmazonMusicClient
from tests.sandbox_server import SandboxServer, Tokens


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(scope="session")
def rconn() -> redis.Redis:
    return redis.Redis.from_url(redis_url())


@pytest.fixture
def prefix(rconn: redis.Redis) -> Iterator[str]:
    value = f"amctest:{uuid.uuid4().hex[:10]}"
    yield value
    keys = list(rconn.scan_iter(match=f"{value}:*", count=500))
    if keys:
        rconn.delete(*keys)


@pytest.fixture
def alice(sandbox: SandboxServer) -> Tokens:
    return sandbox.mint_token("alice")


def new_account(sandbox: SandboxServer, tier: str = "UNLIMITED", music: bool = True) -> Tokens:
    handle = f"cc{uuid.uuid4().hex[:10]}"
    sandbox.create_account(
        f"Client {handle}", f"{handle}@example.com", subscription_tier=tier, has_music_account=music
    )
    return sandbox.mint_token(handle)


@pytest.fixture
def newcomer(sandbox: SandboxServer) -> Tokens:
    """A fresh UNLIMITED account with an empty library, so writes touch nobody else's data."""
    return new_account(sandbox)


MakeClient = Callable[..., AmazonMusicClient]


@pytest.fixture
def make_client(
    sandbox: SandboxServer, rconn: redis.Redis, prefix: str, alice: Tokens
) -> Iterator[MakeClient]:
    """Build clients against the sandbox with fast backoff; keyword arguments override."""
    made: list[AmazonMusicClient] = []

    def build(tokens: Tokens | None = None, **overrides: Any) -> AmazonMusicClient:
        tokens = tokens or alice
        options: dict[str, Any] = {
            "api_key": tokens.api_key,
            "token_provider": tokens.access_token,
            "base_url": sandbox.api_url,
            "redis": rconn,
            "key_prefix": prefix,
            "timeout": (3.0, 15.0),
            # Fast backoff keeps the suite quick; the policy is the same.
            "backoff_base": 0.01,
            "backoff_cap": 0.05,
            "retry_budget": 10.0,
        }
        options.update(overrides)
        client = AmazonMusicClient(**options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> AmazonMusicClient:
    """Alice's client with cache, counters and no limiter."""
    return make_client()


@pytest.fixture(scope="session")
def catalog(sandbox_server: SandboxServer) -> dict[str, Any]:
    """Real ids from the served catalog, collected through the client's own paging."""
    tokens = sandbox_server.mint_token("alice")
    with AmazonMusicClient(
        api_key=tokens.api_key, token_provider=tokens.access_token, base_url=sandbox_server.api_url
    ) as c:
        tracks = c.iter_top_tracks().take(300)
        categories = list(c.iter_categories())
    return {
        "tracks": tracks,
        "track_ids": [t.id for t in tracks],
        "album_ids": list(dict.fromkeys(t.album.id for t in tracks if t.album)),
        "with_isrc": [t for t in tracks if t.isrc],
        "category_ids": [cat.id for cat in categories],
    }


def server_requests(sandbox: SandboxServer, api_key: str | None = None) -> int:
    """How many requests the sandbox has counted (for one api key, or all)."""
    stats = sandbox.stats()
    if api_key is None:
        return int(stats["total"]["requests"])
    return int(stats["by_api_key"].get(api_key, {}).get("requests", 0))


def server_statuses(sandbox: SandboxServer) -> dict[str, int]:
    return {k: int(v) for k, v in sandbox.stats()["total"]["statuses"].items()}
