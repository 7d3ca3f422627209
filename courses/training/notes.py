"""Trainer notes: who may read them, and how they are shown.

A lesson's trainer notes (its session plan, discussion questions with model answers, the
scenario to run, how to adapt it to national law) are for the people who teach it: staff and
trainers whose certification is in force (`certification.may_teach`), and editors previewing
the lesson in the CMS. Learners never receive them: the lesson page shows them only in the part
of the page that belongs to the reader (`Reader` in `cms.home.reader_pages`), under a reader
state of its own, never in the body every reader shares.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cms import generations
from cms.home.reader_pages import Reader
from cms.markdown_files import to_html

from . import certification

CACHE_SECONDS = 3600


def may_see_trainer_notes(*, user, on: datetime.date | None = None) -> bool:
    """Staff, and trainers or master trainers whose certification is in force.

    Asked on every signed-in lesson with notes, so a certification's standing is kept in the
    shared cache for the day, under the accounts generation that every certification change
    moves (`courses.receivers`): a learner's lesson costs no query for it."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    if user.is_staff or user.is_superuser:
        return True
    on = on or certification.today()
    generation = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('accounts')}"
    key = f"flightpath:accounts:{generation}:may-teach:{on.isoformat()}:{user.pk}"
    found = generations.get_many([key], CACHE_SECONDS)
    if key in found:
        return found[key]
    allowed = certification.may_teach(user=user, on=on)
    generations.set_many({key: allowed}, CACHE_SECONDS)
    return allowed


def render_notes(text: str) -> SafeString:
    """Trainer notes (Markdown, as lesson files and the CMS hold them) as HTML, the way lesson
    bodies are turned into HTML, with any HTML in the text escaped: shown as written, never
    run."""
    if not text.strip():
        return mark_safe("")  # noqa: S308 empty
    return mark_safe(to_html(escape(text)))  # noqa: S308 the source was escaped before Markdown added its tags


def with_trainer_notes(reader: Reader, *, request, lesson) -> Reader:
    """The lesson's reader, plus its trainer notes for those who may see them. Whether they
    are shown is part of the reader state, so a copy of the page made for a trainer is never
    served to a learner, and the shared lesson body never holds them."""
    if not lesson.trainer_notes.strip():
        return reader
    shown = getattr(request, "is_preview", False) or may_see_trainer_notes(user=request.user)
    if not shown:
        return reader

    def context() -> dict:
        return {**reader.context(), "trainer_notes": render_notes(lesson.trainer_notes)}

    return Reader(f"{reader.state}|trainer-notes", context)


def with_session_pack_link(reader: Reader, *, request, course) -> Reader:
    """The course's reader, plus the link to its session pack for those who may open it (a
    reader state of their own, like the notes)."""
    if not may_see_trainer_notes(user=request.user):
        return reader

    def context() -> dict:
        url = reverse("courses:session_pack", args=[course.pk])
        return {**reader.context(), "session_pack_url": url}

    return Reader(f"{reader.state}|session-pack", context)
