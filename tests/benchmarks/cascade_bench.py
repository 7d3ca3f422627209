"""The cascade at scale for `make bench`: trainers certified four to a master, each with a
cohort of twenty learners (and one learner shared with the next cohort, so distinct counts
matter), a session at one of five airports, and two learners in five who completed.

Generated with bulk inserts in two steps, so the page's queries can be counted at 1,000 and
at 10,000 trainers: `grow(1000)`, then `grow(10000)`.
"""

import datetime
import time

from django.contrib.auth.hashers import make_password

COHORT_SIZE = 20
BRANCHES = 4  # trainers certified by each master trainer
AIRPORTS = [("NBO", "KE"), ("COO", "BJ"), ("ALG", "DZ"), ("FCO", "IT"), ("KUL", "MY")]
DOMAIN = "cascade.bench.example.org"
BATCH = 5000


def organisation():
    from cms.accounts.models import Organisation

    found, _ = Organisation.objects.get_or_create(
        slug="bench-cascade",
        defaults={"name": "Cascade bench border police", "country": "KE", "kind": "border_police"},
    )
    return found


def viewers() -> dict[str, str]:
    """The page's readers, with a second factor so that production's MFA rule lets them in:
    a site administrator (every trainer) and the bench organisation's coordinator."""
    from allauth.mfa.models import Authenticator

    from cms.accounts.models import Membership, User

    coordinator, _ = User.objects.get_or_create(
        email=f"coordinator@{DOMAIN}", defaults={"first_name": "Cascade", "last_name": "Coord"}
    )
    Membership.objects.get_or_create(
        user=coordinator,
        organisation=organisation(),
        defaults={"role": "coordinator", "status": "verified"},
    )
    admin = User.objects.get(email="admin@example.org")
    for user in (admin, coordinator):
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
        )
    return {"staff": admin.email, "coordinator": coordinator.email}


def grow(trainers: int) -> dict[str, float]:
    """Add trainers (and their learners) up to `trainers`; rebuild the summary. Returns how
    long each step took, in seconds."""
    from cms.accounts.models import User
    from courses.models import (
        ClassroomSession,
        Cohort,
        CohortMember,
        CourseCompletion,
        CoursePage,
        TrainerCertification,
    )
    from courses.training import cascade

    started = time.monotonic()
    have = User.objects.filter(email__startswith="t", email__endswith=f"@{DOMAIN}").count()
    course = CoursePage.objects.get(slug="recognising-smuggling-by-air", locale__language_code="en")
    org = organisation()
    password = make_password(None)
    first_learner = have * COHORT_SIZE
    _users("t", range(have, trainers), password)
    new_learners = _users("l", range(first_learner, trainers * COHORT_SIZE), password)
    ids = dict(
        User.objects.filter(email__endswith=f"@{DOMAIN}", email__startswith="t").values_list(
            "email", "pk"
        )
    )
    learner_ids = (
        dict(
            User.objects.filter(
                email__endswith=f"@{DOMAIN}", email__startswith="l", pk__gte=new_learners[0]
            ).values_list("email", "pk")
        )
        if new_learners
        else {}
    )
    today = datetime.date.today()
    rows = []
    for n in range(have, trainers):
        parent = None if n == 0 else ids[_email("t", (n - 1) // BRANCHES)]
        level = "master" if n * BRANCHES + 1 < trainers or n == 0 else "trainer"
        rows.append(
            TrainerCertification(
                user_id=ids[_email("t", n)],
                level=level,
                status="certified",
                valid_from=today,
                valid_until=today + datetime.timedelta(days=730),
                certified_by_id=parent,
                organisation=org,
                is_latest=True,  # each trainer's only row
            )
        )
    TrainerCertification.objects.bulk_create(rows, batch_size=BATCH)
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                organisation=org,
                course=course,
                name=f"Bench cohort {n}",
                language="en",
                starts_on=today,
                ends_on=today + datetime.timedelta(days=30),
                trainer_id=ids[_email("t", n)],
            )
            for n in range(have, trainers)
        ],
        batch_size=BATCH,
    )
    sessions, members, completions = [], [], []
    for n, cohort in zip(range(have, trainers), cohorts, strict=True):
        airport, country = AIRPORTS[n % len(AIRPORTS)]
        sessions.append(
            ClassroomSession(
                cohort=cohort,
                date=today,
                starts_at=datetime.time(9),
                duration_minutes=120,
                airport=airport,
                country=country,
                language="en",
            )
        )
        taught = range(n * COHORT_SIZE, (n + 1) * COHORT_SIZE + 1)  # one shared with the next
        for k in taught:
            pk = learner_ids.get(_email("l", k))
            if pk is not None:
                members.append(CohortMember(cohort=cohort, user_id=pk))
                if k % 5 < 2 and k < (n + 1) * COHORT_SIZE:
                    completions.append(CourseCompletion(user_id=pk, course=course))
    ClassroomSession.objects.bulk_create(sessions, batch_size=BATCH)
    CohortMember.objects.bulk_create(members, batch_size=BATCH)
    CourseCompletion.objects.bulk_create(completions, batch_size=BATCH, ignore_conflicts=True)
    generated = time.monotonic()
    cascade.rebuild()
    return {"generate": generated - started, "rebuild": time.monotonic() - generated}


def _email(kind: str, n: int) -> str:
    return f"{kind}{n}@{DOMAIN}"


def _users(kind, numbers, password) -> list[int]:
    from cms.accounts.models import User

    made = []
    batch = []
    for n in numbers:
        batch.append(
            User(
                email=_email(kind, n), password=password, first_name=kind.upper(), last_name=str(n)
            )
        )
        if len(batch) == BATCH:
            made += [u.pk for u in User.objects.bulk_create(batch)]
            batch = []
    if batch:
        made += [u.pk for u in User.objects.bulk_create(batch)]
    return made


def one_completion_refresh() -> float:
    """Seconds to refresh the cascade after one learner, deep in the tree, completes."""
    from courses.models import CohortMember, CourseCompletion, CoursePage
    from courses.training import cascade

    course = CoursePage.objects.get(slug="recognising-smuggling-by-air", locale__language_code="en")
    member = (
        CohortMember.objects.filter(user__email__endswith=f"@{DOMAIN}")
        .exclude(user__course_completions__course=course)
        .order_by("-pk")
        .select_related("user")
        .first()
    )
    started = time.monotonic()
    CourseCompletion.objects.create(user=member.user, course=course)
    cascade.completion_recorded(user=member.user, course=course)
    return time.monotonic() - started


def reach_report() -> float:
    """Seconds for `cascade_reach --format json` over every trainer, in this process."""
    import io

    from django.core.management import call_command

    started = time.monotonic()
    call_command("cascade_reach", "--format", "json", stdout=io.StringIO())
    return time.monotonic() - started
