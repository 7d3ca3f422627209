"""Cache generations: a token naming the current state of something cached, read once per
request.

Cached values are stored under keys that carry the token of their generation. A change moves
the generation to a new random token, so every copy made before it is left behind at once. A
token never repeats: when the cache loses it (eviction, a restart of Redis) the next reader
draws a fresh one, so copies made before a later change can never become valid again.

Every generation is read in one round trip, once per request (`PinGenerationsMiddleware`), so a
request sees one consistent state. What is stored under a token is also kept in the process's
own memory (`get_many`, `set_many`): a token is never used again for other content, and the
next request reads the tokens afresh, so a change made by any process leaves those copies
behind as surely as the shared ones. A warm page then costs one read of the shared cache.
"""

import pickle
import secrets
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# "content": pages and what they show (cms.home.cache); "accounts": memberships and the
# audiences they and apps' `extra_audiences` hooks give (a trainer certification moves it);
# "registry": the programme registry and the organisations it names (cms.programs.cache);
# "cascade": the tree of trainers an app keeps (courses' cascade totals); "cohorts": the cohorts
# an app keeps and the names of the people teaching them (courses' dashboard filters).
NAMES = ("content", "accounts", "registry", "cascade", "cohorts")

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


# Copies kept in this process: key -> (expiry on the monotonic clock, pickled value). Pickled,
# so that a request changing what it was given cannot change what the next one gets.
_copies: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_copies_lock = threading.Lock()


def get_many(keys: list[str], timeout: int) -> dict:
    """Values under keys that carry a generation token: this process's copies first, then the
    shared cache for the rest (in one round trip, and only if anything is missing)."""
    values, missing, now = {}, [], time.monotonic()
    with _copies_lock:
        for key in keys:
            copy = _copies.get(key)
            if copy and copy[0] > now:
                _copies.move_to_end(key)
                values[key] = copy[1]
            else:
                missing.append(key)
    # Pickled by this process (`_keep`), never read from outside it.
    values = {key: pickle.loads(value) for key, value in values.items()}  # noqa: S301
    if missing:
        shared = cache.get_many(missing)
        _keep(shared, timeout)
        values.update(shared)
    return values


def remember(key: str, compute, timeout: int):
    """The value kept under `key`, a key carrying the tokens of the generations it depends on:
    this process's copy or the shared cache's, else `compute()`, then kept in both."""
    found = get_many([key], timeout)
    if key in found:
        return found[key]
    value = compute()
    set_many({key: value}, timeout)
    return value


def set_many(values: dict, timeout: int) -> None:
    """Store values under keys that carry a generation token, here and in the shared cache."""
    cache.set_many(values, timeout)
    _keep(values, timeout)


# A copy is kept here at most this long (and never longer than the shared cache keeps it): a
# new token leaves it behind anyway; this only bounds how old a copy gets.
COPY_SECONDS = 60


def _keep(values: dict, timeout: int) -> None:
    limit = settings.FLIGHTPATH_PROCESS_CACHE_ENTRIES
    if not limit or not values:
        return
    expiry = time.monotonic() + min(timeout, COPY_SECONDS)
    copies = {
        key: (expiry, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) for key, value in values.items()
    }
    with _copies_lock:
        for key, copy in copies.items():
            _copies[key] = copy
            _copies.move_to_end(key)
        while len(_copies) > limit:
            _copies.popitem(last=False)


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
