"""A per-address limit on public pages that look things up (the verification page), counted
in the default cache: shared between workers when REDIS_URL is set, as production needs."""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def within_limit(request, *, scope: str, limit: int, seconds: int = 60) -> bool:
    """Whether this request is within `limit` requests from its client address in the current
    window of `seconds` (two cache calls at most). The address is allauth's: behind a reverse
    proxy, TRUSTED_PROXY_COUNT says which one is the visitor's."""
    address = get_adapter().get_client_ip(request)
    window = int(time.time() // seconds)
    key = f"flightpath:rate:{scope}:{address}:{window}"
    if cache.add(key, 1, seconds + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, seconds + 1)
        return True
    return count <= limit
