"""One retry policy for every Celery task that calls an outside service, driven by settings.

A failure is one of three kinds, and each has its own budget:

* **Waiting** — the service said "later" (429 or quota: an error with ``retry_after``), or
  another worker holds the job's lease. The task reschedules itself after the wait the
  service named plus jitter. Waiting spends *none* of the transient budget: a job under heavy
  throttling is slow, not broken. It is bounded by a wall-clock deadline instead
  (``TASK_RETRY_DEADLINE_SECONDS`` from the first try of the work), so nothing waits forever.
* **Transient** — the service failed this time (5xx, no connection, a truncated or garbled
  200, Login with Amazon unreachable): an error whose ``transient`` is true. Retried with
  exponential backoff and jitter, at most ``max_transient`` times *in a row without progress*:
  work that checkpoints (a matching chunk decides tracks one by one) starts a fresh count
  whenever it moved forward, so many short failures spread over a long job do not add up to
  a failure, while a service that is simply down still ends the work.
* **Permanent** — anything else: the work ends with a reason a person can read
  (``reason_for``), never an internal URL or reference.

The budgets travel with the task in its keyword arguments (``retry_state``), because Celery's
own ``request.retries`` counts every retry alike. Any outside service's errors fit as long as
they say ``transient`` and, when rate limited, ``retry_after`` (catalog_client's do; see
docs/boundaries.md).
"""

from __future__ import annotations

import enum
import random
import time
from dataclasses import asdict, dataclass, replace
from typing import Any, NoReturn

from celery.app.task import Task
from django.conf import settings


class Verdict(enum.Enum):
    WAIT = "wait"
    RETRY = "retry"
    GIVE_UP = "give_up"


@dataclass(frozen=True)
class RetryState:
    """What one piece of work has spent so far; carried from delivery to delivery."""

    first_try_at: float
    transient_in_a_row: int = 0
    waits: int = 0
    # The work's own progress figure at the last failure (e.g. tracks decided), if it has one.
    progress: int | None = None

    @classmethod
    def load(cls, raw: dict[str, Any] | None, *, now: float | None = None) -> RetryState:
        if not raw:
            return cls(first_try_at=time.time() if now is None else now)
        return cls(
            first_try_at=float(raw.get("first_try_at") or time.time()),
            transient_in_a_row=int(raw.get("transient_in_a_row") or 0),
            waits=int(raw.get("waits") or 0),
            progress=raw.get("progress"),
        )

    def dump(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RetryDecision:
    verdict: Verdict
    state: RetryState
    countdown: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class RetryPolicy:
    max_transient: int
    backoff_base: float
    backoff_cap: float
    deadline_seconds: float

    @classmethod
    def for_transfers(cls) -> RetryPolicy:
        return cls(
            max_transient=settings.TRANSFER_MAX_TRANSIENT_RETRIES,
            backoff_base=settings.TRANSFER_RETRY_BACKOFF_SECONDS,
            backoff_cap=settings.TRANSFER_RETRY_BACKOFF_CAP_SECONDS,
            deadline_seconds=settings.TASK_RETRY_DEADLINE_SECONDS,
        )

    @classmethod
    def for_syncs(cls) -> RetryPolicy:
        return cls(
            max_transient=settings.SYNC_MAX_RETRIES,
            backoff_base=settings.SYNC_RETRY_BACKOFF_SECONDS,
            backoff_cap=3600.0,
            deadline_seconds=settings.TASK_RETRY_DEADLINE_SECONDS,
        )

    def backoff(self, retries: int) -> float:
        """Exponential, capped, with "equal jitter": half fixed, half random.

        The random half keeps workers that failed together from retrying together; the fixed
        half keeps a retry from coming back at once.
        """
        ceiling = min(self.backoff_cap, self.backoff_base * 2**retries)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def decide(
        self,
        exc: BaseException,
        state: RetryState,
        *,
        progress: int | None = None,
        now: float | None = None,
    ) -> RetryDecision:
        """What to do about ``exc``; ``progress`` is the work's own figure, when it has one."""
        now = time.time() if now is None else now
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return self.wait(state, float(retry_after), reason=reason_for(exc), now=now)
        if not getattr(exc, "transient", False):
            return RetryDecision(Verdict.GIVE_UP, state, reason=reason_for(exc))
        moved = progress is not None and state.progress is not None and progress > state.progress
        in_a_row = 1 if moved else state.transient_in_a_row + 1
        state = replace(state, transient_in_a_row=in_a_row, progress=progress)
        if in_a_row > self.max_transient:
            return RetryDecision(
                Verdict.GIVE_UP,
                state,
                reason=f"{reason_for(exc)} Gave up after {self.max_transient} tries in a row.",
            )
        if self._past_deadline(state, now):
            return self._expired(state, reason_for(exc))
        return RetryDecision(
            Verdict.RETRY, state, countdown=self.backoff(in_a_row - 1), reason=reason_for(exc)
        )

    def wait(
        self, state: RetryState, seconds: float, *, reason: str, now: float | None = None
    ) -> RetryDecision:
        """Come back after ``seconds`` (plus up to a second of jitter), inside the deadline."""
        now = time.time() if now is None else now
        state = replace(state, waits=state.waits + 1)
        countdown = max(0.0, seconds) + random.uniform(0, 1)
        if self._past_deadline(state, now + countdown):
            return self._expired(state, reason)
        return RetryDecision(Verdict.WAIT, state, countdown=countdown, reason=reason)

    def _past_deadline(self, state: RetryState, when: float) -> bool:
        return when - state.first_try_at > self.deadline_seconds

    def _expired(self, state: RetryState, cause: str) -> RetryDecision:
        hours = self.deadline_seconds / 3600
        span = f"{hours:g} hours" if hours >= 1 else f"{round(self.deadline_seconds)} seconds"
        return RetryDecision(
            Verdict.GIVE_UP,
            state,
            reason=f"{cause} Still not through after {span} of waiting; resume it later.".strip(),
        )


def reason_for(exc: BaseException | None) -> str:
    """A sentence for the person: the error's own ``user_message`` when it has one."""
    if exc is None:
        return ""
    text = getattr(exc, "user_message", None) or getattr(exc, "reason", None)
    if not text:
        text = getattr(exc, "message", None) or str(exc)
    return str(text)


def reschedule(task: Task, decision: RetryDecision, exc: Exception | None = None) -> NoReturn:
    """Send the task again after the decision's countdown, carrying its retry state."""
    kwargs = {**(task.request.kwargs or {}), "retry_state": decision.state.dump()}
    raise task.retry(
        countdown=decision.countdown, kwargs=kwargs, max_retries=None, exc=exc
    ) from exc
