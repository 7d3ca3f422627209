"""The demo's cascade: master@ certified trainer@ and four more trainers of the demo
organisations; each taught a cohort at an airport, with sessions, attendance and completions
(some in class, some online); two of their learners became trainers themselves. Four levels
deep: master@ → Lim Wei Ling (a master trainer) → Giulia Ferri → Giulia's learners.

Idempotent: people are found by e-mail, cohorts by name, and a person who holds any
certification is not certified again.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cms import generations
from cms.accounts.models import Membership, Organisation, User

from ..dashboards.results import cohorts_refresh
from ..dashboards.summaries import progress_refresh
from ..models import (
    Attendance,
    ClassroomSession,
    Cohort,
    CohortMember,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonCompletion,
)
from ..models.pages import in_source_language
from . import cascade, certification

# e-mail, first name, last name, organisation (slug), membership role
PEOPLE = [
    ("yasmina.belkacem@example.org", "Yasmina", "Belkacem", "algeria-border-police", "trainer"),
    ("koffi.adjovi@example.org", "Koffi", "Adjovi", "benin-border-police", "trainer"),
    ("lim.weiling@example.org", "Lim", "Wei Ling", "malaysia-immigration", "trainer"),
    ("wanjiru.kamau@example.org", "Wanjiru", "Kamau", "kenya-immigration", "trainer"),
    ("giulia.ferri@example.org", "Giulia", "Ferri", "italy-border-police", "trainer"),
    ("james.otieno@example.org", "James", "Otieno", "kenya-immigration", "learner"),
    ("faith.njeri@example.org", "Faith", "Njeri", "kenya-immigration", "learner"),
    ("peter.mwangi@example.org", "Peter", "Mwangi", "kenya-immigration", "learner"),
    ("grace.achieng@example.org", "Grace", "Achieng", "kenya-immigration", "learner"),
    ("karim.haddad@example.org", "Karim", "Haddad", "algeria-border-police", "learner"),
    ("nadia.bensalem@example.org", "Nadia", "Bensalem", "algeria-border-police", "learner"),
    ("sofiane.mansouri@example.org", "Sofiane", "Mansouri", "algeria-border-police", "learner"),
    ("afi.agbodjan@example.org", "Afi", "Agbodjan", "benin-border-police", "learner"),
    ("rodrigue.hounsou@example.org", "Rodrigue", "Hounsou", "benin-border-police", "learner"),
    ("nur.aisyah@example.org", "Nur", "Aisyah", "malaysia-immigration", "learner"),
    ("arjun.pillai@example.org", "Arjun", "Pillai", "malaysia-immigration", "learner"),
    ("marco.rinaldi@example.org", "Marco", "Rinaldi", "italy-border-police", "learner"),
    ("elena.conti@example.org", "Elena", "Conti", "italy-border-police", "learner"),
    ("luca.bianchi@example.org", "Luca", "Bianchi", "italy-border-police", "learner"),
]

# person, level, certified by (e-mail names), in this order: each certifier is certified first.
CERTIFICATIONS = [
    ("yasmina.belkacem", "trainer", "master"),
    ("koffi.adjovi", "trainer", "master"),
    ("lim.weiling", "master", "master"),
    ("wanjiru.kamau", "trainer", "master"),  # a learner of trainer@'s cohort at Nairobi
    ("giulia.ferri", "trainer", "lim.weiling"),  # a learner of Lim's cohort at Kuala Lumpur
]

COUNTRY_OF_AIRPORT = {"NBO": "KE", "COO": "BJ", "ALG": "DZ", "FCO": "IT", "KUL": "MY"}

# name, trainer, organisation, course, airport, language, learners: (name, completed: "class",
# "online" or None)
COHORTS = [
    (
        "Jomo Kenyatta airport officers, indicators",
        "trainer",
        "kenya-immigration",
        "recognising-smuggling-by-air",
        "NBO",
        "en",
        [
            ("wanjiru.kamau", "class"),
            ("james.otieno", "class"),
            ("faith.njeri", "online"),
            ("peter.mwangi", None),
        ],
    ),
    (
        "Nairobi document examiners",
        "wanjiru.kamau",
        "kenya-immigration",
        "document-abuse",
        "NBO",
        "en",
        [("grace.achieng", "class"), ("peter.mwangi", None), ("james.otieno", "online")],
    ),
    (
        "Alger Houari Boumediene, indicateurs",
        "yasmina.belkacem",
        "algeria-border-police",
        "recognising-smuggling-by-air",
        "ALG",
        "fr",
        [("karim.haddad", "class"), ("nadia.bensalem", "online"), ("sofiane.mansouri", None)],
    ),
    (
        "Cotonou Cadjehoun, documents",
        "koffi.adjovi",
        "benin-border-police",
        "document-abuse",
        "COO",
        "fr",
        [("afi.agbodjan", "class"), ("rodrigue.hounsou", None)],
    ),
    (
        "KLIA regional cohort, profiling and rights",
        "lim.weiling",
        "malaysia-immigration",
        "profiling-ethics-and-rights",
        "KUL",
        "en",
        [("giulia.ferri", "class"), ("nur.aisyah", "online"), ("arjun.pillai", "class")],
    ),
    (
        "Fiumicino, riconoscere il traffico",
        "giulia.ferri",
        "italy-border-police",
        "recognising-smuggling-by-air",
        "FCO",
        "it",
        [("marco.rinaldi", "class"), ("elena.conti", "online"), ("luca.bianchi", None)],
    ),
]


# Demo cohorts delivered under programmes of the registry's seed, so that their pages show
# results counted from the platform.
DELIVERED_UNDER = {
    "Jomo Kenyatta airport officers, indicators": "FP-INTERPOL-STOP-NBO-2011",
    "Nairobi document examiners": "FP-INTERPOL-STOP-NBO-2011",
    "Cotonou Cadjehoun, documents": "FP-INTERPOL-STOP-COO-2011",
}


def deliver_under_programmes() -> int:
    """Put the demo cohorts under their programmes, once both are loaded; a cohort already
    under a programme is left as it is. Returns how many were linked."""
    from cms.programs.models import Programme

    programmes = {
        p.identifier: p
        for p in Programme.objects.filter(identifier__in=set(DELIVERED_UNDER.values()))
    }
    linked = 0
    for name, identifier in DELIVERED_UNDER.items():
        if identifier in programmes:
            cohorts = Cohort.objects.filter(name=name, programme=None)
            learners = list(CohortMember.objects.filter(cohort__in=cohorts).values_list("user_id"))
            linked += cohorts.update(programme=programmes[identifier])
            progress_refresh(user_ids=[pk for (pk,) in learners])
            cohorts_refresh([programmes[identifier].pk])
    if linked:  # an update sends no signals: the dashboards' filters list the programmes
        generations.move("cohorts")
    return linked


def build(password: str) -> None:
    """The demo cascade, after the demo accounts and master@'s and trainer@'s certifications."""
    if not User.objects.filter(email="master@example.org").exists():
        return
    people = _people(password)
    _certify(people)
    slugs = {c[3] for c in COHORTS}
    courses = {p.slug: p for p in in_source_language(CoursePage.objects.filter(slug__in=slugs))}
    trainers = set()
    for cohort in COHORTS:
        if cohort[3] in courses:
            trainers.add(_cohort(cohort, people, courses[cohort[3]]))
    cascade.refresh_trainer_reach(trainers | {p.pk for p in people.values()})


def _people(password: str) -> dict[str, User]:
    hashed = make_password(password)
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for email, first, last, organisation, role in PEOPLE:
        if User.objects.filter(email=email).exists() or organisation not in organisations:
            continue
        user = User.objects.create(email=email, first_name=first, last_name=last, password=hashed)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Membership.objects.create(
            user=user,
            organisation=organisations[organisation],
            role=role,
            status=Membership.Status.VERIFIED,
        )
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@example.org")}


def _certify(people: dict[str, User]) -> None:
    for name, level, certifier in CERTIFICATIONS:
        person = people.get(name)
        if person is None or person.trainer_certifications.exists():
            continue
        organisation = person.memberships.first().organisation
        if level == certification.Level.TRAINER:
            # As anyone is: the track and its courses completed, a session observed and passed.
            from ..demo import certify_demo_trainer

            certify_demo_trainer(
                trainer=person, master=people[certifier], organisation=organisation
            )
            continue
        certification.certify(
            user=person,
            level=level,
            certified_by=people[certifier],
            organisation=organisation,
            evidence="Demo: master trainer of a regional training team.",
        )


def _cohort(spec, people: dict[str, User], course: CoursePage) -> int:
    name, trainer_name, organisation, _slug, airport, language, learners = spec
    trainer = people[trainer_name]
    today = timezone.localdate()
    cohort, _created = Cohort.objects.get_or_create(
        name=name,
        organisation=Organisation.objects.get(slug=organisation),
        defaults={
            "course": course,
            "language": language,
            "starts_on": today - datetime.timedelta(days=21),
            "ends_on": today + datetime.timedelta(days=14),
            "trainer": trainer,
            "created_by": trainer,
        },
    )
    lessons = list(course.lessons())
    held = _session(cohort, today - datetime.timedelta(days=14), airport, lessons[:2])
    _session(cohort, today + datetime.timedelta(days=7), airport, lessons[2:4])
    for learner_name, completed in learners:
        learner = people[learner_name]
        CohortMember.objects.get_or_create(
            cohort=cohort, user=learner, defaults={"added_by": trainer}
        )
        # As adding a learner to a cohort does: they are enrolled in its course, so the
        # coordinators' dashboards count them.
        Enrolment.objects.get_or_create(user=learner, course=course)
        status = Attendance.Status.ABSENT if completed is None else Attendance.Status.PRESENT
        Attendance.objects.get_or_create(
            session=held, user=learner, defaults={"status": status, "recorded_by": trainer}
        )
        if completed:
            _complete(learner, course, lessons, held if completed == "class" else None, trainer)
    return trainer.pk


def _session(cohort, day, airport, lessons) -> ClassroomSession:
    session, created = ClassroomSession.objects.get_or_create(
        cohort=cohort,
        date=day,
        defaults={
            "starts_at": datetime.time(9, 0),
            "duration_minutes": 180,
            "airport": airport,
            "country": COUNTRY_OF_AIRPORT[airport],
            "venue": "Training room, border police post",
            "language": cohort.language,
            "created_by": cohort.trainer,
        },
    )
    if created:
        session.lessons.set(lessons)
    return session


def _complete(learner, course, lessons, session, trainer) -> None:
    """Every lesson done (the session's in class when given, the rest online) and the course."""
    covered = set(session.lessons.values_list("pk", flat=True)) if session else set()
    for lesson in lessons:
        in_class = lesson.pk in covered
        LessonCompletion.objects.get_or_create(
            user=learner,
            lesson=lesson,
            defaults={
                "course": course,
                "in_class_session": session if in_class else None,
                "recorded_by": trainer if in_class else None,
            },
        )
    CourseCompletion.objects.get_or_create(user=learner, course=course)


def take_final_quizzes(*, seed: int = 11) -> int:
    """Each learner of the demo cohorts takes their course's final quiz once, answered as
    `generate_load_data` answers (each question right with odds of its own, a scenario's
    better choices more often taken) and graded as the quiz grades, so that the competency
    analytics have attempts to read. A learner who has an attempt at the quiz is left alone.
    Returns how many attempts were taken."""
    from assessments.models import Attempt

    from ..dashboards.load_data import Generator
    from ..services import quiz_graded

    generator = Generator(learners=0, seed=seed, password="", log=lambda _message: None)
    members = (
        CohortMember.objects.filter(
            cohort__name__in=[cohort[0] for cohort in COHORTS],
            cohort__course__final_quiz__isnull=False,
        )
        .select_related("user", "cohort__course__final_quiz")
        .order_by("pk")
    )
    answer_sets, taken = {}, 0
    for member in members:
        course = member.cohort.course
        quiz = course.final_quiz
        if Attempt.objects.filter(user=member.user, quiz=quiz).exists():
            continue
        if course.pk not in answer_sets:
            answer_sets[course.pk] = generator.answer_sets(course, count=12)
        drawn, answers, percent, passed = generator.rng.choice(answer_sets[course.pk])
        moment = timezone.now()
        attempt = Attempt.objects.create(
            user=member.user,
            quiz=quiz,
            revision_id=quiz.latest_revision_id,
            number=1,
            drawn=drawn,
            answers=answers,
            status=Attempt.Status.SUBMITTED,
            started_at=moment,
            submitted_at=moment,
            percent=percent,
            passed=passed,
        )
        quiz_graded(attempt=attempt)
        taken += 1
    return taken
