"""A whole-page cache for anonymous visitors.

Most readers of public lessons are not signed in, and a Wagtail page costs routing, queries and
StreamField rendering on every request. Their responses are cached by path and language; every
key carries a generation number, and publishing or unpublishing any page moves to a new
generation, so a change is visible at once and nothing stale is ever served.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.signals import page_published, page_unpublished

GENERATION_KEY = "flightpath:pages:generation"


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def page_cache_clear(**kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def connect_signals() -> None:
    page_published.connect(page_cache_clear, dispatch_uid="flightpath_page_cache_published")
    page_unpublished.connect(page_cache_clear, dispatch_uid="flightpath_page_cache_unpublished")


def is_cacheable(request) -> bool:
    """Only a plain GET from someone with no session: nobody's messages or data can leak."""
    return (
        settings.FLIGHTPATH_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def _key(request) -> str:
    return f"flightpath:page:{_generation()}:{get_language()}:{request.get_host()}:{request.path}"


def cached_response(request):
    return cache.get(_key(request)) if is_cacheable(request) else None


def remember_response(request, response) -> None:
    if not is_cacheable(request) or response.status_code != 200 or response.cookies:
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cache.set(_key(request), response, settings.FLIGHTPATH_PAGE_CACHE_SECONDS)
