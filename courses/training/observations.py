"""Observed sessions: a master trainer rates a session a candidate delivered, on a versioned
rubric.

The rules, checked before anything is written (a refused record writes nothing):

- The observer is not the candidate, holds a master trainer certification in force today and
  on the session's date, and did not co-deliver the session: they are neither one of its
  co-trainers nor, for a session of a cohort, the cohort's trainer or a co-trainer.
- The candidate is a verified member of an organisation; for a session of a cohort, they are
  its trainer or one of its co-trainers, and the date is the classroom session's.
- Every criterion of the rubric gets a score on its scale; a session passes when each score
  reaches its criterion's threshold and the average reaches the overall threshold.
- The form carries a one-time token: submitted twice, the rubric is recorded once.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cms.accounts.selectors import current_membership

from ..models import ObservationScore, ObservedSession, Rubric
from . import certification

# Version 1 of the rubric, written to the database the first time a rubric is needed. The
# thresholds are rubric data, not settings: changing them is a new version, so that every
# record keeps being judged by the rubric it was rated on.
RUBRIC_V1 = {
    "overall_threshold": Decimal("3.00"),
    "criteria": [
        {
            "key": "preparation",
            "label": gettext_noop("Preparation"),
            "description": gettext_noop(
                "Session plan, materials and room ready; the national law and contacts "
                "checked beforehand."
            ),
            "threshold": 2,
        },
        {
            "key": "accuracy",
            "label": gettext_noop("Accuracy"),
            "description": gettext_noop(
                "What is taught matches the course and its sources; questions answered "
                "correctly or honestly left open."
            ),
            "threshold": 2,
        },
        {
            "key": "scenario",
            "label": gettext_noop("Running the scenario"),
            "description": gettext_noop(
                "The scenario is set up clearly, every participant takes part, and the "
                "debrief draws out the indicators and the right response."
            ),
            "threshold": 2,
        },
        {
            "key": "inclusiveness",
            "label": gettext_noop("Inclusiveness"),
            "description": gettext_noop(
                "Every participant is heard; no one dominates; difficult disclosures and "
                "upsetting moments are handled with care and respect for rights."
            ),
            "threshold": 2,
        },
        {
            "key": "timing",
            "label": gettext_noop("Timing"),
            "description": gettext_noop(
                "The session keeps to its plan and its length, and ends with the key points."
            ),
            "threshold": 2,
        },
    ],
}

SCORES = range(Rubric.SCORE_MIN, Rubric.SCORE_MAX + 1)


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    description: str
    threshold: int


def criteria_of(rubric: Rubric) -> list[Criterion]:
    """The rubric's criteria, with their label and description in the reader's language."""
    return [
        Criterion(c["key"], _(c["label"]), _(c["description"]), int(c["threshold"]))
        for c in rubric.criteria
    ]


def rubric_current() -> Rubric:
    """The latest version of the rubric; version 1 is written on first use."""
    rubric = Rubric.objects.order_by("-version").first()
    if rubric is None:
        rubric, _created = Rubric.objects.get_or_create(version=1, defaults=RUBRIC_V1)
    return rubric


def rubric_publish(*, criteria: list[dict], overall_threshold: Decimal) -> Rubric:
    """A new version of the rubric; earlier versions and what they rated stay as they were."""
    errors = _rubric_errors(criteria, Decimal(overall_threshold))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = Rubric.objects.select_for_update().order_by("-version").first()
        version = latest.version + 1 if latest else 1
        return Rubric.objects.create(
            version=version, criteria=criteria, overall_threshold=overall_threshold
        )


def _rubric_errors(criteria, overall) -> list[str]:
    errors = []
    keys = [c.get("key") for c in criteria]
    if not criteria or len(set(keys)) != len(keys) or not all(keys):
        errors.append(_("Each criterion needs a key of its own."))
    for c in criteria:
        if not c.get("label") or c.get("threshold") not in SCORES:
            errors.append(_("Criterion %(key)s needs a label and a threshold from 1 to 4.") % c)
    if not Rubric.SCORE_MIN <= overall <= Rubric.SCORE_MAX:
        errors.append(_("The overall threshold is an average from 1 to 4."))
    return errors


def observed_session_record(
    *,
    candidate,
    observer,
    date: datetime.date,
    course,
    rubric: Rubric,
    scores: dict[str, int],
    notes: dict[str, str] | None = None,
    token: uuid.UUID,
    lesson=None,
    classroom_session=None,
    co_trainers=(),
    comment: str = "",
    today: datetime.date | None = None,
) -> tuple[ObservedSession, bool]:
    """Record a rated session: `(record, True)`, or `(the earlier record, False)` for a token
    already used. Raises ValidationError, with every reason, and writes nothing when the rules
    refuse it."""
    existing = ObservedSession.objects.filter(token=token).first()
    if existing is not None:
        return _same_submission(existing, observer)
    today = today or certification.today()
    co_trainers = list(co_trainers)
    errors = [
        *_people_errors(candidate, observer, date, co_trainers, today),
        *_taught_errors(candidate, observer, date, course, lesson, classroom_session),
        *_score_errors(rubric, scores),
    ]
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    overall, passed = grade(rubric, scores)
    membership = current_membership(user=candidate)
    try:
        with transaction.atomic():
            record = ObservedSession.objects.create(
                candidate=candidate,
                observer=observer,
                organisation=membership.organisation,
                date=date,
                course=course,
                lesson=lesson,
                classroom_session=classroom_session,
                rubric=rubric,
                overall=overall,
                passed=passed,
                comment=comment.strip(),
                token=token,
                recorded_by=observer,
            )
            ObservationScore.objects.bulk_create(
                ObservationScore(
                    session=record,
                    criterion=c.key,
                    score=int(scores[c.key]),
                    note=((notes or {}).get(c.key) or "").strip(),
                )
                for c in criteria_of(rubric)
            )
            record.co_trainers.set(co_trainers)
    except IntegrityError:
        # The same form, submitted twice at once: the other submission won.
        existing = ObservedSession.objects.filter(token=token).first()
        if existing is None:
            raise
        return _same_submission(existing, observer)
    return record, True


def grade(rubric: Rubric, scores: dict[str, int]) -> tuple[Decimal, bool]:
    """The average and whether the session passed: each criterion and the average reach their
    thresholds."""
    criteria = criteria_of(rubric)
    overall = Decimal(sum(int(scores[c.key]) for c in criteria)) / len(criteria)
    overall = overall.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    each = all(int(scores[c.key]) >= c.threshold for c in criteria)
    return overall, each and overall >= rubric.overall_threshold


def _same_submission(existing: ObservedSession, observer) -> tuple[ObservedSession, bool]:
    if existing.observer_id != observer.pk:
        raise ValidationError(_("This form has already been used. Open it again."))
    return existing, False


def _people_errors(candidate, observer, date, co_trainers, today) -> list[str]:
    errors = []
    if date > today:
        errors.append(_("The session's date is in the future."))
    if candidate.pk == observer.pk:
        errors.append(_("Nobody can observe their own session."))
    elif not certification.held_on(
        user=observer, level=certification.Level.MASTER, on=date, today=today
    ):
        errors.append(
            _(
                "Only a master trainer whose certification is in force, and was on the "
                "session's date, can observe a session."
            )
        )
    if any(person.pk == observer.pk for person in co_trainers):
        errors.append(_("The observer co-delivered this session and cannot rate it."))
    if any(person.pk == candidate.pk for person in co_trainers):
        errors.append(_("The candidate is not one of their own co-trainers."))
    membership = current_membership(user=candidate)
    if membership is None or not membership.is_verified:
        errors.append(_("The candidate must be a verified member of an organisation."))
    return errors


def _taught_errors(candidate, observer, date, course, lesson, classroom_session) -> list[str]:
    errors = []
    if lesson is not None and not lesson.path.startswith(course.path):
        errors.append(_("The lesson is not one of the course's lessons."))
    if classroom_session is None:
        return errors
    cohort = classroom_session.cohort
    teachers = {cohort.trainer_id, *cohort.co_trainers.values_list("pk", flat=True)}
    if observer.pk in teachers:
        errors.append(_("The observer co-delivered this session and cannot rate it."))
    if candidate.pk not in teachers:
        errors.append(_("The candidate is not a trainer of this cohort."))
    if classroom_session.date != date:
        errors.append(
            _("The classroom session took place on %(day)s.") % {"day": classroom_session.date}
        )
    return errors


def _score_errors(rubric: Rubric, scores: dict[str, int]) -> list[str]:
    errors = []
    keys = {c.key for c in criteria_of(rubric)}
    for c in criteria_of(rubric):
        value = scores.get(c.key)
        if not isinstance(value, int) or value not in SCORES:
            errors.append(_("Score %(criterion)s from 1 to 4.") % {"criterion": c.label})
    if set(scores) - keys:
        errors.append(_("Some scores are for criteria this rubric does not have."))
    return errors
