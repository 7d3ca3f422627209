"""The `trainers` audience: certified trainers (a certification in force) and staff read the
trainers' courses; trainer candidates read a trainers' track's own lessons, and take its final
quiz, through their enrolment in it; CMS authors keep writing what they wrote before."""

import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.accounts.models import Audience
from cms.accounts.selectors import audiences_for_user, authoring_audiences
from courses.models import Enrolment, LessonPage, TrainerCertification
from courses.services import enrolment_create
from courses.training import certification

from ..factories import UserFactory, make_course, make_lesson, make_track

pytestmark = pytest.mark.django_db

SECRET = "Running the dominant-participant scenario"


def certify(user, *, status="certified", days_left=500, level="trainer"):
    today = timezone.localdate()
    return TrainerCertification.objects.create(
        user=user,
        level=level,
        status=status,
        valid_from=None if status == "candidate" else today - datetime.timedelta(days=30),
        valid_until=None if status == "candidate" else today + datetime.timedelta(days=days_left),
    )


@pytest.fixture
def track(public_course, officers_course):
    track = make_track(
        title="Train the trainers",
        slug="ttt",
        audience="trainers",
        courses=[public_course, officers_course],
        lessons=0,
    )
    make_lesson(track, 1, text=SECRET)
    return track


@pytest.fixture
def track_lesson(track):
    return LessonPage.objects.child_of(track).get()


@pytest.fixture
def trainers_course(db):
    return make_course(title="Master class", slug="master-class", audience="trainers", lessons=1)


@pytest.fixture
def certified_trainer(db):
    person = UserFactory()
    certify(person)
    return person


class TestAudienceRule:
    def test_a_verified_trainer_is_no_longer_given_the_trainers_audience(self, trainer):
        assert Audience.TRAINERS not in audiences_for_user(user=trainer)

    def test_nor_a_coordinator(self, coordinator):
        assert Audience.TRAINERS not in audiences_for_user(user=coordinator)

    def test_a_certified_trainer_or_master_trainer_has_it(self, db):
        trainer, master = UserFactory(), UserFactory()
        certify(trainer)
        certify(master, level="master")
        assert Audience.TRAINERS in audiences_for_user(user=trainer)
        assert Audience.TRAINERS in audiences_for_user(user=master)

    @pytest.mark.parametrize("status", ["candidate", "suspended", "revoked"])
    def test_a_certification_not_in_force_gives_nothing(self, db, status):
        person = UserFactory()
        certify(person, status=status)
        assert audiences_for_user(user=person) == {Audience.PUBLIC}

    def test_an_expired_certification_gives_nothing(self, db):
        person = UserFactory()
        certify(person, days_left=-1)
        assert Audience.TRAINERS not in audiences_for_user(user=person)

    def test_staff_have_it(self, django_user_model):
        staff = django_user_model.objects.create_user(email="s@example.org", is_staff=True)
        assert Audience.TRAINERS in audiences_for_user(user=staff)

    def test_the_answer_is_cached_until_a_certification_is_recorded(
        self, certified_trainer, django_assert_num_queries, django_user_model
    ):
        def fresh():
            return django_user_model.objects.get(pk=certified_trainer.pk)

        assert Audience.TRAINERS in audiences_for_user(user=fresh())
        person = fresh()
        with django_assert_num_queries(0):
            assert Audience.TRAINERS in audiences_for_user(user=person)
        latest = TrainerCertification.objects.get(user=certified_trainer)
        TrainerCertification.objects.create(
            user=certified_trainer,
            level=latest.level,
            status="revoked",
            valid_from=latest.valid_from,
            valid_until=latest.valid_until,
            reason="Misconduct",
        )
        assert Audience.TRAINERS not in audiences_for_user(user=fresh())

    def test_cms_authors_keep_the_trainers_audience_for_writing(self, trainer, ngo_trainer):
        assert Audience.TRAINERS in authoring_audiences(user=trainer)
        assert Audience.TRAINERS not in authoring_audiences(user=ngo_trainer)


class TestTrackLessons:
    def test_anonymous_visitor_is_told_it_is_for_trainers_and_to_sign_in(
        self, client, track_lesson
    ):
        response = client.get(track_lesson.url)
        assert response.status_code == 403 and "/accounts/login/?next=" in response.text
        assert "for certified trainers" in response.text and SECRET not in response.text

    def test_a_learner_is_refused(self, client, officer, track_lesson):
        client.force_login(officer)
        response = client.get(track_lesson.url)
        assert response.status_code == 403
        assert SECRET not in response.text

    def test_a_learner_cannot_enrol_in_the_trainers_track(self, client, officer, track):
        client.force_login(officer)
        client.post(f"/courses/{track.pk}/enrol/")
        assert not Enrolment.objects.filter(user=officer).exists()
        assert "for certified trainers and trainer candidates" in client.get(track.url).text

    def test_a_certified_trainer_opens_them_without_enrolling(
        self, client, certified_trainer, track_lesson
    ):
        client.force_login(certified_trainer)
        response = client.get(track_lesson.url)
        assert response.status_code == 200 and SECRET in response.text

    def test_a_certified_trainer_who_is_suspended_is_refused_at_once(
        self, client, organisation, coordinator, track_lesson
    ):
        person = UserFactory()
        TrainerCertification.objects.create(
            user=person,
            level="trainer",
            status="certified",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + datetime.timedelta(days=500),
            organisation=organisation,
        )
        client.force_login(person)
        assert client.get(track_lesson.url).status_code == 200
        certification.suspend(user=person, level="trainer", by=coordinator, reason="Inquiry")
        assert client.get(track_lesson.url).status_code == 403

    def test_a_candidate_not_enrolled_is_refused(self, client, trainer, track_lesson):
        client.force_login(trainer)
        assert client.get(track_lesson.url).status_code == 403

    def test_a_candidate_enrolled_in_the_track_opens_its_lessons(
        self, client, trainer, track, track_lesson
    ):
        client.force_login(trainer)
        assert "Enrol in this track" in client.get(track.url).text
        client.post(f"/courses/{track.pk}/enrol/")
        response = client.get(track_lesson.url)
        assert response.status_code == 200 and SECRET in response.text
        assert Enrolment.objects.filter(user=trainer).count() == 3  # the track and its courses
        page = client.get(track.url).text
        assert f'href="{track_lesson.url}"' in page and "locked" not in page

    def test_but_not_other_trainers_courses(self, client, trainer, track, trainers_course):
        enrolment_create(user=trainer, course=track)
        client.force_login(trainer)
        lesson = LessonPage.objects.child_of(trainers_course).get()
        assert client.get(lesson.url).status_code == 403
        with pytest.raises(Exception, match="not open"):
            enrolment_create(user=trainer, course=trainers_course)

    def test_a_person_holding_a_candidacy_may_enrol_too(self, client, track, track_lesson):
        person = UserFactory()
        certify(person, status="candidate")
        client.force_login(person)
        client.post(f"/courses/{track.pk}/enrol/")
        assert client.get(track_lesson.url).status_code == 200
        # not a member of an organisation with officer access: the public course only
        enrolled = Enrolment.objects.filter(user=person).values_list("course__slug", flat=True)
        assert set(enrolled) == {"ttt", "recognising"}

    def test_an_enrolled_candidate_who_leaves_the_organisation_is_refused(
        self, client, trainer, track, track_lesson
    ):
        enrolment_create(user=trainer, course=track)
        client.force_login(trainer)
        assert client.get(track_lesson.url).status_code == 200
        client.post("/organisations/leave/")
        assert client.get(track_lesson.url).status_code == 403


class TestTrackQuiz:
    @pytest.fixture
    def quiz(self, track):
        from assessments.content_loader import load_quizzes
        from courses import demo

        spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
        return demo.quiz(dataclasses.replace(spec, slug="the-class", title="The class"), track)

    def test_an_enrolled_candidate_takes_the_tracks_final_quiz(self, client, trainer, track, quiz):
        assert quiz.audience == "trainers"
        url = reverse("assessments:quiz", args=[quiz.slug])
        client.force_login(trainer)
        assert client.get(url).status_code == 403
        enrolment_create(user=trainer, course=track)
        assert client.get(url).status_code == 200

    def test_a_learner_cannot(self, client, officer, quiz):
        client.force_login(officer)
        assert client.get(reverse("assessments:quiz", args=[quiz.slug])).status_code == 403


class TestCMS:
    def test_an_uncertified_trainer_still_edits_trainers_lessons(
        self, client, trainer, track_lesson, trainers_course
    ):
        client.force_login(trainer)
        assert client.get(f"/admin/pages/{track_lesson.pk}/edit/").status_code == 200
        lesson = LessonPage.objects.child_of(trainers_course).get()
        assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200

    def test_a_trainer_without_officer_access_still_cannot(self, client, ngo_trainer, track_lesson):
        client.force_login(ngo_trainer)
        response = client.get(f"/admin/pages/{track_lesson.pk}/edit/")
        assert response.status_code in (302, 403, 404)
