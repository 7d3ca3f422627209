"""Cache generations: a token naming the current state of something cached, read once per
request.

Cached values are stored under keys that carry the token of their generation. A change moves
the generation to a new random token, so every copy made before it is left behind at once. A
token never repeats: when the cache loses it (eviction, a restart of Redis) the next reader
draws a fresh one, so copies made before a later change can never become valid again.

Every generation is read in one round trip, once per request (`PinGenerationsMiddleware`), so a
request sees one consistent state, and anything keyed by a token could be kept in a process's
own memory as well: a token is never reused for different content.
"""

import secrets
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

# "content": pages and what they show (cms.home.cache); "accounts": memberships.
NAMES = ("content", "accounts")

_pinned: ContextVar[dict | None] = ContextVar("flightpath_generations", default=None)


def key(name: str) -> str:
    # Not per release: a change made through one release must reach workers still running the
    # previous one during a deploy. Content keys carry the release themselves.
    return f"flightpath:generation:{name}"


def current(name: str) -> str:
    """The token of generation `name`: pinned for the rest of the request once read."""
    pinned = _pinned.get()
    if pinned:
        return pinned[name]
    tokens = _read()
    if pinned is not None:
        pinned.update(tokens)
    return tokens[name]


def move(name: str) -> None:
    """Leave every copy of generation `name` behind: now, and again once the change is
    committed (a reader between the two may have cached what it read before the commit)."""
    _store(name)
    transaction.on_commit(lambda: _store(name))


def _store(name: str) -> None:
    token = _new_token()
    cache.set(key(name), token, timeout=None)
    pinned = _pinned.get()
    if pinned:
        pinned[name] = token


def _read() -> dict[str, str]:
    keys = {name: key(name) for name in NAMES}
    found = cache.get_many(list(keys.values()))
    tokens = {}
    for name, cache_key in keys.items():
        token = found.get(cache_key)
        if token is None:  # never set, or lost: a fresh token, agreed between workers by add()
            cache.add(cache_key, _new_token(), timeout=None)
            token = cache.get(cache_key) or _new_token()
        tokens[name] = token
    return tokens


def _new_token() -> str:
    return secrets.token_hex(8)


class PinGenerationsMiddleware:
    """Outermost: every generation is read at most once for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _pinned.set({})
        try:
            return self.get_response(request)
        finally:
            _pinned.reset(reset)
