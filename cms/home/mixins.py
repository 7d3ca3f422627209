from django.db.models import Q
from wagtail.models import PageViewRestriction


class ViewRestrictionsInOneQueryMixin:
    """Wagtail's privacy settings, checked in one query instead of two.

    Wagtail loads the ancestors to find their restrictions; their tree paths are already in
    this page's `path`, so one query finds restrictions on the page, its ancestors, and the
    source pages of any of them that are aliases.
    """

    def get_view_restrictions(self):
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()
