"""Serving Wagtail pages in a small, fixed number of queries.

Wagtail's own routing walks the tree one level at a time (two queries a level) after looking up
the site and locale; for a lesson three levels down that is about nine queries before the page
does any work. Here the site and the page are found once per content generation (the page by its
`url_path`, in one query plus one for its specific type) and then come from the cache, and
anonymous responses come from the page cache before any of that. Wagtail's `serve` view then
runs as usual, with its hooks, on the route found here. Anything not found this way (a 404, or a
routable page's sub-path) falls back to Wagtail's walk.
"""

from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from . import cache as content_cache


def site_for_request(request) -> Site | None:
    """Wagtail's site lookup, remembered per host and port until a Site changes."""
    hostname = split_domain_port(request._get_raw_host())[0]
    site = content_cache.remember(
        f"site:{hostname}:{request.get_port()}", lambda: Site.find_for_request(request)
    )
    request._wagtail_site = site
    return site


def _root_path(site: Site) -> str:
    language = get_language()
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk and root.language_code == language:
            return root.root_path
    return site.root_page.url_path


def page_for_path(site: Site, path: str) -> Page | None:
    """The live page at `path`, remembered until the content changes."""
    components = [part for part in path.split("/") if part]
    url_path = _root_path(site) + "".join(f"{part}/" for part in components)

    def find():
        pages = Page.objects.filter(url_path=url_path, live=True)
        if components:
            pages = pages.filter(slug=components[-1])  # slug is indexed; url_path is not
        return pages.specific().first()

    return content_cache.remember(f"route:{site.pk}:{url_path}", find)


def route(request, site: Site, path: str) -> RouteResult | None:
    page = page_for_path(site, path)
    if page is None:
        return None  # Wagtail's own walk decides: a 404, or a routable page's sub-path
    return page.route(request, [])


def serve(request, path=""):
    response = content_cache.cached_response(request)
    if response is not None:
        return response
    site = site_for_request(request)
    if site is not None:
        result = route(request, site, path)
        if result is not None:
            request._wagtail_route_for_request = result
    response = wagtail_serve(request, path)
    content_cache.remember_response(request, response)
    return response
