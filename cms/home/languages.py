"""The reader's language stays with every page address Flightpath builds.

Wagtail builds a page's address in the page's own language, so an English course linked from
/fr/courses/ would lead to /courses/... and drop the reader's French. A page in the site's
source language that has no translation yet is served under the reader's prefix instead
(`routing.py` looks for it there), in its own language, with the site's menus, messages and
forms in the reader's; a translated page keeps the address of its own language. This holds for
every page object, specific or not (menus, breadcrumbs, links inside rich text), so it is set on
Wagtail's `Page` itself.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

_wagtail_url_parts = Page.get_url_parts


def url_parts_in_readers_language(page, request=None):
    parts = _wagtail_url_parts(page, request)
    language = translation.get_language()
    if not parts or parts[2] is None or not language or language == settings.LANGUAGE_CODE:
        return parts
    roots = page._get_relevant_site_root_paths(request)
    roots = [root for root in roots if root.site_id == parts[0]]
    if not roots or roots[0].language_code != settings.LANGUAGE_CODE:
        return parts
    with translation.override(language):
        path = reverse("wagtail_serve", args=(page.url_path[len(roots[0].root_path) :],))
    return parts[0], parts[1], path


def register() -> None:
    Page.get_url_parts = url_parts_in_readers_language
