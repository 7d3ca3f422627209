"""Builds the demo site: home, catalogue, the four courses, organisations and demo accounts.

Idempotent: whatever already exists (found by slug or e-mail) is left as it is, so running it
twice changes nothing and never overwrites a trainer's edits.
"""

import json
import uuid
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from assessments.content_loader import QuizSpec, load_quizzes
from assessments.h5p import demo as demo_h5p
from assessments.models import Quiz
from cms.accounts.models import Membership, Organisation, User
from cms.accounts.services import membership_sync_cms_access
from cms.home.models import HomePage

from . import demo_translations
from .content_loader import Course, Lesson, load_courses
from .dashboards import summaries
from .models import (
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    TrackCourse,
    TrackPage,
)
from .training import certification, demo_cascade, observations, requirements

DEMO_PASSWORD = "flightpath"  # noqa: S105 the demo accounts' documented password

ORGANISATIONS = [
    ("kenya-immigration", "Kenya Immigration Service (demo)", "KE", "immigration", True),
    (
        "benin-border-police",
        "Benin Border Police, Cotonou airport (demo)",
        "BJ",
        "border_police",
        True,
    ),
    (
        "algeria-border-police",
        "Algeria Border Police, Algiers airport (demo)",
        "DZ",
        "border_police",
        True,
    ),
    ("italy-border-police", "Italy Border Police, Fiumicino (demo)", "IT", "border_police", True),
    ("malaysia-immigration", "Malaysia Immigration Department (demo)", "MY", "immigration", True),
    ("skyline-airways", "Skyline Airways security (demo)", "AE", "airline", True),
    ("migrant-rights-network", "Migrant Rights Support Network (demo)", "FR", "ngo", False),
    (
        "regional-training-institute",
        "Regional Border Training Institute (demo)",
        "AT",
        "training_institute",
        True,
    ),
]

ACCOUNTS = [
    # e-mail, first name, last name, role, status (None: no membership)
    ("admin@example.org", "Amina", "Admin", None, None),
    ("coordinator@example.org", "Chloé", "Coordinator", "coordinator", "verified"),
    ("master@example.org", "Mariam", "Master", "trainer", "verified"),
    ("trainer@example.org", "Tomás", "Trainer", "trainer", "verified"),
    ("officer@example.org", "Omar", "Officer", "learner", "verified"),
    ("newcomer@example.org", "Nadia", "Newcomer", "learner", "requested"),
]
DEMO_ORGANISATION = "kenya-immigration"


# The home page's and catalogue's English; their translations are in courses/content_pages/.
HOME_INTRODUCTION = (
    "Training for border, immigration, customs, airline and airport officers who counter the "
    "smuggling of migrants by air."
)
CATALOGUE_INTRODUCTION = (
    "Courses on smuggling indicators, document abuse, corruption resistance and profiling ethics."
)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = _publish(
        root,
        HomePage(
            title="Flightpath",
            slug="flightpath",
            introduction=HOME_INTRODUCTION,
        ),
    )
    site = Site.objects.filter(is_default_site=True).first()
    welcome = site.root_page if site else None
    hostname, port = site_address()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": hostname,
            "port": port,
            "root_page": home,
            "site_name": "Flightpath",
        },
    )
    if welcome and welcome.pk != home.pk and not welcome.get_children().exists():
        welcome.delete()
    return home


def site_address() -> tuple[str, int]:
    """The host and port the site runs on (FLIGHTPATH_SITE_ORIGIN): Wagtail builds the page
    links in its e-mails ("view the page here") from the default Site's."""
    origin = urlsplit(settings.FLIGHTPATH_SITE_ORIGIN)
    return origin.hostname, origin.port or (443 if origin.scheme == "https" else 80)


def course_index(home: HomePage) -> CourseIndexPage:
    existing = CourseIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    return _publish(
        home,
        CourseIndexPage(
            title="Courses",
            slug="courses",
            introduction=CATALOGUE_INTRODUCTION,
        ),
    )


def course(
    index: CourseIndexPage, data: Course, courses: dict[str, CoursePage] | None = None
) -> tuple[CoursePage, int]:
    """The course (or track, whose courses are found in `courses` by slug) and its lessons."""
    page = CoursePage.objects.child_of(index).filter(slug=data.slug).specific().first()
    if page is None:
        fields = {
            "title": data.title,
            "slug": data.slug,
            "summary": data.summary,
            "learning_outcomes": "\n".join(data.learning_outcomes),
            "audience": data.audience,
            "estimated_minutes": data.estimated_minutes,
        }
        if data.is_track:
            track_courses = [TrackCourse(course=(courses or {})[slug]) for slug in data.courses]
            page = _publish(index, TrackPage(**fields, track_courses=track_courses))
        else:
            page = _publish(index, CoursePage(**fields))
    created = 0
    existing = {p.slug: p for p in LessonPage.objects.child_of(page)}
    for lesson in data.lessons:
        if lesson.slug in existing:
            trainer_notes(existing[lesson.slug], lesson)
            continue
        _publish(
            page,
            LessonPage(
                title=lesson.title,
                slug=lesson.slug,
                objectives="\n".join(lesson.objectives),
                body=lesson.stream_data(),
                estimated_minutes=lesson.estimated_minutes,
                trainer_notes=lesson.trainer_notes,
                indicator_card="\n".join(lesson.indicator_card),
                handout_mrz_map=lesson.handout_mrz_map,
            ),
        )
        created += 1
    return page, created


def trainer_notes(page: LessonPage, lesson: Lesson) -> None:
    """Give a lesson loaded before its file had trainer notes the notes and indicator card,
    once: a lesson that has either, or a draft in progress, is left as it is."""
    if page.trainer_notes or page.indicator_card or page.has_unpublished_changes:
        return
    if not (lesson.trainer_notes or lesson.indicator_card):
        return
    page.trainer_notes = lesson.trainer_notes
    page.indicator_card = "\n".join(lesson.indicator_card)
    page.handout_mrz_map = page.handout_mrz_map or lesson.handout_mrz_map
    page.save_revision().publish()


def quiz(spec: QuizSpec, course: CoursePage) -> Quiz:
    """The course's final scenario quiz, published, and attached to the course."""
    found = Quiz.objects.filter(slug=spec.slug, locale__language_code=settings.LANGUAGE_CODE)
    found = found.first()
    if found is None:
        found = Quiz(
            title=spec.title,
            slug=spec.slug,
            audience=course.audience,
            introduction=spec.introduction_html,
            dimensions=", ".join(spec.dimensions),
            pass_on=", ".join(spec.pass_on),
            pass_mark=spec.pass_mark,
            draw=spec.draw,
            questions=json.dumps(spec.questions_data()),
            endings=json.dumps(spec.endings_data()),
        )
        found.save()
        found.save_revision().publish()
        found.refresh_from_db()  # publishing updated the row, not this instance
    if course.final_quiz_id is None:
        course.final_quiz = found
        course.save_revision().publish()
    return found


def h5p_activity(activity, course: CoursePage) -> None:
    """Place the activity at the end of its lesson's body, before the key points, once."""
    lesson = LessonPage.objects.child_of(course).filter(slug=activity.lesson).first()
    if lesson is None or any(block.block_type == "h5p" for block in lesson.body):
        return
    package = demo_h5p.package_for(activity)
    data = list(lesson.body.raw_data)
    at = next(
        (i for i, block in enumerate(data) if block["type"] == "check_understanding"), len(data)
    )
    data.insert(at, {"type": "h5p", "value": {"activity": package.pk, "caption": ""}})
    lesson.body = json.dumps([{"type": b["type"], "value": b["value"]} for b in data])
    lesson.save_revision().publish()


def organisations() -> dict[str, Organisation]:
    result = {}
    for slug, name, country, kind, officer_access in ORGANISATIONS:
        result[slug], _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country": country,
                "kind": kind,
                "officer_access": officer_access,
            },
        )
    return result


def accounts(organisation: Organisation) -> list[str]:
    created = []
    for email, first, last, role, status in ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        is_admin = role is None
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if role:
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, status=status
            )
            membership_sync_cms_access(membership)
        created.append(email)
    return created


def trainer_certifications(organisation: Organisation) -> None:
    """The administrator certified master@ as a master trainer, who observed trainer@ and
    certified them. Once only: a database that has them keeps its history."""
    people = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    admin, master, trainer = (
        people.get(f"{name}@example.org") for name in ("admin", "master", "trainer")
    )
    if not (admin and master and trainer) or master.trainer_certifications.exists():
        return
    certification.certify(
        user=master,
        level=certification.Level.MASTER,
        certified_by=admin,
        organisation=organisation,
        evidence="Demo: master trainer of the national training team.",
    )
    certify_demo_trainer(trainer=trainer, master=master, organisation=organisation)


def certify_demo_trainer(*, trainer: User, master: User, organisation: Organisation):
    """Certify a demo trainer the way anyone is certified: their completions of the trainers'
    track and its courses, a session observed and passed, rated by `master` (a master trainer
    in force), then the certification. Idempotent: what exists is left as it is."""
    track = requirements.trainer_track() or stand_in_trainer_track()
    courses = [tc.course for tc in track.track_courses.select_related("course")]
    for course in [*courses, track]:
        CourseCompletion.objects.get_or_create(user=trainer, course=course)
    taught = courses[0] if courses else track
    observations.observed_session_record(
        candidate=trainer,
        observer=master,
        date=certification.today(),
        course=taught,
        lesson=LessonPage.objects.child_of(taught).live().first(),
        rubric=observations.rubric_current(),
        scores={"preparation": 3, "accuracy": 4, "scenario": 3, "inclusiveness": 3, "timing": 3},
        notes={"scenario": "Debrief drew out every indicator; give the quiet pair more time."},
        token=uuid.uuid5(uuid.NAMESPACE_URL, f"flightpath-demo-observation:{trainer.email}"),
    )
    if (
        certification.standing(
            certification.latest(user=trainer, level=certification.Level.TRAINER)
        )
        not in certification.IN_FORCE
    ):
        certification.certify(
            user=trainer,
            level=certification.Level.TRAINER,
            certified_by=master,
            organisation=organisation,
            evidence="Demo: the four courses, the track and an observed session.",
        )


def stand_in_trainer_track() -> TrackPage:
    """The trainers' track over the four demo courses, for a database whose content has no
    track yet; its own lessons come with the track's content."""
    index = CourseIndexPage.objects.first()
    courses = CoursePage.objects.child_of(index).exact_type(CoursePage).live().order_by("path")
    return _publish(
        index,
        TrackPage(
            title="Train the trainers",
            slug=settings.FLIGHTPATH_TRAINER_TRACK_SLUG,
            summary="The four courses, and how to teach them.",
            learning_outcomes="Teach the four courses to colleagues.",
            audience="trainers",
            track_courses=[
                TrackCourse(course=course, sort_order=n) for n, course in enumerate(courses)
            ],
        ),
    )


@transaction.atomic
def load(*, with_accounts: bool) -> dict:
    home = home_page()
    index = course_index(home)
    lessons, courses = 0, {}
    for data in sorted(load_courses(), key=lambda data: data.is_track):  # courses first
        courses[data.slug], created = course(index, data, courses)
        lessons += created
    quizzes = {spec.slug: quiz(spec, courses[spec.course]) for spec in load_quizzes()}
    if demo_h5p.libraries_available():
        for activity in demo_h5p.activities():
            h5p_activity(activity, courses[activity.course])
    activities = demo_h5p.translated_activities() if demo_h5p.libraries_available() else {}
    translated = demo_translations.site_pages(home, index)  # before the courses copy them
    translated += demo_translations.load(courses, activities=activities)
    if quizzes:  # the translations of the quizzes loaded
        translated += demo_translations.quizzes(quizzes)
    orgs = organisations()
    users = accounts(orgs[DEMO_ORGANISATION]) if with_accounts else []
    if with_accounts:
        trainer_certifications(orgs[DEMO_ORGANISATION])
        demo_cascade.build(DEMO_PASSWORD)
    summaries.rebuild()
    return {
        "lessons_created": lessons,
        "accounts_created": users,
        "pages_translated": translated,
    }
