"""The per-security-profile rate limit: bursts beyond it get Amazon's 429 THROTTLED."""

from __future__ import annotations

import secrets

from tests.sandbox.conftest import Api, assert_error
from tests.sandbox_server import SandboxServer

BURST = 30


def burst(api: Api, count: int = BURST) -> list[int]:
    return [api.get("/me").status_code for _ in range(count)]


def test_burst_beyond_the_limit_is_throttled(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(rate_limit=2)
    statuses = burst(alice)
    assert 429 in statuses
    assert statuses[0] == 200
    throttled = None
    calls = BURST
    while throttled is None and calls < BURST + 5:
        response = alice.get("/me")
        calls += 1
        if response.status_code == 429:
            throttled = response
    assert throttled is not None
    error = assert_error(throttled, 429, "THROTTLED")
    assert error["message"] == "Too Many Requests. Rate limiting has been applied."
    assert int(throttled.headers["Retry-After"]) >= 1
    stats = sandbox.stats()["by_api_key"][alice.tokens.api_key]
    assert stats["requests"] == calls
    assert stats["throttled"] == stats["statuses"]["429"] >= statuses.count(429) + 1


def test_retry_after_can_be_switched_off(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(rate_limit=1, retry_after=False)
    responses = [alice.get("/me") for _ in range(10)]
    throttled = [r for r in responses if r.status_code == 429]
    assert throttled
    assert "Retry-After" not in throttled[0].headers


def test_limit_is_per_security_profile(sandbox: SandboxServer, alice: Api) -> None:
    suffix = secrets.token_hex(4)
    other = sandbox.register_client(
        f"amzn1.application-oa2-client.rl{suffix}", "s", f"amzn1.application.rl{suffix}", []
    )
    other_api = Api(sandbox, sandbox.mint_token("alice", client_id=other["client_id"]))
    sandbox.configure(rate_limit=1)
    assert 429 in burst(alice, 10)
    # The other profile's bucket is untouched by alice's burst on the demo profile.
    assert other_api.get("/me").status_code == 200


def test_zero_turns_the_limit_off(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(rate_limit=0)
    assert set(burst(alice, 50)) == {200}
