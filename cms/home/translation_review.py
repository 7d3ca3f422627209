"""Translations go through the same review as any page.

wagtail-localize's editor keeps a translator's work segment by segment, and offers to publish
only to those who may publish. A translator who may not (a trainer) submits the translation
for review instead: its segments become a draft (a revision) of the translated page, which
enters the page's workflow (*Moderators approval*); a moderator previews it and approves,
which publishes it, or asks for changes, as with any page.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page
from wagtail_localize.models import Translation


def synced_translation(page: Page) -> Translation | None:
    """The wagtail-localize translation that `page` is the target of, when it is synced."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def may_submit(page: Page, user) -> bool:
    return (
        page.get_workflow() is not None
        and page.permissions_for_user(user).can_edit()
        and not page.workflow_in_progress
    )


def submit_for_review(request, page_id: int):
    """GET: what will happen; POST: the translation as a draft of the page, in review."""
    page = get_object_or_404(Page, pk=page_id).specific
    translation = synced_translation(page)
    if translation is None or not may_submit(page, request.user):
        raise PermissionDenied
    if request.method == "POST":
        with transaction.atomic():
            # A revision only: readers keep the published translation until it is approved.
            draft = translation.source.get_ephemeral_translated_instance(
                translation.target_locale, fallback=True
            )
            draft.save_revision(user=request.user)
            page = Page.objects.get(pk=page.pk).specific
            page.get_workflow().start(page, request.user)
        messages.success(
            request, _("The translation “%(title)s” is submitted for review.") % {"title": page}
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    context = {"page": page, "translation": translation}
    return TemplateResponse(request, "home/translation_review_confirm.html", context)


def listing_buttons(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import ListingButton

    if synced_translation(page) is not None and may_submit(page, user):
        url = reverse("flightpath_translation_review", args=[page.pk])
        yield ListingButton(
            _("Submit translation for review"), url, priority=61, icon_name="resubmit"
        )
