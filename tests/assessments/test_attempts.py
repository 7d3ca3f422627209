"""Attempts: the server grades, nothing is lost, nothing is forged, submit happens once."""

import re

import pytest

from assessments import vocabulary
from assessments.content_loader import load_quizzes
from assessments.models import Attempt
from courses import demo
from courses.models import Certificate, CourseCompletion
from courses.services import lesson_complete

from ..factories import lesson_with_block, make_course
from .pages import submit

pytestmark = pytest.mark.django_db
SPECS = {spec.slug: spec for spec in load_quizzes()}


def a_quiz(slug, audience="public", **changes):
    course = make_course(
        title=f"Course for {slug}", slug=f"for-{slug}", audience=audience, lessons=1
    )
    quiz = demo.quiz(SPECS[slug], course)
    if changes:
        for name, value in changes.items():
            setattr(quiz, name, value)
        quiz.save_revision().publish()
    return quiz


def start(client, quiz):
    response = client.post(f"/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", response["Location"])[1]))


def token(attempt, key, choice_id):
    """The identifier the attempt's page gives a choice."""
    return vocabulary.choice_token(attempt_id=attempt.pk, key=key, choice_id=choice_id)


def right_answers(attempt):
    """The answers a learner who knows everything would give, as form fields."""
    quiz = attempt.quiz_as_started
    data = {"sequence": str(attempt.sequence + 1)}
    for key in attempt.drawn:
        question = quiz.scoring_question(key)
        if question.kind == "ordering":
            for position, choice in enumerate(question.choices, start=1):
                data[f"q-{key}-{token(attempt, key, choice.id)}"] = str(position)
        else:
            data[f"q-{key}"] = [token(attempt, key, c.id) for c in question.choices if c.correct]
    return data


def course_ending_with(quiz):
    """A published one-lesson course whose final quiz is `quiz`."""
    course = make_course(title="Final", slug="final", lessons=1)
    course.final_quiz = quiz
    course.save_revision().publish()
    return course


@pytest.fixture
def transit_lounge():
    return a_quiz("the-transit-lounge")


def test_attempt_draws_from_the_pool_and_resumes_the_same_questions(client, officer):
    pool = a_quiz("the-transit-lounge", draw=8)
    client.force_login(officer)
    attempt = start(client, pool)
    assert len(attempt.drawn) == 8
    assert set(attempt.drawn) <= set(pool.blocks_by_key)
    assert start(client, pool).pk == attempt.pk  # a second click resumes it
    assert Attempt.objects.filter(user=officer).count() == 1


def test_correct_answers_and_feedback_never_reach_the_page(client, officer, transit_lounge):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    spec_choices = [c for q in SPECS["the-transit-lounge"].questions for c in q.choices]
    assert all(choice.feedback not in html for choice in spec_choices)
    assert "is_correct" not in html and "detection:" not in html


def test_right_answers_pass_and_submitting_twice_grades_once(client, officer, transit_lounge):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    first = submit(client, attempt, right_answers(attempt))
    attempt.refresh_from_db()
    confirm = {"sequence": str(attempt.sequence), "confirm": "1"}
    second = client.post(f"/quizzes/attempts/{attempt.pk}/submit/", confirm)  # a double click
    assert first["Location"] == second["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.passed
    assert attempt.percent == {"detection": 100, "rights": 100}
    result = client.get(f"/quizzes/attempts/{attempt.pk}/result/")
    assert "You passed." in result.text


def test_unanswered_quiz_fails(client, officer, transit_lounge):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    submit(client, attempt, {"sequence": "1"})
    attempt.refresh_from_db()
    assert attempt.percent == {"detection": 0, "rights": 0} and attempt.passed is False


def test_late_autosave_never_overwrites_a_newer_one(client, officer, transit_lounge):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    key = next(
        k
        for k in attempt.drawn
        if attempt.quiz_as_started.blocks_by_key[k].block_type in ("single", "true_false")
    )
    url = f"/quizzes/attempts/{attempt.pk}/save/"
    second, first = token(attempt, key, "c2"), token(attempt, key, "c1")
    assert client.post(url, {"sequence": "5", f"q-{key}": second}).json()["saved"] is True
    assert client.post(url, {"sequence": "4", f"q-{key}": first}).json()["saved"] is False
    attempt.refresh_from_db()
    assert attempt.answers == {key: "c2"} and attempt.sequence == 5


def test_forged_choice_is_refused_and_nothing_is_stored(client, officer, transit_lounge):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    key = next(k for k in attempt.drawn if transit_lounge.blocks_by_key[k].block_type == "single")
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/save/", {"sequence": "1", f"q-{key}": "c99"}
    )
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.sequence == 0


def test_changes_to_a_submitted_attempt_are_refused_clearly(client, officer, transit_lounge):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    submit(client, attempt, right_answers(attempt))
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", {"sequence": "99"})
    assert response.status_code == 409
    assert "submitted" in response.json()["error"]


@pytest.mark.parametrize("suffix", ["", "save/", "review/", "submit/", "result/", "choose/"])
def test_someone_elses_attempt_is_not_found(client, officer, stranger, transit_lounge, suffix):
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    client.force_login(stranger)
    url = f"/quizzes/attempts/{attempt.pk}/{suffix}"
    response = (
        client.post(url, {"sequence": "1"})
        if suffix in ("save/", "submit/", "choose/")
        else client.get(url)
    )
    assert response.status_code == 404
    if suffix == "review/":
        assert client.post(url, right_answers(attempt)).status_code == 404


def test_officers_quiz_is_refused_to_unverified_member(client, newcomer):
    quiz = a_quiz("inspect-the-mrz", audience="officers")
    client.force_login(newcomer)
    assert client.get(f"/quizzes/{quiz.slug}/").status_code == 403
    assert client.post(f"/quizzes/{quiz.slug}/start/").status_code == 403
    assert not Attempt.objects.exists()


def test_officers_quiz_sends_visitor_to_sign_in(client):
    quiz = a_quiz("inspect-the-mrz", audience="officers")
    response = client.get(f"/quizzes/{quiz.slug}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_attempt_limit_is_kept(client, officer):
    quiz = a_quiz("the-transit-lounge", attempts_allowed=1)
    client.force_login(officer)
    attempt = start(client, quiz)
    submit(client, attempt, {"sequence": "1"})
    response = client.post(f"/quizzes/{quiz.slug}/start/", follow=True)
    assert "used all the attempts" in response.text
    assert Attempt.objects.count() == 1


def test_mrz_question_shows_a_zone_built_by_the_server(client, officer):
    quiz = a_quiz("inspect-the-mrz", audience="officers")
    client.force_login(officer)
    attempt = start(client, quiz)
    key = next(k for k in attempt.drawn if quiz.blocks_by_key[k].block_type == "mrz")
    line1, line2 = quiz.specimen_lines(key)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    assert line1.replace("<", "&lt;") in html and line2.replace("<", "&lt;") in html


def walk(client, attempt, pick):
    """Take a scenario to its end, choosing at each step with `pick(choices)`."""
    quiz = attempt.quiz_as_started
    step = quiz.first_step
    while step:
        choice = pick(quiz.scoring_question(step).choices)
        client.post(
            f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": token(attempt, step, choice.id)}
        )
        step = choice.leads_to
    attempt.refresh_from_db()
    return attempt


def test_branching_scenario_best_route_passes_and_shows_its_ending(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = walk(
        client,
        start(client, quiz),
        lambda choices: max(choices, key=lambda c: sum(c.points.values())),
    )
    assert attempt.status == "submitted" and attempt.passed
    result = client.get(f"/quizzes/attempts/{attempt.pk}/result/").text
    assert any(ending["title"] in result for ending in quiz.endings_by_slug.values())


def test_effective_but_unlawful_route_fails_on_rights(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = walk(
        client,
        start(client, quiz),
        lambda choices: min(
            choices, key=lambda c: (c.points.get("rights", 0), -c.points.get("detection", 0))
        ),
    )
    assert attempt.passed is False
    assert attempt.percent["rights"] < 70


def test_choice_that_does_not_follow_is_refused(client, stranger):
    quiz = a_quiz("gate-b12")
    client.force_login(stranger)
    attempt = start(client, quiz)
    response = client.post(
        f"/quizzes/attempts/{attempt.pk}/choose/", {"choice": "c99"}, follow=True
    )
    assert "reload the page" in response.text
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.is_open


def test_course_completes_only_once_its_final_quiz_is_passed(
    client, officer, transit_lounge, django_capture_on_commit_callbacks
):
    course = course_ending_with(transit_lounge)
    lesson_complete(user=officer, lesson=course.get_children().first().specific)
    assert not CourseCompletion.objects.filter(user=officer, course=course).exists()
    client.force_login(officer)
    attempt = start(client, transit_lounge)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(client, attempt, right_answers(attempt))
        submit(client, attempt, right_answers(attempt))
    announced = [
        c for c in callbacks if getattr(c, "__qualname__", "").startswith("attempt_submit.")
    ]
    assert len(announced) == 1  # graded, and announced, once
    assert CourseCompletion.objects.filter(user=officer, course=course).exists()
    assert Certificate.objects.filter(holder=officer, course=course).count() == 1


def test_quiz_placed_in_a_lesson_links_to_it(client, officer, transit_lounge):
    lesson = lesson_with_block("quiz", {"quiz": transit_lounge.pk}, slug="with-quiz")
    client.force_login(officer)
    html = client.get(lesson.url).text
    assert f'href="/quizzes/{transit_lounge.slug}/"' in html and transit_lounge.title in html


def test_unpublishing_a_quiz_removes_it_from_the_lesson_at_once(client, officer, transit_lounge):
    lesson = lesson_with_block("quiz", {"quiz": transit_lounge.pk}, slug="with-quiz")
    client.force_login(officer)
    assert transit_lounge.title in client.get(lesson.url).text
    transit_lounge.unpublish()
    assert transit_lounge.title not in client.get(lesson.url).text


def test_after_the_time_limit_saves_are_refused_and_submit_grades_what_was_saved(client, officer):
    from datetime import timedelta

    from django.utils import timezone

    quiz = a_quiz("the-transit-lounge", time_limit_minutes=10)
    client.force_login(officer)
    attempt = start(client, quiz)
    assert attempt.deadline is not None
    data = right_answers(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = client.post(f"/quizzes/attempts/{attempt.pk}/save/", data)
    assert response.status_code == 409 and "Time is up" in response.json()["error"]
    client.post(f"/quizzes/attempts/{attempt.pk}/submit/", data)
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.percent == {"detection": 0, "rights": 0}


@pytest.mark.parametrize("feedback,shown", [("on_submit", True), ("never", False)])
def test_feedback_is_shown_as_the_quiz_says(client, officer, feedback, shown):
    quiz = a_quiz("the-transit-lounge", feedback=feedback)
    client.force_login(officer)
    attempt = start(client, quiz)
    submit(client, attempt, right_answers(attempt))
    html = client.get(f"/quizzes/attempts/{attempt.pk}/result/").text
    assert ("Your answer:" in html) is shown


@pytest.mark.parametrize("counting,passed", [("best", True), ("last", False)])
def test_the_attempt_that_counts_is_the_best_or_the_last(client, officer, counting, passed):
    from assessments.selectors import has_passed

    quiz = a_quiz("the-transit-lounge", counting=counting)
    client.force_login(officer)
    first = start(client, quiz)
    submit(client, first, right_answers(first))
    second = start(client, quiz)
    submit(client, second, {"sequence": "1"})
    assert has_passed(user=officer, quiz=quiz) is passed


def test_course_page_shows_each_reader_whether_they_passed_its_final_quiz(
    officer, organisation, transit_lounge
):
    from django.test import Client

    from ..factories import MembershipFactory

    course = course_ending_with(transit_lounge)
    passer, colleague = Client(), Client()
    passer.force_login(officer)
    colleague.force_login(MembershipFactory(organisation=organisation).user)
    assert "passing it completes the course" in colleague.get(course.url).text  # shared copy
    attempt = start(passer, transit_lounge)
    submit(passer, attempt, right_answers(attempt), follow=True)
    assert "✓ passed" in passer.get(course.url).text
    assert "✓ passed" not in colleague.get(course.url).text


def test_course_page_outlives_its_deleted_final_quiz(client, officer, transit_lounge):
    course = course_ending_with(transit_lounge)
    client.force_login(officer)
    assert "Final scenario quiz" in client.get(course.url).text
    transit_lounge.delete()
    response = client.get(course.url)
    assert response.status_code == 200 and "Final scenario quiz" not in response.text
