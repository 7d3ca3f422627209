from django.db.models import Q
from wagtail.models import PageViewRestriction

from . import cache as content_cache


class ViewRestrictionsInOneQueryMixin:
    """Wagtail's privacy settings, checked in at most one query instead of two.

    Most sites have no privacy restrictions at all; that is remembered until a restriction is
    added. Otherwise the ancestors' tree paths are already in this page's `path`, so one query
    finds restrictions on the page, its ancestors, and the source pages of any that are aliases.
    """

    def get_view_restrictions(self):
        if not content_cache.remember("any-view-restrictions", _any_view_restrictions):
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()


def _any_view_restrictions() -> bool:
    return PageViewRestriction.objects.exists()
