"""Building blocks for cohort tests: certifications, members, cohorts and sessions."""

import datetime

from django.utils import timezone

from cms.accounts.models import Membership
from courses.models import ClassroomSession, Cohort, CohortMember, TrainerCertification
from courses.training.certification import Level

from ....factories import MembershipFactory


def certify(person, *, status="certified", until_days=365, level=Level.TRAINER):
    TrainerCertification.objects.create(
        user=person,
        level=level,
        status=status,
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() + datetime.timedelta(days=until_days),
    )
    return person


def member(organisation, role=Membership.Role.LEARNER, status=Membership.Status.VERIFIED):
    return MembershipFactory(organisation=organisation, role=role, status=status).user


def make_cohort(organisation, trainer, course, *, learners=(), co_trainers=(), name="Cohort"):
    cohort = Cohort.objects.create(
        organisation=organisation,
        course=course,
        name=name,
        language="en",
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        trainer=trainer,
    )
    cohort.co_trainers.set(co_trainers)
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=u) for u in learners])
    return cohort


def make_session(cohort, *, days=0, airport="NBO", country="KE", lessons=()):
    session = ClassroomSession.objects.create(
        cohort=cohort,
        date=timezone.localdate() + datetime.timedelta(days=days),
        starts_at=datetime.time(9, 30),
        duration_minutes=90,
        airport=airport,
        country=country,
        venue="Training room 2",
        language="en",
    )
    session.lessons.set(lessons)
    return session
