"""The dashboards' tables written in Python: the completion table, the months, the learner
list, the stalled learners, the trainers and the competency analytics. A page shows fifty rows
of six to nine cells, each cell a link or a date, and the template language's lookups,
`{% url %}`, translations and filters per cell took most of the page's time (54 ms for the
stalled rows, 7 ms in Python). Plain string building over the standard library's escape (as
the cascade page does), marked safe once."""

import datetime
import functools
from html import escape
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext as _

from cms.home.templatetags.flightpath_tags import link

from ..dashboards.selectors import learner_name
from ..dashboards.trainers import holder_name

register = template.Library()

DASH = "—"


def _share(part: int, whole: int) -> int:
    # As `{% widthratio %}` rounds it.
    return round(part * 100 / whole) if whole else 0


def _percent(part: int, whole: int) -> str:
    return f"{_share(part, whole)}%"


@register.simple_tag
def completion_rows(rows, by: str) -> SafeString:
    """The completion table's rows: the breakdown's label (leading to the dashboard narrowed
    to it), the course, and each figure leading to the learners behind it."""
    learners = escape(reverse("courses:dashboard_learners"))
    track = escape(_("Track"))  # outside the f-string, where makemessages finds it
    track = f' <span class="tag">{track}</span>'
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
    zone = timezone.get_current_timezone()  # looked up once, not for each of 60 dates

    def day(moment) -> str:
        return _short_date(language, moment.astimezone(zone).date()) if moment else DASH

    parts: list[str] = []
    for row in rows:
        organisation = row.organisation_name or ""
        cohort = row.cohort_name or ""
        parts.append(
            f'<tr><th scope="row">{escape(learner_name(row))}<br>'
            f'<span class="muted">{escape(row.learner_email)}</span></th>'
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


@register.simple_tag
def value_options(values, selected) -> SafeString:
    """`<option>`s whose label is their value (the programmes' identifiers), the one equal to
    `selected` chosen."""
    return choice_options([(value, value) for value in values], selected)


@register.simple_tag
def on_page_inputs(rows) -> SafeString:
    """The stalled learners of the page shown (each `row.key`), as hidden inputs: the reminder
    form's "every learner of this page"."""
    return mark_safe(  # noqa: S308 every value escaped as it is added
        "".join(f'<input type="hidden" name="on_page" value="{escape(row.key)}">' for row in rows)
    )


@functools.lru_cache(maxsize=8192)
def _short_date(language: str, day: datetime.date) -> str:
    """`day` as `{{ day|date:"SHORT_DATE_FORMAT" }}` writes it in `language` (the active one),
    escaped: worked out once per process, not for each of a page's 150 dates."""
    return escape(formats.date_format(day, "SHORT_DATE_FORMAT"))


def _time(moment, zone, language: str) -> str:
    """As `{{ moment|date:"c" }}` and `{{ moment|date:"SHORT_DATE_FORMAT" }}` write it, the
    time zone looked up once per table and each day's date written once per process."""
    if moment is None:
        return DASH
    local = moment.astimezone(zone)
    return (
        f'<time datetime="{escape(local.isoformat())}">{_short_date(language, local.date())}</time>'
    )


@register.simple_tag
def stalled_rows(rows) -> SafeString:
    """A row per stalled enrolment: its checkbox, learner, organisation, cohort, course,
    lessons done, where they stopped, last activity and last reminder."""
    parts: list[str] = []
    not_started = escape(gettext("Not started"))
    remind_text = gettext("Remind %(name)s about %(course)s")
    zone, language = timezone.get_current_timezone(), get_language()
    for row in rows:
        name = learner_name(row)
        remind = remind_text % {
            "name": escape(name),
            "course": escape(row.course_title),
        }
        organisation = row.organisation_name or ""
        cohort = row.cohort_name or ""
        stopped = escape(row.last_lesson_title) if row.last_lesson_id else not_started
        parts.append(
            "<tr>"
            f'<td><label class="select-cell"><input type="checkbox" name="learner"'
            f' value="{escape(row.key)}"><span class="visually-hidden">{remind}</span></label></td>'
            f'<th scope="row">{escape(name)}<br><span class="muted">{escape(row.learner_email)}'
            "</span></th>"
            f"<td>{escape(organisation) or DASH}</td>"
            f"<td>{escape(cohort) or DASH}</td>"
            f"<td>{escape(row.course_title)}</td>"
            f"<td>{int(row.lessons_done)}</td>"
            f"<td>{stopped}</td>"
            f"<td>{_time(row.last_activity_at, zone, language)}</td>"
            f"<td>{_time(row.reminded_at, zone, language)}</td>"
            "</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def critical_learner_rows(rows) -> SafeString:
    """A row per learner who failed a scenario on a critical choice: who, their organisation
    and when their attempt was graded."""
    language = get_language()
    zone = timezone.get_current_timezone()  # looked up once, not for each of fifty dates
    parts: list[str] = []
    for row in rows:
        graded = row.submitted_at.astimezone(zone).date()
        parts.append(
            f'<tr><th scope="row">{escape(learner_name(row))}<br>'
            f'<span class="muted">{escape(row.learner_email)}</span></th>'
            f"<td>{escape(row.organisation_name) or DASH}</td>"
            f"<td>{_short_date(language, graded)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def trainer_rows(rows) -> SafeString:
    """A row per trainer certification: holder, organisation, level, standing, validity,
    cohorts taught and learners reached directly and downstream."""
    parts: list[str] = []
    language = get_language()
    levels: dict[str, str] = {}  # each level and standing translated once, not once a row
    standings: dict[str, str] = {}
    for row in rows:
        if row.level not in levels:
            levels[row.level] = escape(str(row.get_level_display()))
        if row.standing not in standings:
            standings[row.standing] = escape(str(row.standing_label))
        parts.append(
            "<tr>"
            f'<th scope="row">{escape(holder_name(row) or row.holder_email)}<br>'
            f'<span class="muted">{escape(row.holder_email)}</span></th>'
            f"<td>{escape(row.organisation_name or '') or DASH}</td>"
            f"<td>{levels[row.level]}</td>"
            f'<td><span class="tag tag--{escape(row.standing)}">'
            f"{standings[row.standing]}</span></td>"
            f"<td>{_short_date(language, row.valid_from) if row.valid_from else DASH}</td>"
            f"<td>{_short_date(language, row.valid_until) if row.valid_until else DASH}</td>"
            f"<td>{int(row.cohorts_taught)}</td>"
            f"<td>{int(row.direct_learners)}</td>"
            f"<td>{int(row.downstream_learners)}</td>"
            "</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


# Reversed once per table, then replaced by each programme's identifier.
_IDENTIFIER = "programme-identifier"


@register.simple_tag
def programme_rows(rows) -> SafeString:
    """A row per programme: its record in the registry, title, cohorts, participants trained,
    completions, certified trainers and its completion dashboard (`row.completion_url`)."""
    detail = reverse("programs:detail", args=[_IDENTIFIER])
    completion = escape(gettext("Completion"))
    completion_in = gettext("Completion in %(programme)s")
    parts: list[str] = []
    for row in rows:
        # Quoted as `reverse` quotes an argument of a path.
        url = detail.replace(_IDENTIFIER, quote(row.identifier, safe=RFC3986_SUBDELIMS + "~:@"))
        language = f' lang="{escape(row.language)}"' if row.language else ""
        parts.append(
            "<tr>"
            f'<th scope="row" data-label><a href="{escape(url)}">{escape(row.identifier)}</a></th>'
            f"<td{language}>{escape(row.title)}</td>"
            f"<td>{int(row.cohorts)}</td>"
            f'<td data-value="{int(row.participants_trained)}">{int(row.participants_trained)}</td>'
            f'<td data-value="{int(row.completions)}">{int(row.completions)}</td>'
            f'<td data-value="{int(row.certified_trainers)}">{int(row.certified_trainers)}</td>'
            f'<td><a href="{escape(row.completion_url)}"'
            f' aria-label="{escape(completion_in % {"programme": row.identifier})}">'
            f"{completion}</a></td>"
            "</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


# The competency analytics: a breakdown of fifty rows, the questions most missed, and every
# step and choice of each scenario taken (hundreds of rows at scale). Their texts are quiz
# authors' words, escaped as the template would (`_escaped`: a text already marked safe is
# kept as it is).


def _escaped(text) -> str:
    """`text` as `conditional_escape` writes it (as it is if marked safe, else escaped, a
    lazy translation in the active language), without the lazy-aware wrapper that made its
    six hundred calls a tenth of the competency page."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(str(text))


def _as_written(text) -> str:
    """A quiz's words as its author wrote them, in the site's source language: marked so, and
    isolated, so that on a right-to-left page an English question keeps its question mark at
    its end."""
    if type(text) is str:  # a quiz's words: the same few hundred at every view
        return _written(text, settings.LANGUAGE_CODE)
    return f'<span lang="{settings.LANGUAGE_CODE}" dir="auto">{_escaped(text)}</span>'


@functools.lru_cache(maxsize=4096)
def _written(text: str, language: str) -> str:
    return f'<span lang="{language}" dir="auto">{escape(text)}</span>'


@register.simple_tag
def competency_total_rows(totals) -> SafeString:
    """Each competency's answers, weakest first, leading to the questions most often missed."""
    parts: list[str] = []
    for total in totals:
        percent = _share(total.full_marks, total.answers)
        parts.append(
            f'<tr><th scope="row" data-label><a href="{_escaped(total.link)}">'
            f"{_escaped(total.competency)}</a></th>"
            f"<td>{total.answers}</td><td>{total.full_marks}</td>"
            f'<td data-value="{percent}">{percent}%</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def competency_rows(rows) -> SafeString:
    """The breakdown's rows: the competency (to its questions) and the label (narrowing to it)."""
    parts: list[str] = []
    for row in rows:
        parts.append(
            f'<tr><th scope="row"><a href="{_escaped(row.links["questions"])}">'
            f"{_escaped(row.competency)}</a></th>"
            f'<td><a href="{_escaped(row.links["narrow"])}">'
            f"{_escaped(row.label)}</a></td>"
            f"<td>{row.answers}</td><td>{row.full_marks}</td>"
            f"<td>{_percent(row.full_marks, row.answers)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def missed_rows(missed) -> SafeString:
    """The questions most often missed: prompt, quiz, competencies, answers and misses."""
    parts: list[str] = []
    for question in missed:
        tags = ", ".join(_escaped(tag) for tag in question.competencies) or DASH
        parts.append(
            f'<tr><th scope="row">{_as_written(question.prompt)}</th>'
            f"<td>{_as_written(question.quiz)}</td><td>{tags}</td>"
            f"<td>{question.answers}</td><td>{question.missed}</td>"
            f"<td>{_percent(question.missed, question.answers)}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def scenario_step_rows(steps) -> SafeString:
    """A scenario's steps, each a `<tbody>` whose first row names the step for all its
    choices: the choice, whether it is critical, how often it was taken and its share."""
    critical = escape(_("Critical"))  # outside the f-string, where makemessages finds it
    critical = f' <span class="tag">{critical}</span>'
    parts: list[str] = []
    for step in steps:
        parts.append("<tbody>")
        for n, choice in enumerate(step.choices):
            heading = (
                f'<th scope="rowgroup" rowspan="{len(step.choices)}">'
                f"{_as_written(step.prompt)}</th>"
                if n == 0
                else ""
            )
            parts.append(
                f"<tr>{heading}<td>{_as_written(choice.text)}"
                f"{critical if choice.critical else ''}</td><td>{choice.taken}</td>"
                f"<td>{_percent(choice.taken, step.answers)}</td></tr>"
            )
        parts.append("</tbody>")
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def scenario_sections(scenarios, query: str) -> SafeString:
    """Each scenario taken, as a section: its title (the author's words), how many learners
    took it and how many failed on a critical choice (leading to them, with the page's
    filters), and its steps' table (`scenario_step_rows`). In the template, the loop and its
    two plural translations a scenario took as long as all the scenarios' rows."""
    # The site's own translations are written as the template writes them: as they are.
    headings = "".join(
        f'<th scope="col">{heading}</th>'
        for heading in (_("Step"), _("Choice"), _("Taken"), _("Share of the step’s answers"))
    )
    query = escape(query)
    parts: list[str] = []
    for scenario in scenarios:
        section = f"scenario-{scenario.quiz_id}"
        critical_url = escape(link("courses:dashboard_competency_critical", scenario.quiz_id))
        took = ngettext(
            "%(counter)s learner took this scenario.",
            "%(counter)s learners took this scenario.",
            scenario.learners,
        ) % {"counter": scenario.learners}
        failed = ngettext(
            "%(counter)s failed on a critical choice.",
            "%(counter)s failed on a critical choice.",
            scenario.critical_learners,
        ) % {"counter": scenario.critical_learners}
        parts.append(
            f'<section class="dashboard-section" aria-labelledby="{section}">'
            f'<h3 id="{section}">{_as_written(scenario.title)}</h3>'
            f'<p>{took} <a href="{critical_url}?{query}">{failed}</a></p>'
            f'<div class="table-scroll" tabindex="0" role="region" aria-labelledby="{section}">'
            f'<table class="dashboard-table"><thead><tr>{headings}</tr></thead>'
            f"{scenario_step_rows(scenario.steps)}</table></div></section>"
        )
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added
