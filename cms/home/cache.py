"""What Flightpath caches about its content, and when that cache is stale.

Every key carries the release and the content generation (`cms.generations`). Anything that
changes what a page shows or who may see it (publishing, unpublishing, moving or deleting a
page, publishing or deleting a snippet shown in one, an image, a document, a privacy setting,
a Site, and whatever else an app watches with `watch`) moves to a new generation, so a change
is visible at once and nothing stale is served; a deploy starts under a new release. Editors
publish a few times a day; readers ask thousands of times, so recomputing everything after a
publish is cheap.

Three things use it: whole responses for anonymous visitors (who all see the same page), pages
for signed-in readers, one per reader state (`reader_pages.py`), and the pieces every
signed-in request needs (the route to a page, and whatever the pages themselves remember). The
generation lives in the cache itself: with more than one worker process, REDIS_URL must point
them at one shared cache."""

import hashlib

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import DraftStateMixin, Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from cms import generations

TIMEOUT = 3600


def generation() -> str:
    """The release and content generation every content key starts with."""
    return f"{settings.FLIGHTPATH_RELEASE}.{generations.current('content')}"


def content_changed(**kwargs) -> None:
    generations.move("content")


def _deleted(sender, instance, **kwargs):
    """A page, or a publishable snippet that pages may show (a scenario quiz), was deleted."""
    if isinstance(instance, Page | DraftStateMixin):
        content_changed()


def watch(model) -> None:
    """Pages show instances of `model`: saving or deleting one moves the content generation."""
    uid = f"flightpath_content_{model._meta.label}"
    post_save.connect(content_changed, sender=model, dispatch_uid=uid)
    post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "_deleted")


def connect_signals() -> None:
    uid = "flightpath_content_"
    page_published.connect(content_changed, dispatch_uid=uid + "published")
    page_unpublished.connect(content_changed, dispatch_uid=uid + "unpublished")
    post_page_move.connect(content_changed, dispatch_uid=uid + "moved")
    # Snippets shown inside pages (scenario quizzes) change what a page shows too.
    published.connect(content_changed, dispatch_uid=uid + "snippet_published")
    unpublished.connect(content_changed, dispatch_uid=uid + "snippet_unpublished")
    post_delete.connect(_deleted, dispatch_uid=uid + "deleted")
    for model in (PageViewRestriction, Site, get_image_model(), get_document_model()):
        watch(model)


def remember(key: str, compute):
    """`compute()` once per content generation (None is remembered too)."""
    return remember_many([key], lambda keys: {key: compute()})[key]


def remember_many(keys: list[str], compute_missing) -> dict:
    """Like `remember` for several keys at once: `compute_missing(keys)` returns a dict."""
    prefix = f"flightpath:{generation()}:"
    found = generations.get_many([prefix + key for key in keys], TIMEOUT)
    values = {key: found[prefix + key] for key in keys if prefix + key in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        generations.set_many({prefix + key: value for key, value in computed.items()}, TIMEOUT)
        values.update(computed)
    return values


# Whole responses for anonymous visitors. The page view looks a response up and marks the one it
# rendered; `PageCacheMiddleware`, outermost, stores it once every middleware has had its say.

# What a cached response may vary on: the key holds the language, and only requests carrying no
# cookie at all are served from the cache.
_KEYED_VARY = {"accept-language", "cookie"}


def is_cacheable(request) -> bool:
    """Only a plain GET that carries no cookie: no session, no messages, no CSRF token."""
    return (
        settings.FLIGHTPATH_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and not request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def _response_key(request) -> str:
    path = hashlib.md5(request.path.encode(), usedforsecurity=False).hexdigest()  # any text
    where = f"{request.scheme}:{request.get_host()}"
    return f"flightpath:{generation()}:page:{get_language()}:{where}:{path}"


def cached_response(request):
    if not is_cacheable(request):
        return None
    key = _response_key(request)
    return generations.get_many([key], settings.FLIGHTPATH_PAGE_CACHE_SECONDS).get(key)


def mark_cacheable(request, response) -> None:
    """Offer `response` to the page cache; whether it is kept is decided when it is complete."""
    if is_cacheable(request):
        response.flightpath_cache_key = _response_key(request)


def _may_store(request, response) -> bool:
    vary = {header.lower() for header in cc_delim_re.split(response.get("Vary", "")) if header}
    return (
        response.status_code == 200
        and not response.cookies
        and vary <= _KEYED_VARY
        and not _PRIVATE.intersection(cc_delim_re.split(response.get("Cache-Control", "").lower()))
        and not _carries_messages(request)
    )


_PRIVATE = {"private", "no-store", "no-cache"}


def _carries_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (storage.used or storage._queued_messages))


class PageCacheMiddleware:
    """Outermost but one: keeps a page for visitors once every middleware has added its cookies,
    messages and headers, and only when none of them is anyone's own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(response, "flightpath_cache_key", None)
        if key and _may_store(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            del response.flightpath_cache_key  # the stored copy is served, never stored again
            generations.set_many({key: response}, settings.FLIGHTPATH_PAGE_CACHE_SECONDS)
        return response
