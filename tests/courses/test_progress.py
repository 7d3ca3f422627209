import pytest

from courses.models import CourseCompletion, Enrolment, LessonCompletion
from courses.selectors import catalogue_for_user

pytestmark = pytest.mark.django_db


def lessons(course):
    return list(course.get_children().specific().order_by("path"))


def test_officer_enrols_and_is_sent_to_the_first_lesson(client, officer, officers_course):
    client.force_login(officer)
    response = client.post(f"/courses/{officers_course.pk}/enrol/")
    assert response.status_code == 302
    assert response["Location"] == lessons(officers_course)[0].url
    assert Enrolment.objects.filter(user=officer, course=officers_course).count() == 1


def test_enrolling_twice_keeps_one_enrolment(client, officer, public_course):
    client.force_login(officer)
    client.post(f"/courses/{public_course.pk}/enrol/")
    client.post(f"/courses/{public_course.pk}/enrol/")
    assert Enrolment.objects.filter(user=officer).count() == 1


def test_unverified_member_cannot_enrol_in_officers_course(client, newcomer, officers_course):
    client.force_login(newcomer)
    client.post(f"/courses/{officers_course.pk}/enrol/")
    assert not Enrolment.objects.filter(user=newcomer).exists()


def test_enrol_needs_sign_in(client, public_course):
    response = client.post(f"/courses/{public_course.pk}/enrol/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_enrol_refuses_get(client, officer, public_course):
    client.force_login(officer)
    assert client.get(f"/courses/{public_course.pk}/enrol/").status_code == 405


def test_marking_a_lesson_complete_moves_progress_and_continue(client, officer, public_course):
    first, second, third = lessons(public_course)
    client.force_login(officer)
    response = client.post(f"/lessons/{first.pk}/complete/")
    assert response["Location"] == second.url
    course_page = client.get(public_course.url)
    assert 'value="1"' in course_page.text and 'max="3"' in course_page.text
    assert f'href="{second.url}"' in course_page.text
    my_learning = client.get("/my-learning/")
    assert "1 of 3 lessons done (33%)" in my_learning.text
    assert f'href="{second.url}"' in my_learning.text


def test_completing_a_lesson_twice_records_it_once(client, officer, public_course):
    first = lessons(public_course)[0]
    client.force_login(officer)
    client.post(f"/lessons/{first.pk}/complete/")
    client.post(f"/lessons/{first.pk}/complete/")
    assert LessonCompletion.objects.filter(user=officer, lesson=first).count() == 1


def test_completing_every_lesson_completes_the_course(client, officer, public_course):
    client.force_login(officer)
    for lesson in lessons(public_course):
        assert not CourseCompletion.objects.filter(user=officer).exists()
        client.post(f"/lessons/{lesson.pk}/complete/")
    assert CourseCompletion.objects.filter(user=officer, course=public_course).count() == 1
    assert "Completed" in client.get("/my-learning/").text


def test_continue_skips_completed_lessons_out_of_order(client, officer, public_course):
    first, second, third = lessons(public_course)
    client.force_login(officer)
    client.post(f"/lessons/{second.pk}/complete/")
    entry = catalogue_for_user(user=officer)[0]
    assert entry.next_lesson.pk == first.pk
    assert entry.progress.done == 1 and entry.progress.percent == 33


def test_catalogue_shows_progress_bar_for_enrolled_course(client, officer, public_course):
    client.force_login(officer)
    client.post(f"/lessons/{lessons(public_course)[0].pk}/complete/")
    response = client.get(public_course.get_parent().url)
    assert "1 of 3 lessons done" in response.text


def test_my_learning_needs_sign_in(client):
    assert client.get("/my-learning/").status_code == 302


def test_my_learning_shows_only_own_enrolments(client, officer, stranger, public_course):
    client.force_login(stranger)
    client.post(f"/courses/{public_course.pk}/enrol/")
    client.logout()
    client.force_login(officer)
    response = client.get("/my-learning/")
    assert response.context["entries"] == []
    assert "You are not enrolled in any course yet." in response.text
