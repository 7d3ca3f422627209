import json

import factory
from allauth.account.models import EmailAddress
from wagtail.models import Locale, Page, Site

from cms.accounts.models import Membership, Organisation, User
from cms.home.models import HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage, TrackCourse, TrackPage

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Border Agency {n}")
    slug = factory.Sequence(lambda n: f"border-agency-{n}")
    country = "KE"
    kind = Organisation.Kind.BORDER_POLICE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.LEARNER
    status = Membership.Status.VERIFIED


def site_root() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    # Transactional tests flush the rows that Wagtail's migrations create; make them again.
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Flightpath", slug="flightpath-home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def course_index() -> CourseIndexPage:
    home = site_root()
    return CourseIndexPage.objects.first() or home.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )


def make_course(*, title="Course", slug=None, audience="public", lessons=3) -> CoursePage:
    index = course_index()
    slug = slug or f"course-{CoursePage.objects.count() + 1}"
    course = index.add_child(
        instance=CoursePage(
            title=title,
            slug=slug,
            summary=f"About {title}.",
            learning_outcomes="Know things",
            audience=audience,
        )
    )
    for n in range(1, lessons + 1):
        make_lesson(course, n)
    return course


def make_track(*, title="Track", slug=None, audience="public", courses=(), lessons=1) -> TrackPage:
    """A published track of these courses, in this order, with lessons of its own."""
    index = course_index()
    slug = slug or f"track-{CoursePage.objects.count() + 1}"
    track = index.add_child(
        instance=TrackPage(
            title=title,
            slug=slug,
            summary=f"About {title}.",
            learning_outcomes="Teach things",
            audience=audience,
            track_courses=[TrackCourse(course=course) for course in courses],
        )
    )
    for n in range(1, lessons + 1):
        make_lesson(track, n)
    return track


def make_lesson(
    course: CoursePage, n: int, text="Lesson text about document checks."
) -> LessonPage:
    return course.add_child(
        instance=LessonPage(
            title=f"{course.title} lesson {n}",
            slug=f"lesson-{n}",
            objectives="Understand one thing",
            body=[("paragraph", f"<p>{text}</p>")],
        )
    )


def lesson_with_block(
    block_type: str, value: dict, *, slug="with-block", audience="public"
) -> LessonPage:
    """The published lesson of a new one-lesson course, whose body is this one block."""
    course = make_course(title=slug.capitalize(), slug=slug, lessons=1, audience=audience)
    lesson = course.get_children().first()
    lesson = lesson.specific
    lesson.body = json.dumps([{"type": block_type, "value": value}])
    lesson.save_revision().publish()
    return lesson


def make_quiz_from_text(tmp_path, text: str, *, audience="officers"):
    """A quiz written in the Markdown format, published as the final quiz of a course of its
    own (`for-<slug>`) with the given audience."""
    from assessments.content_loader import parse_quiz
    from courses import demo

    path = tmp_path / "quiz.md"
    path.write_text(text)
    spec = parse_quiz(path)
    course = make_course(title=spec.title, slug=f"for-{spec.slug}", audience=audience, lessons=1)
    return demo.quiz(spec, course)
