"""The demo site `make run` serves, as `load_demo` builds it: its courses and activities, its
trainers and their cascade, its cohorts delivered under the registry's programmes, the
dashboards its coordinators open, its links in every language, and a second load that changes
nothing.

Loading the demo takes seconds, so it is loaded once for this module, in a transaction rolled
back after its last test; each test runs in a transaction of its own inside it and sees the
demo as it was loaded. Under xdist each worker that runs some of these tests loads it once.
"""

import io
from collections import deque

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from cms.accounts.models import Membership, Organisation, User
from cms.programs.demo import COORDINATED, PROGRAMME_COORDINATOR
from cms.programs.models import Programme
from cms.programs.results import programme_results
from courses.models import (
    Cohort,
    CohortMember,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LearnerProgress,
    LessonCompletion,
    LessonPage,
    TrackPage,
    TrainerCertification,
    TrainerReach,
)
from courses.training import cascade, requirements
from courses.training import certification as cert

from . import module_data
from .courses.test_content import LESSONS
from .i18n.test_language_links import internal_links

pytestmark = pytest.mark.django_db

ORIGIN = "http://127.0.0.1:8100"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """What `load_demo` printed; the demo stays loaded until the module's last test ends."""

    def load() -> str:
        out = io.StringIO()
        with override_settings(FLIGHTPATH_DEMO_ACCOUNTS=True, FLIGHTPATH_SITE_ORIGIN=ORIGIN):
            call_command("load_demo", stdout=out)
        return out.getvalue()

    yield from module_data.made_once(django_db_blocker, load)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_loading_the_demo_again_changes_nothing(demo, settings):
    settings.FLIGHTPATH_DEMO_ACCOUNTS = True
    settings.FLIGHTPATH_SITE_ORIGIN = ORIGIN
    before = _row_counts()
    reach = list(TrainerReach.objects.order_by("pk").values_list("learners", "completed"))
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    after = _row_counts()
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    assert changed == {}
    assert list(TrainerReach.objects.order_by("pk").values_list("learners", "completed")) == reach
    assert "Final quizzes taken by cohort learners: 0" in again.getvalue()


def test_the_demo_has_the_courses_the_organisations_and_the_accounts(demo):
    assert LessonPage.objects.filter(locale__language_code="en").count() == len(LESSONS)
    assert len({o.country for o in Organisation.objects.all()}) >= 3
    assert Membership.objects.get(user__email="newcomer@example.org").status == "requested"
    assert Membership.objects.get(user__email="officer@example.org").status == "verified"
    assert User.objects.get(email="admin@example.org").is_superuser


def test_the_demo_places_a_true_false_activity_in_each_course(demo, settings):
    from assessments.h5p.demo import activities, translated_activities
    from assessments.models import H5PPackage

    shipped = activities()
    translated = sum(len(found) for found in translated_activities().values())
    assert H5PPackage.objects.count() == len(shipped) + translated
    assert len(shipped) == 4
    assert set(H5PPackage.objects.values_list("main_library", flat=True)) == {"H5P.TrueFalse-1.6"}
    for activity in shipped:
        lesson = LessonPage.objects.get(slug=activity.lesson, locale__language_code="en")
        kinds = [block.block_type for block in lesson.body]
        assert kinds.count("h5p") == 1, activity.lesson
        folder = lesson.body[kinds.index("h5p")].value["activity"].folder
        assert (settings.H5P_STORE / folder / "h5p.json").is_file()


def test_every_demo_lesson_renders(demo, client):
    # The demo trainer is certified: every audience, the trainers' track's lessons included.
    client.login(email="trainer@example.org", password="flightpath")
    for lesson in LessonPage.objects.live():  # translations too, under their language
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.url
        assert len(response.content) < 200_000
        if lesson.locale.language_code == "en":
            assert "Key points" in response.text and "Check your understanding" in response.text


def test_the_demo_has_the_train_the_trainers_track(demo):
    track = TrackPage.objects.get(slug="train-the-trainers")
    assert [tc.course.slug for tc in track.track_courses.all()] == [
        "recognising-smuggling-by-air",
        "document-abuse",
        "corruption-resistance",
        "profiling-ethics-and-rights",
    ]
    assert TrackPage.objects.count() == 1


def test_the_demo_trainer_is_certified_by_the_demo_master_on_an_observed_session(demo):
    row = TrainerCertification.objects.get(user__email="trainer@example.org")
    assert row.observed_session.observer.email == "master@example.org"
    assert row.observed_session.passed
    assert requirements.trainer_checklist(user=row.user).complete
    assert requirements.trainer_track().track_courses.count() == 4
    master = TrainerCertification.objects.get(user__email="master@example.org")
    assert (master.level, row.level) == ("master", "trainer")
    assert row.certified_by == master.user
    assert cert.may_teach(user=row.user) and cert.may_teach(user=master.user)


def test_the_demo_has_a_cascade_four_levels_deep(demo):
    rows, _total = cascade.cascade_reach(scope=cascade.Scope("all"))
    by_email = {row.email: row for row in rows}
    master = by_email["master@example.org"]
    assert master.depth == 0 and master.level == "master"
    assert by_email["trainer@example.org"].trained_by == "Mariam Master"
    assert by_email["giulia.ferri@example.org"].depth == 2
    assert master.downstream_learners >= 10 and 0 < master.completion_rate < 1
    assert set(master.airports) == {"NBO", "COO", "ALG", "FCO", "KUL"}
    assert LessonCompletion.objects.filter(in_class_session__isnull=False).exists()
    assert LessonCompletion.objects.filter(in_class_session__isnull=True).exists()


def test_the_demos_cohorts_teach_the_english_courses_and_their_learners_are_enrolled(demo):
    """Translations of the demo's courses load first: a cohort still teaches the course they
    translate, and its learners are enrolled, as adding them to a cohort does, so the demo
    coordinator's dashboards count them."""
    cohorts = Cohort.objects.select_related("course__locale")
    assert cohorts.exists()
    assert {cohort.course.locale.language_code for cohort in cohorts} == {"en"}
    members = CohortMember.objects.select_related("cohort")
    enrolled = set(Enrolment.objects.values_list("user_id", "course_id"))
    assert {(m.user_id, m.cohort.course_id) for m in members} <= enrolled
    kenya = Organisation.objects.get(slug="kenya-immigration")
    assert LearnerProgress.objects.filter(organisation=kenya, completed_at__isnull=False).exists()
    assert CourseCompletion.objects.exists()


def test_the_demo_delivers_cohorts_under_seeded_programmes(demo):
    nairobi = Programme.objects.get(identifier="FP-INTERPOL-STOP-NBO-2011")
    results = programme_results(programmes=[nairobi])[nairobi.pk]
    assert results.cohorts == 2
    assert results.participants_trained == 4  # present at a session or completed online
    assert results.certified_trainers >= 1  # Wanjiru Kamau, a learner, certified since


def test_the_demo_programme_coordinator_sees_their_programmes_figures(demo, client):
    email = PROGRAMME_COORDINATOR[0]
    assert email in demo
    assert client.login(email=email, password="flightpath")
    completion = client.get(reverse("courses:dashboards"))
    assert completion.status_code == 200
    assert completion.context["totals"]["enrolled"] > 0
    assert completion.context["options"].programmes == [COORDINATED]
    results = client.get(reverse("courses:dashboard_programmes"))
    [row] = results.context["rows"]
    assert (row.identifier, row.cohorts) == (COORDINATED, 2)


def test_the_demo_cohorts_take_their_final_quizzes_for_the_competency_analytics(demo, client):
    from assessments.models import Attempt

    taken = Attempt.objects.filter(status=Attempt.Status.SUBMITTED).count()
    assert taken > 0 and f"Final quizzes taken by cohort learners: {taken}" in demo
    assert Attempt.objects.count() == taken
    assert client.login(email="coordinator@example.org", password="flightpath")
    page = client.get(reverse("courses:dashboard_competency"))
    assert page.status_code == 200
    assert page.context["answers"] > 0 and page.context["rows"]


def test_a_page_link_in_wagtails_moderation_email_names_the_site_port(demo):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8100)
    assert CoursePage.objects.live().first().full_url.startswith(f"{ORIGIN}/")


# Files and exports are the same in every language and are not pages to walk.
NOT_PAGES = (".csv", ".xlsx", ".xml", ".pdf", ".json", ".h5p", ".zip", ".html")
PAGES_PER_WALK = 80


def walk(client: Client, language: str) -> dict[str, list[str]]:
    """Pages reached from the home page, each with the links that leave the language."""
    starts = [f"/{language}/{path}" for path in ("", "verify/", "training/", "accounts/login/")]
    queue, seen, strays = deque(starts), set(starts), {}
    while queue and len(seen) <= PAGES_PER_WALK:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links = internal_links(response.text)
        leaving = [link for link in links if not link.startswith(f"/{language}/")]
        if leaving:
            strays[path] = leaving
        for link in links:
            if (
                link not in seen
                and link.startswith(f"/{language}/")
                and not link.endswith(NOT_PAGES)
                and "/logout/" not in link
            ):
                seen.add(link)
                queue.append(link)
    return strays


def test_every_link_on_the_demo_site_keeps_the_language(demo):
    walks = [("", "ar"), ("", "fr")] + [
        (f"{role}@example.org", "fr") for role in ("officer", "trainer", "coordinator")
    ]
    found = {}
    for email, language in walks:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        for path, leaving in walk(client, language).items():
            found[f"{email or 'visitor'} {path}"] = leaving
    assert found == {}
