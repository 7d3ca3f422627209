"""People and lessons for the trainer notes and session pack tests: notes of our own, never the
shipped lesson files (which their authors change)."""

import datetime

from django.utils import timezone

from courses.models import LessonPage, TrainerCertification

from ...factories import MembershipFactory, make_course

NOTE = "Ask the pairs to find the fake Lagos boarding pass"
MODEL_ANSWER = "A good answer names the check-in desk"
INDICATOR = "Ticket bought in cash the day before departure"
KEY_POINT = "Smugglers use genuine documents obtained by fraud"

NOTES = f"""### Session plan
- **10 min** · Opening: short input. {NOTE}.
- **20 min** · Pair work on the scenario.

### Discussion questions
1. Who should be told first?
   *Model answer:* {MODEL_ANSWER}.

### Scenario to run
A passenger at the transfer desk holds two boarding passes.
"""


def certify(user, *, level=TrainerCertification.Level.TRAINER, days_left=400):
    today = timezone.localdate()
    return TrainerCertification.objects.create(
        user=user,
        level=level,
        status=TrainerCertification.Status.CERTIFIED,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=days_left),
    )


def certified_officer(organisation):
    """A certified trainer who does not author content: served lessons from the shared copies,
    as learners are."""
    user = MembershipFactory(organisation=organisation).user
    certify(user)
    return user


def with_notes(lesson: LessonPage, *, notes=NOTES, indicators=(INDICATOR,), mrz=False):
    lesson = lesson.specific
    lesson.trainer_notes = notes
    lesson.indicator_card = "\n".join(indicators)
    lesson.handout_mrz_map = mrz
    lesson.body = [
        ("paragraph", "<p>Lesson text about document checks.</p>"),
        ("key_points", {"points": [KEY_POINT, "Check the MRZ against the data page"]}),
    ]
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


def course_with_notes(*, title="Document abuse for trainers", lessons=2, audience="public", **kw):
    course = make_course(title=title, audience=audience, lessons=lessons)
    for lesson in course.get_children():
        with_notes(lesson, **kw)
    return course
