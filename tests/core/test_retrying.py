"""The one task retry policy: separate budgets for waiting and for transient failures."""

from __future__ import annotations

import pytest

from catalog_client import (
    APIConnectionError,
    BadRequestError,
    InvalidResponseError,
    RateLimitedError,
    ServerError,
)
from transfer.core.retrying import RetryPolicy, RetryState, Verdict

POLICY = RetryPolicy(max_transient=3, backoff_base=1.0, backoff_cap=8.0, deadline_seconds=3600)


def throttled(after: float = 2.0) -> RateLimitedError:
    return RateLimitedError("THROTTLED", retry_after=after, status=429, code="THROTTLED")


def test_waiting_on_429s_spends_no_transient_retries() -> None:
    state = RetryState.load(None, now=0.0)
    for minute in range(50):
        decision = POLICY.decide(throttled(), state, now=minute * 60.0)
        assert decision.verdict is Verdict.WAIT
        assert 2.0 <= decision.countdown <= 3.0
        state = decision.state
    assert state.waits == 50
    assert state.transient_in_a_row == 0
    # ...and a transient failure after all that still has its whole budget.
    assert POLICY.decide(ServerError("x", status=500), state, now=3000.0).verdict is Verdict.RETRY


def test_waiting_ends_at_the_deadline() -> None:
    state = RetryState.load(None, now=0.0)
    decision = POLICY.decide(throttled(), state, now=3599.5)
    assert decision.verdict is Verdict.GIVE_UP
    assert "resume it later" in decision.reason


def test_transient_failures_in_a_row_are_capped_with_growing_jittered_backoff() -> None:
    state = RetryState.load(None, now=0.0)
    countdowns = []
    for _ in range(3):
        decision = POLICY.decide(APIConnectionError("refused"), state, progress=10, now=1.0)
        assert decision.verdict is Verdict.RETRY
        countdowns.append(decision.countdown)
        state = decision.state
    assert 0.5 <= countdowns[0] <= 1.0
    assert 1.0 <= countdowns[1] <= 2.0
    assert 2 <= countdowns[2] <= 4
    final = POLICY.decide(APIConnectionError("refused"), state, progress=10, now=1.0)
    assert final.verdict is Verdict.GIVE_UP
    assert "3 tries in a row" in final.reason


def test_progress_renews_the_transient_budget() -> None:
    state = RetryState.load(None, now=0.0)
    for decided in range(1, 40):
        decision = POLICY.decide(ServerError("x", status=500), state, progress=decided, now=1.0)
        assert decision.verdict is Verdict.RETRY
        state = decision.state
    assert state.transient_in_a_row == 1


def test_a_truncated_answer_is_transient_and_a_bad_request_permanent() -> None:
    state = RetryState.load(None, now=0.0)
    garbled = InvalidResponseError("not JSON", status=200, transient=True)
    assert POLICY.decide(garbled, state, now=1.0).verdict is Verdict.RETRY
    refused = BadRequestError("bad", status=400, url="http://internal:8001/v1/x")
    decision = POLICY.decide(refused, state, now=1.0)
    assert decision.verdict is Verdict.GIVE_UP
    assert "internal" not in decision.reason


@pytest.mark.parametrize("raw", [None, {}, {"first_try_at": 5.0, "waits": 2}])
def test_the_state_survives_the_trip_through_task_kwargs(raw: dict[str, float] | None) -> None:
    state = RetryState.load(raw, now=1.0)
    assert RetryState.load(state.dump()) == state
