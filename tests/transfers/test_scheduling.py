"""The fair scheduler on the real Redis: who gets the next matching slot, and when to give way."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from transfer.transfers.services import scheduling
from transfer.transfers.services.scheduling import Chunk


@pytest.fixture(autouse=True)
def _empty_scheduler(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[object]]]:
    """A clean scheduler; chunks handed to Celery are recorded instead of sent (no worker)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match="amt:fair:*"):
        client.delete(key)
    sent: list[list[object]] = []
    monkeypatch.setattr(
        scheduling.current_app,
        "send_task",
        lambda name, args, kwargs: sent.append([*args, kwargs["token"]]),
    )
    yield sent
    for key in client.scan_iter(match="amt:fair:*"):
        client.delete(key)


def chunks(job: str, count: int, size: int = 25) -> list[Chunk]:
    return [Chunk(job, i * size, i * size + size - 1) for i in range(count)]


@override_settings(TRANSFER_MATCH_SLOTS=2, TRANSFER_FAIR_CREDIT=500)
def test_a_small_job_goes_next_instead_of_behind_a_big_one() -> None:
    sent = scheduling.chunks_submit(user_id=1, chunks=chunks("big", 400))
    assert [Chunk.parse(t).first for t in sent] == [0, 25]  # two slots, both taken
    assert scheduling.chunks_submit(user_id=2, chunks=chunks("small", 2, size=8)) == []
    # The big job's first chunk ends: the freed slot goes to the newcomer, not to chunk 3.
    after = scheduling.chunk_done(sent[0])
    assert [Chunk.parse(t).job_id for t in after] == ["small"]
    after = scheduling.chunk_done(sent[1])
    assert [Chunk.parse(t).job_id for t in after] == ["small"]
    assert scheduling.job_waiting(user_id=1, job_id="big")
    assert not scheduling.job_waiting(user_id=3, job_id="nothing")


@override_settings(TRANSFER_MATCH_SLOTS=1, TRANSFER_FAIR_CREDIT=0)
def test_people_with_big_jobs_take_turns() -> None:
    first = scheduling.chunks_submit(user_id=1, chunks=chunks("a", 10))
    scheduling.chunks_submit(user_id=2, chunks=chunks("b", 10))
    order = []
    token = first[0]
    for _ in range(6):
        [token] = scheduling.chunk_done(token)
        order.append(Chunk.parse(token).job_id)
    # Equal service, so they alternate (whoever starts): neither waits for the other's end.
    assert order.count("a") == order.count("b") == 3
    assert all(x != y for x, y in itertools.pairwise(order))


@override_settings(TRANSFER_MATCH_SLOTS=1, TRANSFER_FAIR_CREDIT=500)
def test_a_running_big_chunk_gives_way_only_to_a_much_less_served_person() -> None:
    scheduling.chunks_submit(user_id=1, chunks=chunks("big", 40))
    assert not scheduling.should_yield(user_id=1)  # nobody waits
    scheduling.chunks_submit(user_id=2, chunks=chunks("small", 1, size=8))
    assert scheduling.should_yield(user_id=1)
    assert not scheduling.should_yield(user_id=2)


def test_small_jobs_are_cut_finer_to_spread_over_the_slots() -> None:
    with override_settings(TRANSFER_MATCH_SLOTS=4, TRANSFER_MATCH_CHUNK=25):
        assert scheduling.chunk_size(30) == 8
        assert scheduling.chunk_size(10_000) == 25
        assert scheduling.chunk_size(3) == scheduling.SMALLEST_CHUNK
        ranges = scheduling.chunks_of(job_id="j", positions=list(range(30)), track_count=30)
    assert [(c.first, c.last) for c in ranges] == [(0, 7), (8, 15), (16, 23), (24, 31)]


@override_settings(TRANSFER_MATCH_SLOTS=1)
def test_a_killed_workers_slot_comes_back_after_its_lease(monkeypatch: pytest.MonkeyPatch) -> None:
    [_token] = scheduling.chunks_submit(user_id=1, chunks=chunks("a", 3))
    assert scheduling.dispatch() == []  # the slot is taken
    now = scheduling.time.time()
    monkeypatch.setattr(scheduling.time, "time", lambda: now + scheduling.LEASE_SECONDS + 1)
    assert [Chunk.parse(t).first for t in scheduling.dispatch()] == [25]
