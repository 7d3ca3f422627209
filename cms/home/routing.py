"""Serving Wagtail pages in a small, fixed number of queries.

Wagtail's own routing walks the tree one level at a time (two queries a level) after looking up
the site and locale; for a lesson three levels down that is about nine queries before the page
does any work. Here the site and the page are found once per content generation (the page by its
`url_path`, in one query plus one for its specific type) and then come from the cache in one
read, and anonymous responses come from the page cache before any of that. Wagtail's `serve`
view then runs as usual, with its hooks, on the route found here. Anything not found this way
(a 404, or a routable page's sub-path) falls back to Wagtail's walk.
"""

import hashlib

from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from . import cache as content_cache
from . import translations


def _root_paths(site: Site) -> list[str]:
    """Where to look for a page: the tree of the reader's language, then the site's own tree,
    which serves pages not yet translated under the reader's language prefix."""
    language = get_language()
    preferred = [
        root.root_path
        for root in Site.get_site_root_paths()
        if root.site_id == site.pk and root.language_code == language
    ]
    return list(dict.fromkeys([*preferred, site.root_page.url_path]))


def _find(request, path: str) -> tuple[Site | None, Page | None]:
    """The page at `path`, as the reader's language shows it: a translation's address serves
    the page it translates, and any page its live translation's text (`translations`)."""
    site = Site.find_for_request(request)
    if site is None:
        return None, None
    components = [part for part in path.split("/") if part]
    tail = "".join(f"{part}/" for part in components)
    for root_path in _root_paths(site):
        pages = Page.objects.filter(url_path=root_path + tail, live=True)
        if components:
            pages = pages.filter(slug=components[-1])  # slug is indexed; url_path is not
        page = pages.specific().first()
        if page is not None and root_path != site.root_page.url_path:
            page = translations.source_of(page)  # a translation's address: the page it translates
        if page is not None:
            return site, translations.page_in_language(page)
    return site, None


def site_and_page(request, path: str) -> tuple[Site | None, Page | None]:
    """Wagtail's site for the request and the live page at `path`, remembered per host, port,
    language and path until the content or a Site changes: one cache read."""
    hostname = split_domain_port(request._get_raw_host())[0]
    where = hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()  # any length, any text
    key = f"route:{hostname}:{request.get_port()}:{get_language()}:{where}"
    return content_cache.remember(key, lambda: _find(request, path))


def serve(request, path=""):
    response = content_cache.cached_response(request)
    if response is not None:
        return response
    site, page = site_and_page(request, path)
    if site is not None:
        request._wagtail_site = site
    if page is not None:
        request._wagtail_route_for_request = page.route(request, [])
    # Otherwise Wagtail's own walk decides: a 404, or a routable page's sub-path.
    response = wagtail_serve(request, path)
    content_cache.mark_cacheable(request, response)
    return response
