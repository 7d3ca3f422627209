import re

from django.db.models import Q
from wagtail.models import Page

from cms.accounts.selectors import audiences_for_user

from .models import CoursePage


def search_pages(*, user, query: str):
    """Live pages matching `query`, without the lessons of courses the user may not open.

    The filter runs in the search query itself, so result counts and pages are right.
    """
    closed = CoursePage.objects.exclude(audience__in=audiences_for_user(user=user)).values_list(
        "path", "depth"
    )
    hidden = Q()
    for path, depth in closed:
        hidden |= Q(path__startswith=path, depth__gt=depth)
    pages = Page.objects.live().specific()
    if hidden:
        pages = pages.exclude(hidden)
    words = search_words(query)
    return pages.search(" ".join(words)) if words else pages.none()


def search_words(query: str) -> list[str]:
    """The words of a query. Quotes and operators would reach the full-text engine's own
    syntax (SQLite FTS5, PostgreSQL tsquery) and fail there, so only words are searched."""
    return re.findall(r"\w+", query)[:20]
