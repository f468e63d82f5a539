"""One Redis client per pool and process: a hot path never builds a client."""

from __future__ import annotations

from django.core.cache import cache, caches

from transfer.core.cache import PooledRedisCache
from transfer.core.redis import close_pools, get_redis


def test_every_caller_gets_the_same_client_of_the_shared_pool() -> None:
    client = get_redis()
    assert get_redis() is client
    assert client.ping()
    text = get_redis(decode_responses=True)
    assert text is not client
    assert text is get_redis(decode_responses=True)
    text.set("amt:test:redis", "é")
    assert text.get("amt:test:redis") == "é"
    assert client.get("amt:test:redis") == "é".encode()


def test_closing_the_pools_gives_new_clients_that_work() -> None:
    before = get_redis()
    close_pools()
    after = get_redis()
    assert after is not before
    assert after.ping()


def test_the_django_cache_keeps_one_client_per_pool() -> None:
    default = caches["default"]
    assert isinstance(default, PooledRedisCache)
    backend = default._cache
    assert backend.get_client() is backend.get_client(write=True)
    cache.set("amt-test-one", {"a": 1}, 30)
    cache.set_many({"amt-test-two": [2], "amt-test-three": 3}, 30)
    assert cache.get("amt-test-one") == {"a": 1}
    assert cache.get_many(["amt-test-two", "amt-test-three", "amt-test-none"]) == {
        "amt-test-two": [2],
        "amt-test-three": 3,
    }
