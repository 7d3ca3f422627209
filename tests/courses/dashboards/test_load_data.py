"""`generate_load_data`: the population it writes is one the site could have recorded."""

import pytest
from django.db import connection

from assessments.models import Attempt
from assessments.selectors import counted_attempt
from courses.dashboards import load_data
from courses.models import CoursePage, LearnerProgress

from ...assessments.test_quiz_audit import SMALL
from ...factories import make_course, make_quiz_from_text


def test_learners_of_two_courses_sharing_a_final_quiz_number_their_attempts(db, tmp_path):
    """As a course and its translation share one: a learner who finishes both has attempts 1
    and 2 of the quiz, never two attempts numbered 1."""
    quiz = make_quiz_from_text(tmp_path, SMALL)
    second = make_course(title="Same quiz", lessons=1)
    second.final_quiz = quiz
    second.save_revision().publish()
    assert CoursePage.objects.live().filter(final_quiz=quiz).count() == 2

    load_data.generate(learners=100, seed=3, password="x", log=lambda line: None)

    numbers = list(Attempt.objects.filter(quiz=quiz).values_list("user_id", "number"))
    assert len(numbers) == len(set(numbers))
    assert any(number == 2 for _user, number in numbers)


def test_generated_attempts_read_back_as_graded_attempts(db, tmp_path):
    """Written past the ORM, an attempt's answers and marks read back as the site wrote them:
    choosing a learner's counted attempt reads its marks."""
    quiz = make_quiz_from_text(tmp_path, SMALL)
    course = make_course(title="Graded", lessons=1)
    course.final_quiz = quiz
    course.save_revision().publish()

    load_data.generate(learners=40, seed=5, password="x", log=lambda line: None)

    attempt = Attempt.objects.filter(quiz=quiz).select_related("user").first()
    assert isinstance(attempt.drawn, list) and isinstance(attempt.answers, dict)
    assert isinstance(attempt.percent, dict) and attempt.percent
    counted = counted_attempt(user=attempt.user, quiz=quiz)
    assert counted.user_id == attempt.user_id and counted.submitted_at is not None


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's vacuum (SQLite keeps no visibility map); CI runs the suite on both",
)
@pytest.mark.django_db(transaction=True)
def test_the_population_is_left_vacuumed_on_postgresql():
    """Until a table is vacuumed, PostgreSQL's index-only scans read its rows too: the
    generator's last step (`_settled`, after the summaries' rebuild) vacuums and analyses
    every table, as autovacuum would."""

    def vacuumed(table):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                [table],
            )
            return cursor.fetchone()

    before = vacuumed(LearnerProgress._meta.db_table)
    load_data._settled()
    after = vacuumed(LearnerProgress._meta.db_table)
    assert after[0] is not None and after[1] is not None
    assert before[0] is None or after[0] > before[0]
