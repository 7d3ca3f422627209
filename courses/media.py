"""Who may download a document or see an image: whoever may open a live page that uses it.

Wagtail's reference index records which pages use which documents and images. A file used by a
public page is public; one used only by lessons of a course for officers is for officers; one
that no live page uses is for the people who write content, unless only pages of courses closed
to them use it (`media_open_in_cms`).
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from cms.accounts.models import Audience
from cms.accounts.selectors import audiences_for_user, authoring_audiences, may_use_cms

from .models import CoursePage
from .permissions import closed_pages


def audiences_using(obj, *, live: bool = True) -> set[str]:
    """The audiences of the (live) pages that use `obj` (empty when none does)."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    pages = Page.objects.live() if live else Page.objects.all()
    paths = list(
        pages.filter(
            pk__in=[int(pk) for pk in page_ids.values_list("object_id", flat=True)]
        ).values_list("path", flat=True)
    )
    if not paths:
        return set()
    courses = CoursePage.audiences_of_pages(paths)
    return {courses.get(path, Audience.PUBLIC) for path in paths}


def may_see(user, audiences: set[str], obj) -> bool:
    """Whether `user` may see `obj`, a file used by live pages of these `audiences`."""
    if audiences:
        return bool(audiences & _audiences(user))
    return may_use_cms(user=user) and media_open_in_cms(user=user, obj=obj)


def _audiences(user) -> frozenset[str]:
    """What a CMS user may author (they preview it), and what anyone else may read."""
    if may_use_cms(user=user):
        return authoring_audiences(user=user)
    return audiences_for_user(user=user)


def may_see_upload(user, path: str) -> bool:
    """Whether a CMS user may have the uploaded file at `path` (under MEDIA_ROOT) as stored."""
    if not may_use_cms(user=user):
        return False
    if closed_pages(user=user) is None:
        return True
    owner = _upload_owner(path)
    return owner is None or media_open_in_cms(user=user, obj=owner)


def _upload_owner(path: str):
    """The document or image whose file (or rendition) is stored at `path`, if any."""
    owner = (
        get_document_model().objects.filter(file=path).first()
        or get_image_model().objects.filter(file=path).first()
    )
    if owner is None:
        rendition = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(file=path)
            .select_related("image")
            .first()
        )
        owner = rendition and rendition.image
    return owner


def media_open_in_cms(*, user, obj) -> bool:
    """A document or image is open in the CMS unless only pages closed to `user` use it."""
    if closed_pages(user=user) is None:
        return True
    audiences = audiences_using(obj, live=False)
    return not audiences or bool(audiences & authoring_audiences(user=user))


def media_closed_in_cms(*, user, model) -> set[int]:
    """The ids of the documents or images (`model`) that only pages closed to `user` use."""
    closed = closed_pages(user=user)
    if closed is None:
        return set()
    closed_ids = {str(pk) for pk in Page.objects.filter(closed).values_list("pk", flat=True)}
    uses = defaultdict(set)  # object id → for each page using it, whether that page is closed
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(model),
    ).values_list("object_id", "to_object_id")
    for page_id, object_id in references:
        uses[object_id].add(page_id in closed_ids)
    return {int(object_id) for object_id, closed in uses.items() if all(closed)}


def refuse(request):
    """Signed out: go and sign in. Signed in: 403, naming nothing about the file."""
    if not request.user.is_authenticated:
        login = resolve_url(settings.LOGIN_URL)
        return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
    raise PermissionDenied(_("This file is used only in courses that are not open to you."))
