"""A lesson to read without a connection: one HTML file, or a PDF, with its images inside.

The file holds the lesson's text, its figures as data URIs and its own stylesheet, and no
script: it opens from a phone's downloads folder with nothing to fetch. What needs the site
(the scenario quiz, H5P activities, videos) is named, with its address, for when the reader is
back online. Questions to check one's understanding are listed without their answers, as on
the page."""

import base64
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .documents.pdf import render_pdf
from .models import LessonPage

_ONLINE_ONLY = {"embed", "quiz", "h5p"}


def lesson_html(lesson: LessonPage) -> str:
    """The lesson as one self-contained HTML document."""
    language = lesson.locale.language_code if lesson.locale_id else get_language()
    with translation.override(language):  # the document's language, and its direction
        context = {
            "page": lesson,
            "course": lesson.course,
            "blocks": [_block_html(block) for block in lesson.body],
            "url": settings.FLIGHTPATH_SITE_ORIGIN + lesson.url,
        }
        html = render_to_string("courses/lesson_offline.html", context)
    return _absolute_links(_without_scripts(html))


def lesson_pdf(lesson: LessonPage) -> bytes:
    return render_pdf(lesson_html(lesson))


def _block_html(block) -> SafeString:
    if block.block_type == "image":
        return _figure(block.value)
    if block.block_type in _ONLINE_ONLY:
        return _online_only(block)
    # Questions are rendered without a block id: the plain list, no form and no key.
    return block.render(context={"block_id": None, "lesson_id": None})


def _figure(value) -> SafeString:
    rendition = value["image"].get_rendition("width-800")
    with rendition.file.open("rb") as file:
        data = base64.b64encode(file.read()).decode()
    mime = {"jpg": "jpeg", "svg": "svg+xml"}.get(rendition.file.name.rsplit(".", 1)[-1].lower())
    mime = f"image/{mime or rendition.file.name.rsplit('.', 1)[-1].lower()}"
    caption = (
        format_html("<figcaption>{}</figcaption>", value["caption"]) if value["caption"] else ""
    )
    return format_html(
        '<figure><img src="data:{};base64,{}" alt="{}" width="{}" height="{}">{}</figure>',
        mime,
        data,
        getattr(value["image"], "contextual_alt_text", ""),
        rendition.width,
        rendition.height,
        caption or "",
    )


def _online_only(block) -> SafeString:
    if block.block_type == "quiz":
        from django.urls import reverse

        title = block.value["quiz"].title
        url = settings.FLIGHTPATH_SITE_ORIGIN + reverse(
            "assessments:quiz", args=[block.value["quiz"].slug]
        )
        kind = _("Scenario quiz")
    elif block.block_type == "h5p":
        title = block.value["activity"].title
        url = ""
        kind = _("Interactive activity")
    else:
        title = ""
        url = block.value.url
        kind = _("Video or embed")
    return format_html(
        '<aside class="online-only"><p><strong>{}</strong>{}</p><p>{}{}</p></aside>',
        kind,
        format_html(": {}", title) if title else "",
        _("Online only: open the lesson on Flightpath when you have a connection."),
        format_html(' <a href="{}">{}</a>', url, url) if url else "",
    )


_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def _without_scripts(html: str) -> str:
    return _SCRIPT.sub("", html)


def _absolute_links(html: str) -> str:
    """Links between the site's pages lead back to the site, not to the reader's disc."""
    return re.sub(r'href="/(?!/)', f'href="{settings.FLIGHTPATH_SITE_ORIGIN}/', html)


def filename(lesson: LessonPage, extension: str) -> str:
    return f"{lesson.course.slug}-{lesson.slug}.{extension}"
