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
    return pages.search(query)
