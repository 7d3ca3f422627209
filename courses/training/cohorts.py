"""Writes about cohorts and classroom sessions.

Each checks who is asking (the views check too) and is all or nothing: bad input raises a
`ValidationError` naming what is wrong, and writes nothing. A double submission writes once:
learners, attendance and completions are unique rows, and a cohort or a session identical to
one just created is refused. Rules:

- A cohort is opened in the opener's own organisation by a coordinator or by a trainer whose
  certification is in force; its trainer is a verified member of the organisation whose
  certification is in force; co-trainers are verified members of it.
- Learners are verified members of the cohort's organisation; adding one enrols them in the
  cohort's course (or track).
- Sessions, attendance and lessons completed in class are recorded by the cohort's trainer or
  a co-trainer whose certification is in force. Those whose certification has lapsed keep
  what they recorded, and record nothing more.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cms.accounts.models import Membership, Organisation
from cms.accounts.services import csv_rows

from ..dashboards import results
from ..dashboards.summaries import progress_refresh
from ..models import (
    Attendance,
    ClassroomSession,
    Cohort,
    CohortMember,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
)
from ..services import course_completion_update
from . import cohort_events
from .cohort_selectors import (
    airport_by_code,
    cohort_access,
    cohort_lessons,
    cohort_opening,
    organisation_verified_members,
    teaching_user_ids,
)
from .programme_selectors import may_link

# Cohorts

UNCHANGED = object()


def cohort_create(
    *,
    by,
    course: CoursePage,
    name: str,
    language: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    trainer=None,
    co_trainers: Iterable = (),
    programme=None,
) -> Cohort:
    """Open a cohort in `by`'s organisation; `by` leads it unless another trainer is named.
    `programme` is the registry's programme it is delivered under, if any."""
    organisation, reason = cohort_opening(user=by)
    if organisation is None:
        raise PermissionDenied(reason)
    trainer = trainer or by
    co_trainers = list(co_trainers)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if Cohort.objects.filter(
            organisation=organisation, course=course, name=name, starts_on=starts_on
        ).exists():
            raise ValidationError(
                _("This cohort is already open: %(name)s, from %(day)s.")
                % {"name": name, "day": date_format(starts_on)}
            )
        cohort = Cohort(
            organisation=organisation,
            course=course,
            name=name,
            language=language,
            starts_on=starts_on,
            ends_on=ends_on,
            trainer=trainer,
            created_by=by,
        )
        _check_programme(by, programme, current_id=None)
        cohort.programme = programme
        _check_leaders(cohort, co_trainers)
        cohort.full_clean()
        cohort.save()
        cohort.co_trainers.set(co_trainers)
        if programme is not None:
            results.cohorts_refresh([programme.pk])
    return cohort


def cohort_update(
    *,
    cohort: Cohort,
    by,
    name: str,
    language: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    trainer,
    co_trainers: Iterable = (),
    programme=UNCHANGED,
) -> Cohort:
    """Change a cohort's details; its course stays (its sessions cover lessons of it). The
    programme it is delivered under stays unless `programme` is given (None for none)."""
    if not cohort_access(user=by, cohort=cohort).manage:
        raise PermissionDenied(_("You cannot change this cohort."))
    co_trainers = list(co_trainers)
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        outside = (
            ClassroomSession.objects.filter(cohort=cohort)
            .exclude(date__range=(starts_on, ends_on))
            .order_by("date")
            .first()
        )
        if outside is not None and starts_on <= ends_on:
            raise ValidationError(
                {
                    "starts_on": _(
                        "The session of %(day)s would fall outside these dates: "
                        "move or keep it inside them."
                    )
                    % {"day": date_format(outside.date)}
                }
            )
        trainer_changed = trainer.pk != cohort.trainer_id
        started_changed = starts_on != cohort.starts_on
        programme_changed = False
        left = cohort.programme_id
        if programme is not UNCHANGED:
            _check_programme(by, programme, current_id=cohort.programme_id)
            programme_changed = getattr(programme, "pk", None) != cohort.programme_id
            cohort.programme = programme
        cohort.name, cohort.language, cohort.trainer = name, language, trainer
        cohort.starts_on, cohort.ends_on = starts_on, ends_on
        _check_leaders(cohort, co_trainers, check_trainer=trainer_changed)
        cohort.full_clean()
        cohort.save()
        cohort.co_trainers.set(co_trainers)
        learners = cohort.members.values_list("user_id", flat=True)
        if trainer_changed or programme_changed:
            progress_refresh(user_ids=learners)
        elif started_changed and cohort.programme_id is not None:
            # Its learners certified since it started count as its programme's trainers.
            results.learners_refresh(learners)
        if programme_changed:
            results.cohort_moved(cohort=cohort, programme_ids=[left, cohort.programme_id])
    return cohort


def _check_programme(by, programme, *, current_id) -> None:
    """A cohort is delivered under a published programme its manager can see in the registry;
    the programme it is already under may stay."""
    if programme is not None and not may_link(user=by, programme=programme, current_id=current_id):
        raise ValidationError(
            {"programme": _("Choose a published programme of the registry that you can see.")}
        )


def _check_leaders(cohort: Cohort, co_trainers: list, check_trainer: bool = True) -> None:
    """A trainer kept on an edited cohort stays even if their certification has lapsed since:
    the cohort's history is theirs; a newly named one must be certified."""
    if cohort.starts_on and cohort.ends_on and cohort.ends_on < cohort.starts_on:
        raise ValidationError({"ends_on": _("The cohort cannot end before it starts.")})
    members = set(
        organisation_verified_members(organisation=cohort.organisation).values_list("pk", flat=True)
    )
    if check_trainer and (
        cohort.trainer_id not in members
        or cohort.trainer_id not in teaching_user_ids(user_ids=[cohort.trainer_id])
    ):
        raise ValidationError(
            {
                "trainer": _(
                    "%(person)s is not a certified trainer of %(organisation)s: the trainer "
                    "must be a verified member whose certification is in force."
                )
                % {"person": cohort.trainer, "organisation": cohort.organisation.name}
            }
        )
    for person in co_trainers:
        if person.pk == cohort.trainer_id:
            raise ValidationError({"co_trainers": _("The trainer cannot also be a co-trainer.")})
        if person.pk not in members:
            raise ValidationError(
                {
                    "co_trainers": _("%(person)s is not a verified member of %(organisation)s.")
                    % {"person": person, "organisation": cohort.organisation.name}
                }
            )


# Learners


@dataclass(frozen=True)
class LearnersAdded:
    added: int
    already: int  # already in the cohort, left as they were


def cohort_learner_add(*, cohort: Cohort, by, email: str) -> LearnersAdded:
    """Add one verified member of the cohort's organisation, by their e-mail address."""
    _require_manager(by, cohort)
    email = email.strip().lower()
    user = _learners_by_email(cohort, [email])[email]
    if isinstance(user, str):
        raise ValidationError(user)
    return _learners_add(cohort, [user], by)


def cohort_learners_add_from_csv(*, cohort: Cohort, by, data: bytes) -> LearnersAdded:
    """Add the learners of a CSV file: one e-mail address a row (further columns, such as a
    name, are ignored; a first row headed `email` is skipped). Any bad row refuses the whole
    file, naming each bad row and the reason. People already in the cohort are left as
    they are."""
    _require_manager(by, cohort)
    rows = _learner_rows(data)
    users = _learners_by_email(cohort, [email for _line, email in rows])
    errors = [
        _("Row %(n)d: %(reason)s") % {"n": line, "reason": users[email]}
        for line, email in rows
        if isinstance(users[email], str)
    ]
    if errors:
        raise ValidationError(errors)
    return _learners_add(cohort, [users[email] for _line, email in rows], by)


def _learner_rows(data: bytes) -> list[tuple[int, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValidationError(_("The file is not UTF-8 text.")) from e
    rows, errors, seen = [], [], set()
    for number, fields in csv_rows(text):
        if not any(f.strip() for f in fields):
            continue
        email = fields[0].strip().lower()
        if number == 1 and email in {"email", "e-mail"}:
            continue
        try:
            validate_email(email)
        except ValidationError:
            reason = _("“%(value)s” is not an e-mail address") % {"value": email}
        else:
            reason = _("%(email)s appears twice") % {"email": email} if email in seen else None
        if reason:
            errors.append(_("Row %(n)d: %(reason)s") % {"n": number, "reason": reason})
        else:
            rows.append((number, email))
            seen.add(email)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no learners in it."))
    return rows


def _learners_by_email(cohort: Cohort, emails: list[str]) -> dict:
    """Each e-mail address's person, or the reason they cannot be added (two queries)."""
    people = {
        person.email.lower(): person for person in get_user_model().objects.filter(email__in=emails)
    }
    verified = set(
        Membership.objects.filter(
            organisation_id=cohort.organisation_id,
            status=Membership.Status.VERIFIED,
            user__in=people.values(),
        ).values_list("user_id", flat=True)
    )
    found = {}
    for email in emails:
        person = people.get(email)
        if person is None:
            found[email] = _("nobody has an account with the e-mail address %(email)s") % {
                "email": email
            }
        elif person.pk not in verified:
            found[email] = _("%(email)s is not a verified member of %(organisation)s") % {
                "email": email,
                "organisation": cohort.organisation.name,
            }
        else:
            found[email] = person
    return found


def _learners_add(cohort: Cohort, users: list, by) -> LearnersAdded:
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        already = set(
            CohortMember.objects.filter(cohort=cohort, user__in=users).values_list(
                "user_id", flat=True
            )
        )
        new = [user for user in users if user.pk not in already]
        CohortMember.objects.bulk_create(
            [CohortMember(cohort=cohort, user=user, added_by=by) for user in new],
            ignore_conflicts=True,
        )
        Enrolment.objects.bulk_create(
            [Enrolment(user=user, course_id=cohort.course_id) for user in new],
            ignore_conflicts=True,
        )
        new_ids = [user.pk for user in new]
        progress_refresh(user_ids=new_ids)
        if new_ids:
            transaction.on_commit(
                lambda: cohort_events.learners_added(cohort=cohort, user_ids=new_ids, by=by)
            )
    return LearnersAdded(added=len(new), already=len(already))


# Classroom sessions


def classroom_session_create(
    *,
    cohort: Cohort,
    by,
    date: datetime.date,
    starts_at: datetime.time,
    duration_minutes: int,
    language: str,
    airport: str = "",
    venue: str = "",
    lessons: Iterable[LessonPage] = (),
) -> ClassroomSession:
    """Schedule a session of the cohort; refused outside the cohort's dates, at an unknown
    airport, or covering a lesson that is not the cohort's."""
    _require_teacher(by, cohort)
    session = ClassroomSession(cohort=cohort, created_by=by)
    return _session_save(
        session, by, date, starts_at, duration_minutes, language, airport, venue, lessons
    )


def classroom_session_update(
    *,
    session: ClassroomSession,
    by,
    date: datetime.date,
    starts_at: datetime.time,
    duration_minutes: int,
    language: str,
    airport: str = "",
    venue: str = "",
    lessons: Iterable[LessonPage] = (),
) -> ClassroomSession:
    """Change a session under the same rules as scheduling one. Lessons already recorded as
    completed in class at it stay recorded."""
    _require_teacher(by, session.cohort)
    return _session_save(
        session, by, date, starts_at, duration_minutes, language, airport, venue, lessons
    )


def _session_save(session, by, date, starts_at, duration, language, airport, venue, lessons):
    cohort = session.cohort
    lessons = list(lessons)
    code = (airport or "").strip().upper()
    found = airport_by_code(code) if code else None
    errors = {}
    if code and found is None:
        errors["airport"] = _("“%(code)s” is not the IATA code of an airport.") % {"code": code}
    if date and not cohort.starts_on <= date <= cohort.ends_on:
        errors["date"] = _(
            "The cohort runs from %(start)s to %(end)s: choose a date between them."
        ) % {"start": date_format(cohort.starts_on), "end": date_format(cohort.ends_on)}
    allowed = {lesson.pk for lesson in cohort_lessons(cohort=cohort)}
    strays = [lesson for lesson in lessons if lesson.pk not in allowed]
    if strays:
        errors["lessons"] = _("%(lesson)s is not a lesson of %(course)s.") % {
            "lesson": strays[0].title,
            "course": cohort.course.title,
        }
    if errors:
        raise ValidationError(errors)
    session.date, session.starts_at, session.duration_minutes = date, starts_at, duration
    session.language, session.venue, session.airport = language, venue.strip(), code
    session.country = found.country if found else cohort.organisation.country
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        twin = ClassroomSession.objects.filter(cohort=cohort, date=date, starts_at=starts_at)
        if twin.exclude(pk=session.pk).exists():
            raise ValidationError(
                _("This cohort already has a session on %(day)s at %(time)s.")
                % {"day": date_format(date), "time": starts_at.strftime("%H:%M")}
            )
        session.full_clean()
        session.save()
        session.lessons.set(lessons)
        transaction.on_commit(lambda: cohort_events.session_scheduled(session=session, by=by))
    return session


# Attendance and lessons completed in class


def attendance_record(*, session: ClassroomSession, by, statuses: Mapping[int, str]) -> int:
    """Record attendance for learners of the session's cohort, `{user id: status}`, all at
    once. Recording again changes the status in place. Returns the number of rows written."""
    _require_teacher(by, session.cohort)
    _require_held(session)
    if not statuses:
        raise ValidationError(_("Mark at least one learner present, absent or excused."))
    members = dict(
        CohortMember.objects.filter(cohort_id=session.cohort_id)
        .values_list("user_id", "user__email")
        .order_by()
    )
    strangers = sorted(user_id for user_id in statuses if user_id not in members)
    if strangers:
        raise ValidationError(
            _(
                "Attendance can only be taken for learners in this cohort; person %(id)s is "
                "not one. Nothing was recorded: reload the page and try again."
            )
            % {"id": strangers[0]}
        )
    wrong = [status for status in statuses.values() if status not in Attendance.Status.values]
    if wrong:
        raise ValidationError(
            _("“%(value)s” is not present, absent or excused. Nothing was recorded.")
            % {"value": wrong[0]}
        )
    now = timezone.now()
    with transaction.atomic():
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    user_id=user_id,
                    status=status,
                    recorded_by=by,
                    recorded_at=now,
                )
                for user_id, status in statuses.items()
            ],
            update_conflicts=True,
            unique_fields=["session", "user"],
            update_fields=["status", "recorded_by", "recorded_at"],
        )
        if session.cohort.programme_id is not None:
            results.learners_refresh(statuses)
    return len(statuses)


def in_class_completions_record(*, session: ClassroomSession, by) -> int:
    """Record the lessons the session covered as completed in class for the learners marked
    present, then complete their courses where everything is done. Lessons a learner had
    already completed are left as they were. Returns the number of completions recorded."""
    _require_teacher(by, session.cohort)
    _require_held(session)
    lessons = list(session.lessons.all())
    if not lessons:
        raise ValidationError(
            _("No lessons are listed as covered by this session: edit the session first.")
        )
    with transaction.atomic():
        ClassroomSession.objects.select_for_update().filter(pk=session.pk).first()
        learners = list(
            get_user_model().objects.filter(
                attendance__session=session,
                attendance__status=Attendance.Status.PRESENT,
                cohort_memberships__cohort_id=session.cohort_id,
            )
        )
        if not learners:
            raise ValidationError(
                _("Nobody is marked present at this session: take attendance first.")
            )
        done = set(
            LessonCompletion.objects.filter(user__in=learners, lesson__in=lessons).values_list(
                "user_id", "lesson_id"
            )
        )
        new = [
            LessonCompletion(
                user=learner,
                lesson=lesson,
                course_id=lesson.course.pk,
                in_class_session=session,
                recorded_by=by,
            )
            for learner in learners
            for lesson in lessons
            if (learner.pk, lesson.pk) not in done
        ]
        LessonCompletion.objects.bulk_create(new, ignore_conflicts=True)
        courses = {lesson.course.pk: lesson.course for lesson in lessons}
        courses.setdefault(session.cohort.course_id, session.cohort.course)
        Enrolment.objects.bulk_create(
            [Enrolment(user=learner, course_id=pk) for learner in learners for pk in courses],
            ignore_conflicts=True,
        )
        for learner in learners:
            for course in courses.values():
                course_completion_update(user=learner, course=course)
        progress_refresh(user_ids=[learner.pk for learner in learners])
    return len(new)


def _require_held(session: ClassroomSession) -> None:
    if session.date > timezone.localdate():
        raise ValidationError(
            _("This session is on %(day)s: attendance is taken from that day on.")
            % {"day": date_format(session.date)}
        )


def _require_manager(by, cohort: Cohort) -> None:
    if not cohort_access(user=by, cohort=cohort).manage:
        raise PermissionDenied(_("Only the cohort's coordinators and trainers can add learners."))


def _require_teacher(by, cohort: Cohort) -> None:
    access = cohort_access(user=by, cohort=cohort)
    if access.lapsed:
        raise PermissionDenied(
            _(
                "Your trainer certification is not in force (expired, suspended or revoked): "
                "you cannot record sessions. What you recorded before stays."
            )
        )
    if not access.teach:
        raise PermissionDenied(_("Only the cohort's trainer and co-trainers record its sessions."))
