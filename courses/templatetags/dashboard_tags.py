"""The completion dashboard's tables and the learner list, written in Python: a page shows fifty
rows of six cells, each cell a link, and the template language's lookups, `{% url %}` and
filters per cell took most of the page's time. Plain string building over the standard
library's escape (as the cascade page does), marked safe once."""

import datetime
import functools
from html import escape

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


def _percent(part: int, whole: int) -> str:
    # As `{% widthratio %}` rounds it.
    return f"{round(part * 100 / whole) if whole else 0}%"


@register.simple_tag
def completion_rows(rows, by: str) -> SafeString:
    """The completion table's rows: the breakdown's label (leading to the dashboard narrowed
    to it), the course, and each figure leading to the learners behind it."""
    learners = escape(reverse("courses:dashboard_learners"))
    track = f' <span class="tag">{escape(_("Track"))}</span>'
    parts: list[str] = []
    for row in rows:
        links = row.links
        course = escape(row.course) + (track if row.is_track else "")
        if by == "course":
            first = f"<td data-label>{course}</td>"
        else:
            first = (
                f'<th scope="row" data-label><a href="{escape(links["narrow"])}">'
                f"{escape(str(row.label))}</a></th><td>{course}</td>"
            )
        parts.append(
            f"<tr>{first}"
            f'<td data-value="{row.enrolled}"><a href="{learners}{escape(links["enrolled"])}">'
            f"{row.enrolled}</a></td>"
            f'<td><a href="{learners}{escape(links["in_progress"])}">{row.in_progress}</a></td>'
            f'<td data-value="{row.completed}"><a href="{learners}'
            f'{escape(links["completed"])}">{row.completed}</a></td>'
            f"<td>{_percent(row.completed, row.enrolled)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def month_rows(months) -> SafeString:
    """The months table's rows, each figure leading to the learners behind it."""
    learners = escape(reverse("courses:dashboard_learners"))
    parts: list[str] = []
    for month in months:
        links = month.links
        parts.append(
            f'<tr><th scope="row" data-label>{month.month:%Y-%m}</th>'
            f'<td data-value="{month.enrolments}"><a href="{learners}'
            f'{escape(links["enrolments"])}">{month.enrolments}</a></td>'
            f'<td data-value="{month.completions}"><a href="{learners}'
            f'{escape(links["completions"])}">{month.completions}</a></td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def learner_rows(rows) -> SafeString:
    """The learner list's rows: who, where, which course, and their dates."""
    language = get_language()

    def day(moment) -> str:
        return _short_date(language, timezone.localtime(moment).date()) if moment else DASH

    parts: list[str] = []
    for row in rows:
        user = row.user
        organisation = row.organisation.name if row.organisation else ""
        cohort = row.cohort.name if row.cohort else ""
        parts.append(
            f'<tr><th scope="row">{escape(user.display_name)}<br>'
            f'<span class="muted">{escape(user.email)}</span></th>'
            f"<td>{escape(organisation) or DASH}</td><td>{escape(cohort) or DASH}</td>"
            f"<td>{escape(row.course_title)}</td><td>{day(row.enrolled_at)}</td>"
            f"<td>{int(row.lessons_done)}</td><td>{day(row.completed_at)}</td>"
            f"<td>{day(row.last_activity_at)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def choice_options(choices, selected) -> SafeString:
    """A filter's `<option>`s from (value, label) pairs, the one equal to `selected` chosen:
    the country list holds sixty, and a template loop took a tenth of the page's time."""
    parts: list[str] = []
    for value, label in choices:
        chosen = " selected" if value == selected else ""
        parts.append(f'<option value="{escape(str(value))}"{chosen}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@functools.lru_cache(maxsize=8192)
def _short_date(language: str, day: datetime.date) -> str:
    """`day` as `{{ day|date:"SHORT_DATE_FORMAT" }}` writes it in `language` (the active one),
    escaped: worked out once per process, not for each of a page's 150 dates."""
    return escape(formats.date_format(day, "SHORT_DATE_FORMAT"))
