"""Who may download a document or see an image: whoever may open a live page that uses it.

Wagtail's reference index records which pages use which documents and images. A file used by a
public page is public; one used only by lessons of a course for officers is for officers; one
that no live page uses is for the people who write content. CMS users always may.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

from cms.accounts.selectors import PUBLIC, audiences_for_user, may_use_cms

from .models import CoursePage


def audiences_using(obj) -> set[str]:
    """The audiences of the live pages that use `obj` (empty when none does)."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    paths = list(
        Page.objects.live()
        .filter(pk__in=[int(pk) for pk in page_ids.values_list("object_id", flat=True)])
        .values_list("path", flat=True)
    )
    if not paths:
        return set()
    courses = CoursePage.audiences_of_pages(paths)
    return {courses.get(path, PUBLIC) for path in paths}


def may_see(user, audiences: set[str]) -> bool:
    """Whether `user` may see a file used by pages of these `audiences`."""
    return may_use_cms(user=user) or bool(audiences & audiences_for_user(user=user))


def refuse(request):
    """Signed out: go and sign in. Signed in: 403, naming nothing about the file."""
    if not request.user.is_authenticated:
        login = resolve_url(settings.LOGIN_URL)
        return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
    raise PermissionDenied(_("This file is used only in courses that are not open to you."))
