"""The site's Redis cache backend: Django's, with one redis-py client per connection pool."""

import os
import threading
import uuid

import pytest
import redis

from cms.cache_backends import RedisCache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    os.environ.get("CI", "").lower() != "true" and not _redis_answers(),
    reason="Redis does not answer on this machine (CI always has one)",
)


@pytest.fixture
def cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"backend-test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["greeting", "counter"])


def test_every_cache_call_shares_one_client(cache):
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_values_round_trip_through_the_shared_client(cache):
    cache.set("greeting", {"text": "Welcome"})
    cache.set("counter", 1)
    cache.incr("counter")
    assert cache.get_many(["greeting", "counter"]) == {
        "greeting": {"text": "Welcome"},
        "counter": 2,
    }


def test_threads_share_the_client_safely(cache):
    cache.set("counter", 0)

    def add_many():
        for _ in range(50):
            cache.incr("counter")

    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("counter") == 200
