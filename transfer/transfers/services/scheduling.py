"""Fair share of the matching workers, and so of the shared API budget, across people.

Chunks of a job do not go straight onto the Celery queue, where one person's 10,000-track job
would put 400 tasks in front of everyone else's. Each person has a Redis list of chunks waiting;
a sorted set ranks the people who have work by the tracks already handed out to them (their
attained service). At most ``TRANSFER_MATCH_SLOTS`` chunks are in flight; whenever one ends,
the dispatcher hands the next slot to the person with the least service so far. That is
least-attained-service scheduling: people with big jobs share the workers round-robin, and a
newcomer enters ``TRANSFER_FAIR_CREDIT`` tracks below the lowest of them, so a small job runs
next instead of waiting behind a large one, and a large newcomer can jump ahead by no more than
that credit. The decisions are made in Lua so any number of web and worker processes can
dispatch at once; the state is small (one list per person with work, two sorted sets).

Redis holds only what is waiting: if it is lost, the stall recovery re-submits whatever the
database still has pending. In-flight entries carry a lease, so a killed worker's slot comes
back by itself.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import redis
from celery import current_app
from django.conf import settings
from redis.commands.core import Script

from transfer.core.redis import get_redis

PEOPLE = "amt:fair:people"
IN_FLIGHT = "amt:fair:inflight"
QUEUE_PREFIX = "amt:fair:q:"
MATCH_TASK = "transfer.transfers.tasks.match_chunk"  # dispatch.MATCH_CHUNK (which imports us)
# Long enough for any chunk (the task's hard time limit is 6 minutes).
LEASE_SECONDS = 600
SMALLEST_CHUNK = 5

# KEYS: people, the person's queue. ARGV: person, credit, items...
_PUSH = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then
  local low = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local entry = 0
  if #low > 0 then entry = tonumber(low[2]) - tonumber(ARGV[2]) end
  redis.call('ZADD', KEYS[1], entry, ARGV[1])
end
for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return #ARGV - 2
"""

# KEYS: people, in flight. ARGV: now, slots, lease seconds, queue key prefix.
# Reads each person's queue by name (single-instance Redis, not Cluster).
_DISPATCH = """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[2])
local out = {}
while free > 0 do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #head == 0 then break end
  local person = head[1]
  local queue = ARGV[4] .. person
  local item = redis.call('LPOP', queue)
  if not item then
    redis.call('ZREM', KEYS[1], person)
  else
    local size = tonumber(string.match(item, '|(%d+)$')) or 1
    if redis.call('LLEN', queue) == 0 then
      redis.call('ZREM', KEYS[1], person)
    else
      redis.call('ZINCRBY', KEYS[1], size, person)
    end
    redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[3]), item)
    table.insert(out, item)
    free = free - 1
  end
end
return out
"""


def _client() -> redis.Redis:
    return get_redis(decode_responses=True)


@functools.cache
def _registered(url: str, source: str) -> Script:
    # EVALSHA with the script's digest, loaded once (and again if Redis forgets it), rather
    # than EVAL sending and hashing the whole script: should_yield runs once per track.
    return get_redis(url=url, decode_responses=True).register_script(source)


def _run(source: str, keys: list[str], args: list[str]) -> Any:
    return _registered(settings.REDIS_URL, source)(keys=keys, args=args)


@dataclass(frozen=True)
class Chunk:
    job_id: str
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def token(self) -> str:
        return f"{self.job_id}|{self.first}|{self.last}|{self.size}"

    @classmethod
    def parse(cls, token: str) -> Chunk:
        job_id, first, last, _ = token.split("|")
        return cls(job_id, int(first), int(last))


def chunk_size(track_count: int) -> int:
    """Small jobs are cut finer so that they spread over all the slots at once."""
    slots = max(1, settings.TRANSFER_MATCH_SLOTS)
    spread = math.ceil(track_count / slots) if track_count else 1
    return max(1, min(settings.TRANSFER_MATCH_CHUNK, max(SMALLEST_CHUNK, spread)))


def chunks_of(*, job_id: UUID | str, positions: list[int], track_count: int) -> list[Chunk]:
    """Ranges covering the given (pending) positions, at most ``chunk_size`` positions each."""
    size = chunk_size(track_count)
    chunks: dict[int, Chunk] = {}
    for position in positions:
        first = position - position % size
        chunks.setdefault(first, Chunk(str(job_id), first, first + size - 1))
    return [chunks[k] for k in sorted(chunks)]


def chunks_submit(*, user_id: int, chunks: list[Chunk]) -> list[str]:
    """Queue a person's chunks behind their earlier ones, then fill the free slots."""
    if chunks:
        _run(
            _PUSH,
            [PEOPLE, f"{QUEUE_PREFIX}{user_id}"],
            [str(user_id), str(settings.TRANSFER_FAIR_CREDIT), *[c.token for c in chunks]],
        )
    return dispatch()


def dispatch() -> list[str]:
    """Hand free slots to the people with the least service so far; send their chunks."""
    tokens = _run(
        _DISPATCH,
        [PEOPLE, IN_FLIGHT],
        [
            str(time.time()),
            str(max(1, settings.TRANSFER_MATCH_SLOTS)),
            str(LEASE_SECONDS),
            QUEUE_PREFIX,
        ],
    )
    for token in _strings(tokens):
        chunk = Chunk.parse(token)
        current_app.send_task(
            MATCH_TASK, args=[chunk.job_id, chunk.first, chunk.last], kwargs={"token": token}
        )
    return _strings(tokens)


# KEYS: people, in flight. ARGV: person, slots, margin. 1 when this person should give way.
_SHOULD_YIELD = """
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not mine then return 0 end
if redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[2]) then return 0 end
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #head == 0 or head[1] == ARGV[1] then return 0 end
if tonumber(head[2]) < tonumber(mine) - tonumber(ARGV[3]) then return 1 end
return 0
"""


def should_yield(*, user_id: int) -> bool:
    """Whether a running chunk of this person should stop early and give its slot away.

    True when every slot is taken and someone waits who has had much less service (a
    newcomer's credit's worth): the big job's chunk ends after its current track instead of
    after its last, so a small job starts within about one track's time. People with similar
    service never preempt each other (that would only cut chunks into single tracks).
    """
    return bool(
        _run(
            _SHOULD_YIELD,
            [PEOPLE, IN_FLIGHT],
            [
                str(user_id),
                str(max(1, settings.TRANSFER_MATCH_SLOTS)),
                str(settings.TRANSFER_FAIR_CREDIT / 2),
            ],
        )
    )


def chunk_requeue(*, user_id: int, chunk: Chunk) -> None:
    """Put the rest of a yielded chunk first in its person's queue (no new credit)."""
    client = _client()
    lowest = client.zrange(PEOPLE, 0, 0, withscores=True)
    entry = float(lowest[0][1]) if isinstance(lowest, list) and lowest else 0.0
    with client.pipeline() as pipe:
        pipe.lpush(f"{QUEUE_PREFIX}{user_id}", chunk.token)
        # Ranked at their current score; if they had left the ranking, with no head start.
        pipe.zadd(PEOPLE, {str(user_id): entry}, nx=True)
        pipe.execute()


def chunk_renew(token: str) -> None:
    """A chunk that starts (or restarts after a rate limit) holds its slot a while longer."""
    if token:
        _client().zadd(IN_FLIGHT, {token: time.time() + LEASE_SECONDS}, xx=True)


def chunk_done(token: str) -> list[str]:
    """Free the chunk's slot and give it to whoever is next."""
    if token:
        _client().zrem(IN_FLIGHT, token)
    return dispatch()


def job_waiting(*, user_id: int, job_id: UUID | str) -> bool:
    """Whether chunks of the job wait in the person's queue or are in flight right now."""
    client = _client()
    prefix = f"{job_id}|"
    now = time.time()
    in_flight = _strings(client.zrangebyscore(IN_FLIGHT, now, "+inf"))
    if any(token.startswith(prefix) for token in in_flight):
        return True
    waiting = _strings(client.lrange(f"{QUEUE_PREFIX}{user_id}", 0, -1))
    return any(token.startswith(prefix) for token in waiting)


def job_forget(*, user_id: int, job_id: UUID | str) -> None:
    """Drop a cancelled or failed job's waiting chunks so that they take no slot."""
    client = _client()
    queue = f"{QUEUE_PREFIX}{user_id}"
    prefix = f"{job_id}|"
    for token in _strings(client.lrange(queue, 0, -1)):
        if token.startswith(prefix):
            client.lrem(queue, 0, token)


def _strings(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list) else []


@dataclass(frozen=True)
class Backlog:
    people: int
    chunks_waiting: int
    in_flight: int


def backlog() -> Backlog:
    """For the staff dashboard: how many people wait, with how many chunks."""
    client = _client()
    people = _strings(client.zrange(PEOPLE, 0, -1))
    waiting = sum(int(client.llen(f"{QUEUE_PREFIX}{p}")) for p in people[:1000])
    return Backlog(
        people=len(people),
        chunks_waiting=waiting,
        in_flight=int(client.zcount(IN_FLIGHT, time.time(), "+inf")),
    )
