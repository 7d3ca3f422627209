"""What Flightpath caches about its content, and when that cache is stale.

Every key carries a content generation number. Anything that changes what a page shows or who
may see it (publishing, unpublishing, moving or deleting a page, publishing or deleting a
snippet shown in one, a privacy setting, a Site) moves to a new generation, so a change is
visible at once and nothing stale is served. Editors publish a few times a day; readers ask
thousands of times, so recomputing everything after a publish is cheap.

Three things use it: whole responses for anonymous visitors (who all see the same page), pages
for signed-in readers, one per reader state (`reader_pages.py`), and the pieces every
signed-in request needs (the route to a page, its course and lessons). The generation lives in
the cache itself: with more than one worker process, REDIS_URL must point them at one shared
cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from wagtail.models import DraftStateMixin, Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

GENERATION_KEY = "flightpath:content:generation"
TIMEOUT = 3600
_MISSING = object()


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def content_changed(**kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _deleted(sender, instance, **kwargs):
    """A page, or a publishable snippet that pages may show (a scenario quiz), was deleted."""
    if isinstance(instance, Page | DraftStateMixin):
        content_changed()


def connect_signals() -> None:
    uid = "flightpath_content_"
    page_published.connect(content_changed, dispatch_uid=uid + "published")
    page_unpublished.connect(content_changed, dispatch_uid=uid + "unpublished")
    post_page_move.connect(content_changed, dispatch_uid=uid + "moved")
    # Snippets shown inside pages (scenario quizzes) change what a page shows too.
    published.connect(content_changed, dispatch_uid=uid + "snippet_published")
    unpublished.connect(content_changed, dispatch_uid=uid + "snippet_unpublished")
    post_delete.connect(_deleted, dispatch_uid=uid + "deleted")
    for model in (PageViewRestriction, Site):
        post_save.connect(content_changed, sender=model, dispatch_uid=uid + model.__name__)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + model.__name__ + "d")


def remember(key: str, compute):
    """`compute()` once per content generation (None is remembered too)."""
    full_key = f"flightpath:{generation()}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def remember_many(keys: list[str], compute_missing) -> dict:
    """Like `remember` for several keys at once: `compute_missing(keys)` returns a dict."""
    prefix = f"flightpath:{generation()}:"
    found = cache.get_many([prefix + key for key in keys])
    values = {key: found[prefix + key] for key in keys if prefix + key in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        cache.set_many({prefix + key: value for key, value in computed.items()}, TIMEOUT)
        values.update(computed)
    return values


# Whole responses for anonymous visitors.


def is_cacheable(request) -> bool:
    """Only a plain GET from someone with no session: nobody's messages or data can leak."""
    return (
        settings.FLIGHTPATH_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def _response_key(request) -> str:
    path = hashlib.md5(request.path.encode(), usedforsecurity=False).hexdigest()  # any text
    return f"flightpath:{generation()}:page:{get_language()}:{request.get_host()}:{path}"


def cached_response(request):
    return cache.get(_response_key(request)) if is_cacheable(request) else None


def remember_response(request, response) -> None:
    if not is_cacheable(request) or response.status_code != 200 or response.cookies:
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cache.set(_response_key(request), response, settings.FLIGHTPATH_PAGE_CACHE_SECONDS)
