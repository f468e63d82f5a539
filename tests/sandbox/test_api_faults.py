"""Injected faults over real HTTP: 429s, 500s, dropped connections, delays, broken JSON."""

from __future__ import annotations

import json

import pytest
import requests

from tests.sandbox.conftest import Api, assert_error
from tests.sandbox_server import SandboxServer


def test_injected_429_and_500_use_the_error_object(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"http_429": 1})
    response = alice.get("/me")
    assert_error(response, 429, "THROTTLED")
    assert response.headers["Retry-After"] == "1"
    sandbox.configure(faults={"http_429": 0, "http_500": 1})
    assert_error(alice.get("/me"), 500, "INTERNAL")
    stats = sandbox.stats()["by_api_key"][alice.tokens.api_key]
    assert stats["faults"] == {"http_429": 1, "http_500": 1}


def test_dropped_connection_has_no_response_at_all(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"drop": 1, "max_faults": 1})
    with pytest.raises(requests.ConnectionError):
        alice.get("/me")
    # The budget is spent; the next call goes through.
    assert alice.get("/me").status_code == 200
    assert sandbox.stats()["total"]["statuses"]["dropped"] == 1


def test_malformed_json_keeps_status_and_content_type(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"malformed_json": 1})
    response = alice.get("/me")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_delay_still_answers(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"delay_ms": 50})
    assert alice.get("/me").status_code == 200
    assert sandbox.stats()["total"]["faults"] == {"delay": 1}


def test_max_faults_makes_fail_the_next_n_exact(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"http_500": 1, "max_faults": 2})
    statuses = [alice.get("/me").status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    assert sandbox.config()["faults"]["max_faults"] == 0


def test_faults_can_be_scoped_to_path_prefixes(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"http_500": 1, "paths": ["/v1/browse/"]})
    assert alice.get("/me").status_code == 200
    assert_error(alice.get("/browse/tracks/top"), 500, "INTERNAL")


def test_faults_on_login_with_amazon_answer_in_oauth_form(sandbox: SandboxServer) -> None:
    sandbox.configure(faults={"http_500": 1, "paths": ["/auth/o2/token"]})
    response = requests.post(
        f"{sandbox.base_url}/auth/o2/token", data={"grant_type": "refresh_token"}, timeout=30
    )
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"


def test_shares_between_zero_and_one_mix_outcomes(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"http_500": 0.5})
    statuses = {alice.get("/me").status_code for _ in range(60)}
    # Sixty fair coin flips all landing the same way has odds of about 1e-18.
    assert statuses == {200, 500}


def test_reset_turns_faults_off(sandbox: SandboxServer, alice: Api) -> None:
    sandbox.configure(faults={"http_500": 1})
    sandbox.reset()
    assert alice.get("/me").status_code == 200
    assert sandbox.config()["faults"]["http_500"] == 0
