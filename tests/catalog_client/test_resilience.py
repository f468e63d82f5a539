"""Retries, backoff, budgets, timeouts and bad answers, with faults injected by the sandbox."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pytest
import redis

from catalog_client import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RedisRateLimiter,
    ServerError,
)
from tests.catalog_client.conftest import MakeClient, server_requests, server_statuses
from tests.sandbox_server import SandboxServer, Tokens

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")

# --- 429 --------------------------------------------------------------------------------------


def test_429s_are_retried_with_backoff_until_success(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False)
    sandbox.configure(retry_after=False, faults={"http_429": 1.0, "max_faults": 2})
    before = server_requests(sandbox)
    track = client.get_track(catalog["track_ids"][0])
    assert track.id == catalog["track_ids"][0]
    assert server_requests(sandbox) - before == 3
    assert client.metrics.local["http_429"] == 2
    assert client.metrics.local["retries"] == 2
    assert client.metrics.local["errors"] == 0


def test_retry_after_is_honoured(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    sleeps: list[float] = []
    client = make_client(cache=False, sleep=sleeps.append)
    sandbox.configure(faults={"http_429": 1.0, "max_faults": 1})  # Retry-After: 1
    client.get_track(catalog["track_ids"][0])
    assert len(sleeps) == 1
    assert sleeps[0] >= 1.0


def test_persistent_429_raises_rate_limited_with_the_wait(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False, max_retries=2)
    sandbox.configure(retry_after=False, faults={"http_429": 1.0})
    before = server_requests(sandbox)
    with pytest.raises(RateLimitedError) as caught:
        client.get_track(catalog["track_ids"][0])
    error = caught.value
    assert error.status == 429
    assert error.code == "THROTTLED"
    assert error.transient is True
    assert error.retry_after >= 0
    assert server_requests(sandbox) - before == 3  # one try and max_retries=2 more
    assert client.metrics.local["rate_limited"] == 1


def test_a_wait_longer_than_the_budget_raises_instead_of_sleeping(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    sleeps: list[float] = []
    client = make_client(cache=False, retry_budget=0.5, sleep=sleeps.append)
    sandbox.configure(faults={"http_429": 1.0})  # Retry-After: 1, more than the budget
    before = server_requests(sandbox)
    with pytest.raises(RateLimitedError) as caught:
        client.get_track(catalog["track_ids"][0])
    assert caught.value.retry_after >= 1.0
    assert sleeps == []
    assert server_requests(sandbox) - before == 1


def test_the_servers_own_limit_is_survived_within_the_budget(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    sandbox.configure(rate_limit=1)
    client = make_client(cache=False, retry_budget=10)
    ids = catalog["track_ids"][:3]
    assert [client.get_track(i).id for i in ids] == ids
    assert client.metrics.local["http_429"] >= 1
    assert client.metrics.local["errors"] == 0
    # With no budget to wait, the same throttling reaches the caller as RateLimitedError.
    impatient = make_client(cache=False, retry_budget=0.1)
    with pytest.raises(RateLimitedError) as caught:
        impatient.get_track(catalog["track_ids"][3])
    assert caught.value.status == 429
    assert caught.value.retry_after >= 1


def test_own_limiter_refuses_past_the_budget_without_calling(
    make_client: MakeClient,
    sandbox: SandboxServer,
    rconn: redis.Redis,
    prefix: str,
    catalog: dict[str, Any],
    alice: Tokens,
) -> None:
    limiter = RedisRateLimiter(rconn, alice.api_key, rate=0.5, prefix=prefix)
    client = make_client(cache=False, rate_limiter=limiter, retry_budget=0.5)
    client.get_track(catalog["track_ids"][0])
    before = server_requests(sandbox)
    with pytest.raises(RateLimitedError) as caught:
        client.get_track(catalog["track_ids"][1])
    error = caught.value
    assert error.status is None
    assert error.code == "CLIENT_RATE_LIMITED"
    assert 1.0 < error.retry_after <= 2.0
    assert server_requests(sandbox) == before


def test_a_429_with_retry_after_holds_every_client_sharing_the_limiter(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    first = make_client(cache=False, rate_limit=1000, max_retries=0)
    second = make_client(cache=False, rate_limit=1000, retry_budget=0.2)
    sandbox.configure(faults={"http_429": 1.0, "max_faults": 1})  # Retry-After: 1
    with pytest.raises(RateLimitedError):
        first.get_track(catalog["track_ids"][0])
    before = server_requests(sandbox)
    with pytest.raises(RateLimitedError) as caught:
        second.get_track(catalog["track_ids"][1])
    assert caught.value.code == "CLIENT_RATE_LIMITED"
    assert server_requests(sandbox) == before


# --- 5xx --------------------------------------------------------------------------------------


def test_5xx_is_retried_for_reads(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False)
    sandbox.configure(faults={"http_500": 1.0, "max_faults": 2})
    assert client.get_album(catalog["album_ids"][0]).id == catalog["album_ids"][0]
    assert client.metrics.local["http_5xx"] == 2
    assert client.metrics.local["retries"] == 2


def test_persistent_5xx_is_a_transient_server_error(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False, max_retries=3)
    sandbox.configure(faults={"http_500": 1.0})
    before = server_requests(sandbox)
    with pytest.raises(ServerError) as caught:
        client.get_track(catalog["track_ids"][0])
    assert caught.value.status == 500
    assert caught.value.code == "INTERNAL"
    assert caught.value.transient is True
    assert server_requests(sandbox) - before == 4


def test_idempotent_writes_are_retried_after_5xx(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(newcomer, cache=False)
    playlist = client.create_playlist("Retry adds")
    sandbox.configure(faults={"http_500": 1.0, "max_faults": 1})
    client.add_playlist_tracks(playlist.id, catalog["track_ids"][:5])
    assert [e.track.id for e in client.iter_playlist_tracks(playlist.id)] == catalog["track_ids"][
        :5
    ]
    assert client.metrics.local["retries"] == 1


def test_create_without_a_key_is_not_retried_after_5xx(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer
) -> None:
    client = make_client(newcomer, cache=False)
    sandbox.configure(faults={"http_500": 1.0, "max_faults": 1})
    before = server_requests(sandbox)
    with pytest.raises(ServerError):
        client.create_playlist("Once")
    assert server_requests(sandbox) - before == 1


def test_create_with_a_key_after_5xx_is_safe_to_call_again(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer
) -> None:
    client = make_client(newcomer)
    key = uuid.uuid4().hex
    sandbox.configure(faults={"http_500": 1.0, "max_faults": 1})
    with pytest.raises(ServerError) as caught:
        client.create_playlist("Keyed", description="From Spotify", idempotency_key=key)
    assert caught.value.transient
    # The task retries: the look-up finds nothing (the 500 came first), so it creates.
    made = client.create_playlist("Keyed", description="From Spotify", idempotency_key=key)
    assert made.description == f"From Spotify [ref:{key}]"
    # And again, as after a crash: the recorded key returns the same playlist.
    again = client.create_playlist("Keyed", description="From Spotify", idempotency_key=key)
    assert again.id == made.id
    assert [p.id for p in client.iter_my_playlists()] == [made.id]


def test_create_whose_answer_is_lost_finds_the_playlist_it_made(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer
) -> None:
    client = make_client(newcomer)
    key = uuid.uuid4().hex
    # The server makes the playlist, then its answer arrives broken.
    sandbox.configure(faults={"malformed_json": 1.0, "max_faults": 1})
    made = client.create_playlist("Lost answer", idempotency_key=key)
    assert [p.id for p in client.iter_my_playlists()] == [made.id]
    assert made.title == "Lost answer"


def test_create_that_times_out_is_found_on_the_next_call(
    make_client: MakeClient, newcomer: Tokens, sandbox: SandboxServer
) -> None:
    client = make_client(newcomer, timeout=(3.0, 0.3))
    key = uuid.uuid4().hex
    sandbox.configure(faults={"delay_ms": 1500, "max_faults": 1, "paths": ["/v1/playlists"]})
    with pytest.raises(APITimeoutError):
        client.create_playlist("Slow", idempotency_key=key)
    # Wait until the slow request has been served (the sandbox counts it when it answers).
    deadline = time.monotonic() + 20
    while server_statuses(sandbox).get("201", 0) + server_statuses(sandbox).get("200", 0) == 0:
        assert time.monotonic() < deadline, "the delayed create never finished"
        time.sleep(0.1)
    made = client.create_playlist("Slow", idempotency_key=key)
    assert [p.id for p in client.iter_my_playlists()] == [made.id]


def test_deleting_what_is_not_there_is_not_found(make_client: MakeClient, newcomer: Tokens) -> None:
    client = make_client(newcomer)
    with pytest.raises(NotFoundError):
        client.delete_playlist(str(uuid.uuid4()))


# --- timeouts and dropped connections ---------------------------------------------------------


def test_a_slow_answer_times_out_and_is_retried(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False, timeout=(3.0, 0.3))
    sandbox.configure(faults={"delay_ms": 1000, "max_faults": 1})
    assert client.get_track(catalog["track_ids"][0]).id == catalog["track_ids"][0]
    assert client.metrics.local["retries"] == 1


def test_persistent_timeouts_raise_a_transient_timeout_error(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False, timeout=(3.0, 0.2), max_retries=1)
    sandbox.configure(faults={"delay_ms": 700})
    with pytest.raises(APITimeoutError) as caught:
        client.get_track(catalog["track_ids"][0])
    assert caught.value.transient is True
    assert caught.value.status is None
    assert client.metrics.local["calls"] == 2


def test_a_dropped_connection_is_retried_for_reads(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False)
    sandbox.configure(faults={"drop": 1.0, "max_faults": 1})
    assert client.get_track(catalog["track_ids"][0]).id == catalog["track_ids"][0]
    assert client.metrics.local["retries"] == 1


def test_nothing_listening_is_a_connection_error(make_client: MakeClient) -> None:
    client = make_client(base_url="http://127.0.0.1:9/v1", max_retries=1, cache=False)
    with pytest.raises(APIConnectionError) as caught:
        client.get_track("B0ANY")
    assert caught.value.transient is True
    assert client.metrics.local["calls"] == 2  # nothing was sent, so even this is retried


# --- bad answers ------------------------------------------------------------------------------


def test_bad_json_is_retried_then_raised_as_a_clear_transient_error(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False, max_retries=2)
    sandbox.configure(faults={"malformed_json": 1.0})
    with pytest.raises(InvalidResponseError) as caught:
        client.get_track(catalog["track_ids"][0])
    error = caught.value
    assert error.status == 200
    assert "not JSON" in error.message
    assert error.body  # the first bytes, for the log
    # A body cut off on the way is worth another try (issue 16): the task retries it later.
    assert error.transient is True
    assert client.metrics.local["calls"] == 3
    # The log line names the call; the sentence for people names no address.
    assert "GET" in str(error)
    assert "/tracks/" in str(error)
    assert "/tracks/" not in error.user_message
    assert "http" not in error.user_message
    assert client.metrics.local["errors"] == 1


def test_one_truncated_answer_is_retried_and_the_read_succeeds(
    make_client: MakeClient, sandbox: SandboxServer, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False)
    sandbox.configure(faults={"malformed_json": 1.0, "max_faults": 1})
    assert client.get_track(catalog["track_ids"][0]).id == catalog["track_ids"][0]
    assert client.metrics.local["retries"] == 1


def test_a_proxy_in_the_environment_is_not_read(
    make_client: MakeClient, catalog: dict[str, Any]
) -> None:
    # A proxy that does not exist: had requests consulted the environment, every call would fail.
    client = make_client(cache=False)
    saved = {name: os.environ.get(name) for name in PROXY_VARIABLES}
    os.environ.update({"HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"})
    os.environ.pop("NO_PROXY", None)
    os.environ.pop("no_proxy", None)
    try:
        assert client.session.trust_env is False
        assert client.get_track(catalog["track_ids"][0]).id == catalog["track_ids"][0]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_an_explicit_proxy_setting_is_used(
    make_client: MakeClient, catalog: dict[str, Any]
) -> None:
    client = make_client(cache=False, max_retries=0, proxies={"http": "http://127.0.0.1:9"})
    with pytest.raises(APIConnectionError):
        client.get_track(catalog["track_ids"][0])
