"""Stalled learners: enrolled, not completed, and quiet for a number of days; and the reminders
a coordinator sends them.

A reminder is claimed in the `Reminder` row of the learner and course (one row each, unique),
by one UPDATE that only succeeds when the last reminder is older than `QUIET_DAYS`, or by
creating the row: two coordinators, or a submit clicked twice, never both claim it. The e-mail
is a `Notification` (one per learner, whatever the number of courses), queued on the `queue`
backend once the transaction commits, and written in the learner's language.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.home.translations import in_language

from ..models import CoursePage, Notification, Reminder
from ..training import notifications
from .selectors import Filters, ProgressRow, ProgressRows, Scope, course_titles, progress_in

DEFAULT_DAYS = 30
MIN_DAYS = 1
MAX_DAYS = 3650
QUIET_DAYS = 7
MAX_PER_REMINDER = 200  # learners' enrolments in one submit: a page and then some
# The page counts stalled enrolments up to this many (twenty pages); beyond, it says “more
# than” and the export holds them all. Counting every one of 200,000 quiet enrolments took a
# second and a half per view.
COUNT_UP_TO = 1000


def days_from(params) -> int:
    """The `days` filter: whole days from MIN_DAYS to MAX_DAYS, DEFAULT_DAYS when absent;
    anything else is not found, like every malformed filter."""
    value = (params.get("days") or "").strip()
    if not value:
        return DEFAULT_DAYS
    if (
        not (value.isascii() and value.isdigit())
        or len(value) > 5
        or not MIN_DAYS <= int(value) <= MAX_DAYS
    ):
        raise Http404
    return int(value)


def cutoff(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=days)


class Stalled(ProgressRows):
    """The progress rows in the reader's scope and filters not completed and with no activity
    for `days` days, the quietest first, along the partial indexes `progress_open_*quiet` of
    the rows not completed."""

    order = ("last_activity_at", "user_id", "course_id")

    def __init__(self, *, scope: Scope, filters: Filters, days: int, now=None):
        super().__init__(scope=scope, filters=filters)
        self.rows.add("completed_at IS NULL")
        self.rows.add(
            "last_activity_at < %s", connection.ops.adapt_datetimefield_value(cutoff(days, now))
        )

    def count_up_to(self, limit: int = COUNT_UP_TO) -> int:
        return super().count_up_to(limit)


def annotate_page(rows: list[ProgressRow]) -> None:
    """Give each row of a page its course's title (kept per content generation) and its last
    reminder. One query."""
    users = {row.user_id for row in rows}
    courses = {row.course_id for row in rows}
    titles = course_titles(courses)
    reminded = {
        (user_id, course_id): sent_at
        for user_id, course_id, sent_at in Reminder.objects.filter(
            user_id__in=users, course_id__in=courses
        ).values_list("user_id", "course_id", "sent_at")
    }
    for row in rows:
        row.course_title = titles.get(row.course_id, "")
        row.reminded_at = reminded.get((row.user_id, row.course_id))


def parse_keys(values: list[str]) -> list[tuple[int, int]]:
    """Learner-and-course keys as the page posts them ("12-34"); a malformed one, or too many,
    is not found."""
    keys = []
    for value in values:
        user, sep, course = value.partition("-")
        if (
            not sep
            or not (user.isascii() and user.isdigit())
            or not (course.isascii() and course.isdigit())
            or max(len(user), len(course)) > 12
        ):
            raise Http404
        keys.append((int(user), int(course)))
    if len(keys) > MAX_PER_REMINDER:
        raise Http404
    return list(dict.fromkeys(keys))


@dataclass
class Skipped:
    user: object
    course: str
    reason: str


@dataclass
class Outcome:
    sent: list = field(default_factory=list)  # (user, [course titles])
    skipped: list[Skipped] = field(default_factory=list)


def send_reminders(*, scope: Scope, keys: list[tuple[int, int]], by, days: int, now=None):
    """Remind the learners of `keys` (learner and course) about their courses. Every key must be
    a progress row in the reader's scope, else nothing is sent and it is not found. A learner
    who completed, came back within `days`, or was reminded about the course in the last
    QUIET_DAYS is skipped, with the reason."""
    now = now or timezone.now()
    wanted = set(keys)
    rows = {
        (row.user_id, row.course_id): row
        for row in progress_in(scope)
        .filter(user_id__in={u for u, _c in wanted}, course_id__in={c for _u, c in wanted})
        .select_related("user", "last_lesson")
    }
    if not wanted or wanted - rows.keys():
        raise Http404
    courses = {
        page.pk: page
        for page in CoursePage.objects.filter(pk__in={c for _u, c in wanted}).specific()
    }
    titles = {pk: page.title for pk, page in courses.items()}
    outcome = Outcome()
    quiet_since = now - datetime.timedelta(days=QUIET_DAYS)
    by_user: dict[int, list] = {}
    with transaction.atomic():
        for key in keys:
            row = rows[key]
            title = titles.get(row.course_id, "")
            reason = _skip_reason(row, days=days, now=now, quiet_since=quiet_since, by=by)
            if reason:
                outcome.skipped.append(Skipped(row.user, title, reason))
                continue
            by_user.setdefault(row.user_id, [row.user, []])[1].append(row)
        for user_id, (user, reminded) in by_user.items():
            notifications.notify(
                user=user,
                kind=Notification.Kind.STALLED_REMINDER,
                key=f"stalled_reminder:{user_id}:{now.isoformat()}",
                courses=_in_language(reminded, courses, user.language or settings.LANGUAGE_CODE),
                url=settings.FLIGHTPATH_SITE_ORIGIN + reverse("courses:my_learning"),
            )
            outcome.sent.append((user, [titles.get(row.course_id, "") for row in reminded]))
    return outcome


def _in_language(rows, courses: dict, language: str) -> list[dict]:
    """Each row's course, and the lesson the learner stopped after, named as a reader of
    `language` reads them (their live translation's title where there is one)."""
    pages = [courses[row.course_id] for row in rows if row.course_id in courses]
    lessons = [row.last_lesson for row in rows if row.last_lesson]
    shown = {page.pk: page.title for page in in_language(pages + lessons, language)}
    return [
        {
            "title": shown.get(row.course_id, ""),
            "stopped": shown.get(row.last_lesson_id, "") if row.last_lesson_id else "",
        }
        for row in rows
    ]


def _skip_reason(row, *, days, now, quiet_since, by) -> str:
    if row.completed_at is not None:
        return _("completed the course")
    if row.last_activity_at >= cutoff(days, now):
        return _("active in the last %(days)s days") % {"days": days}
    claimed = Reminder.objects.filter(
        user_id=row.user_id, course_id=row.course_id, sent_at__lt=quiet_since
    ).update(sent_at=now, sent_by=by, times=F("times") + 1)
    if claimed:
        return ""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                user_id=row.user_id, course_id=row.course_id, sent_at=now, sent_by=by
            )
    except IntegrityError:
        last = (
            Reminder.objects.filter(user_id=row.user_id, course_id=row.course_id)
            .values_list("sent_at", flat=True)
            .first()
        )
        day = timezone.localdate(last) if last else timezone.localdate(now)
        return _("already reminded on %(day)s; one reminder a week at most") % {
            "day": day.isoformat()
        }
    return ""
