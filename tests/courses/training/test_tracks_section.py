"""The training hub lists the tracks, with the trainer's progress in each."""

import pytest
from django.urls import reverse

from courses.models import LessonPage
from courses.services import enrolment_create, lesson_complete

from ...factories import make_track

pytestmark = pytest.mark.django_db


def test_the_hub_lists_the_trainers_track_with_the_trainers_progress(
    client, trainer, public_course
):
    track = make_track(title="Train the trainers", audience="trainers", courses=[public_course])
    enrolment_create(user=trainer, course=track)
    lesson_complete(user=trainer, lesson=LessonPage.objects.child_of(track).get())
    client.force_login(trainer)
    html = client.get(reverse("courses:training")).text
    assert "Train the trainers" in html and "Track · 1 course" in html
    assert "1 of 4 steps done" in html


def test_the_hub_shows_no_track_section_without_tracks(client, trainer, public_course):
    client.force_login(trainer)
    assert 'id="training-tracks"' not in client.get(reverse("courses:training")).text
