"""Serving Wagtail pages in a small, fixed number of queries.

Wagtail's own routing walks the tree one level at a time (two queries a level) after looking up
the site and locale; for a lesson three levels down that is about nine queries before the page
does any work. Here the site is cached per host, the page is found by its `url_path` in one
query (plus one for its specific type), and anonymous responses come from the page cache before
any of that. Wagtail's `serve` view then runs as usual, with its hooks, on the route found here.
Anything not found this way (a 404, or a routable page's sub-path) falls back to Wagtail's walk.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from . import cache as page_cache

SITE_KEY = "flightpath:site:{host}:{port}"
SITE_GENERATION_KEY = "flightpath:site:generation"


def _site_generation() -> int:
    return cache.get_or_set(SITE_GENERATION_KEY, 1, timeout=None)


def forget_sites(**kwargs) -> None:
    try:
        cache.incr(SITE_GENERATION_KEY)
    except ValueError:
        cache.set(SITE_GENERATION_KEY, 2, timeout=None)


def connect_signals() -> None:
    post_save.connect(forget_sites, sender=Site, dispatch_uid="flightpath_sites_saved")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="flightpath_sites_deleted")


def site_for_request(request) -> Site | None:
    """Wagtail's site lookup, remembered per host and port until a Site changes."""
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"{SITE_KEY.format(host=hostname, port=request.get_port())}:{_site_generation()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            cache.set(key, site, timeout=3600)
    request._wagtail_site = site
    return site


def _root_path(site: Site) -> str:
    language = get_language()
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk and root.language_code == language:
            return root.root_path
    return site.root_page.url_path


def route(request, site: Site, path: str) -> RouteResult | None:
    components = [part for part in path.split("/") if part]
    url_path = _root_path(site) + "".join(f"{part}/" for part in components)
    pages = Page.objects.filter(url_path=url_path)
    if components:
        pages = pages.filter(slug=components[-1])  # slug is indexed; url_path is not
    page = pages.specific().first()
    if page is None or not page.live:
        return None  # Wagtail's own walk decides: a 404, or a routable page's sub-path
    return page.route(request, [])


def serve(request, path=""):
    response = page_cache.cached_response(request)
    if response is not None:
        return response
    site = site_for_request(request)
    if site is not None:
        result = route(request, site, path)
        if result is not None:
            request._wagtail_route_for_request = result
    response = wagtail_serve(request, path)
    page_cache.remember_response(request, response)
    return response
