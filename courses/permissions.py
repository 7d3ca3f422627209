"""The CMS applies the site's audiences: nobody reads there a course they may not author.

Wagtail's group permissions say what an editor may do; these say on what. A trainer of an
organisation without officer access keeps the CMS for public courses, and nothing of the
officers' courses reaches them: their pages, drafts and revisions here, their documents and
images in `media.py`, their quizzes in `assessments`. Whoever may author every audience (staff,
trainers of organisations with officer access) pays nothing for it.

The CMS goes by the audiences a person may *author* (`authoring_audiences`): the trainers and
coordinators of an organisation with officer access write the trainers' courses whether or not
they are certified trainers, who alone read them as learners.
"""

from django.db.models import Q
from wagtail.models import PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.accounts.models import Audience
from cms.accounts.selectors import authoring_audiences

from .models import CoursePage


def closed_pages(*, user) -> Q | None:
    """The pages of the courses closed to `user` (each course and all under it), or None."""
    audiences = authoring_audiences(user=user)
    if audiences >= set(Audience):
        return None
    closed = Q()
    for path in CoursePage.objects.exclude(audience__in=audiences).values_list("path", flat=True):
        closed |= Q(path__startswith=path)
    return closed or None


class ClosedPagePermissionTester(PagePermissionTester):
    """Every action refused: the page belongs to a course the user may not open."""


# Refuse every `can_*` Wagtail has, including ones a later Wagtail adds, rather than a list.
for _name in [name for name in dir(PagePermissionTester) if name.startswith("can_")]:
    setattr(ClosedPagePermissionTester, _name, lambda self, *args, **kwargs: False)


def page_permissions(*, user, page, course: CoursePage | None) -> PagePermissionTester:
    """Wagtail's permissions on `page`, none at all when its `course` is closed to `user`."""
    if course is None or course.audience in authoring_audiences(user=user):
        return PagePermissionTester(user, page)
    return ClosedPagePermissionTester(user, page)


class AudiencePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, less the pages of courses closed to the user (the explorer,
    its search and the choosers list only what this policy returns)."""

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        return without_closed_pages(pages, user=user)

    def explorable_instances(self, user):
        return without_closed_pages(super().explorable_instances(user), user=user)


def without_closed_pages(pages, *, user):
    closed = closed_pages(user=user)
    return pages if closed is None else pages.exclude(closed)
