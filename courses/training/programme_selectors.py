"""Reads about the registry's programmes that cohorts are delivered under: their results,
for many programmes at once, in four queries whatever their number or size.

- **Participants trained**: distinct learners of the programme's cohorts who were marked
  present at one of their cohort's sessions, or completed their cohort's course or track.
- **Completions**: course and track completions by the learners of the programme's cohorts,
  of the courses and tracks those cohorts teach (each person and course once).
- **Certified trainers**: distinct people certified as trainers or master trainers whose
  certification rests on a session observed in one of the programme's cohorts, or who were
  learners of one of its cohorts and certified on or after the day it started.

A course is delivered under a programme when a cohort of it is. The registry (its record
page, API, exports and IATI results) and the coordinator dashboards read these counts from a
summary kept as events happen (`dashboards.results`), for everyone, the reader's scope, an
organisation or a country; `programme_results` counts them from the records, which is what the
summary is tested against and what the dashboards count when narrowed further (a cohort, a
trainer, a course, a period the cohorts started in) through `cohorts` (lookups on `Cohort`).
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q

from cms.programs.models import Programme
from cms.programs.results import ProgrammeResults
from cms.programs.search import suggest
from cms.programs.selectors import programmes_visible_to

from ..models import Attendance, Cohort, CohortMember, CourseCompletion, TrainerCertification

CERTIFIED = TrainerCertification.Status.CERTIFIED


def programmes_to_link(*, user, current_id: int | None = None):
    """The programmes `user` may deliver a cohort under: the registry's published records they
    can see (public ones for everyone, partners-only ones only for verified members of member
    organisations; never a draft or submitted record, not even their own organisation's), and
    the cohort's current programme, which stays a choice even if it is no longer published."""
    published = programmes_visible_to(user=user).published()
    found = Programme.objects.filter(pk__in=published.values("pk"))
    if current_id is not None:
        found = found | Programme.objects.filter(pk=current_id)
    return found


def programme_suggestions(*, user, query: str, current_id: int | None = None) -> list[Programme]:
    """Up to twenty programmes `user` may deliver a cohort under that match `query` (part of
    an identifier, a title in any language, or an organisation's name or alias), for the
    cohort form's chooser; its texts and reporting organisation come with each."""
    return suggest(programmes_to_link(user=user, current_id=current_id), query)


def programme_identifier(*, programme_id: int | None) -> str:
    """The identifier of the programme a cohort is delivered under, for its form ("" if none)."""
    if programme_id is None:
        return ""
    return Programme.objects.filter(pk=programme_id).values_list("identifier", flat=True).first()


def may_link(*, user, programme: Programme, current_id: int | None = None) -> bool:
    """Whether `user` may deliver a cohort under `programme` (or keep it there)."""
    if programme.pk == current_id:
        return True
    return programmes_visible_to(user=user).published().filter(pk=programme.pk).exists()


def linked_programme(*, user, cohort: Cohort) -> Programme | None:
    """The programme `cohort` is delivered under, if `user` may see it in the registry."""
    if cohort.programme_id is None:
        return None
    visible = programmes_visible_to(user=user).filter(pk=cohort.programme_id)
    return visible.prefetch_related("texts").first()


def _on(prefix: str, cohorts: dict) -> dict:
    """Lookups on `Cohort` as seen from a model reaching it through `prefix`."""
    return {f"{prefix}{lookup}": value for lookup, value in cohorts.items()}


def programme_results(*, programme_ids, cohorts: dict | None = None) -> dict[int, ProgrammeResults]:
    """The results of each programme of `programme_ids` that a cohort is delivered under,
    counted from its cohorts matching `cohorts` (every cohort if None)."""
    ids = list(programme_ids)
    cohorts = cohorts or {}
    delivered = (
        Cohort.objects.filter(programme_id__in=ids, **cohorts)
        .values_list("programme_id")
        .annotate(cohorts=Count("pk"), courses=Count("course", distinct=True))
        .order_by()
    )
    counts = {pk: {"cohorts": n, "courses": courses} for pk, n, courses in delivered}
    if not counts:
        return {}
    ids = list(counts)
    for pk, n in _participants_trained(ids, cohorts):
        counts[pk]["participants_trained"] = n
    for pk, n in _completions(ids, cohorts):
        counts[pk]["completions"] = n
    for pk, n in _certified_trainers(ids, cohorts).items():
        counts[pk]["certified_trainers"] = n
    return {pk: ProgrammeResults(**values) for pk, values in counts.items()}


def _participants_trained(ids, cohorts):
    present = Attendance.objects.filter(
        session__cohort_id=OuterRef("cohort_id"),
        user_id=OuterRef("user_id"),
        status=Attendance.Status.PRESENT,
    )
    completed = CourseCompletion.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("cohort__course_id")
    )
    return (
        CohortMember.objects.filter(cohort__programme_id__in=ids, **_on("cohort__", cohorts))
        .filter(Q(Exists(present)) | Q(Exists(completed)))
        .values_list("cohort__programme_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )


def _completions(ids, cohorts):
    taught = Cohort.objects.filter(
        programme_id=OuterRef("programme_id"), course_id=OuterRef("course_id"), **cohorts
    )
    # One filter() call: the programme and the other lookups are on the same membership.
    member = "user__cohort_memberships__cohort__"
    return (
        CourseCompletion.objects.filter(
            **{f"{member}programme_id__in": ids}, **_on(member, cohorts)
        )
        .annotate(programme_id=F("user__cohort_memberships__cohort__programme_id"))
        .filter(Exists(taught))
        .values_list("programme_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def _certified_trainers(ids, cohorts) -> dict[int, int]:
    observed = TrainerCertification.objects.filter(
        status=CERTIFIED,
        observed_session__classroom_session__cohort__programme_id__in=ids,
        **_on("observed_session__classroom_session__cohort__", cohorts),
    ).values_list("observed_session__classroom_session__cohort__programme_id", "user_id")
    observed = observed.order_by()
    learners = TrainerCertification.objects.filter(
        status=CERTIFIED,
        user__cohort_memberships__cohort__programme_id__in=ids,
        valid_from__gte=F("user__cohort_memberships__cohort__starts_on"),
        **_on("user__cohort_memberships__cohort__", cohorts),
    ).values_list("user__cohort_memberships__cohort__programme_id", "user_id")
    people = defaultdict(set)
    for pk, user_id in observed.union(learners.order_by()):
        people[pk].add(user_id)
    return {pk: len(found) for pk, found in people.items()}
