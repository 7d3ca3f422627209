"""The cache backend of test runs on Redis (REDIS_URL)."""

from cms.cache_backends import RedisCache


class WorkerRedisCache(RedisCache):
    """Redis shared by the processes of a parallel test run, each under its own key prefix.

    Tests clear the cache between them; Django's `clear()` flushes the whole Redis database,
    the other workers' keys too, so here it deletes this worker's keys only.
    """

    def clear(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
