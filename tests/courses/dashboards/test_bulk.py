"""`bulk.insert`: rows written past the ORM read back as the ORM would have written them."""

import datetime

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from assessments.models import Attempt
from courses.dashboards import bulk, load_data
from courses.dashboards.outcomes import ALL_TIME
from courses.models import CompletionMonth, Enrolment

from ...assessments.test_quiz_audit import SMALL
from ...factories import UserFactory, make_course, make_quiz_from_text

# The fields the load generator writes an attempt with.
NAMES = load_data.LEARNING["attempts"][1]


def _stored(row: Model, *leave_out: str) -> dict:
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key and field.attname not in leave_out
    }


@pytest.mark.parametrize("prepared", [(), ("drawn", "answers", "percent")])
def test_an_attempt_written_in_bulk_reads_back_as_one_the_orm_wrote(db, tmp_path, prepared):
    quiz = make_quiz_from_text(tmp_path, SMALL)
    moment = timezone.now() - datetime.timedelta(days=40, microseconds=7)
    values = {
        "user_id": UserFactory().pk,
        "quiz_id": quiz.pk,
        "revision_id": quiz.latest_revision_id,
        "drawn": ["q1", "q2"],
        "answers": {"q1": "b", "q2": ["a", "c"], "note": "جواز سفر"},
        "status": Attempt.Status.SUBMITTED.value,
        "started_at": moment,
        "submitted_at": moment,
        "percent": {"overall": 66.5},
        "passed": False,
    }
    by_orm = Attempt.objects.create(number=1, **values)
    Attempt.objects.filter(pk=by_orm.pk).update(started_at=moment)  # the ORM sets it when saved
    # Values many rows share come prepared (`bulk.prepared`); `insert` prepares the others.
    row = {"number": 2, **values}
    row.update({name: bulk.prepared(Attempt, name, values[name]) for name in prepared})

    assert bulk.insert(Attempt, NAMES, [tuple(row[n] for n in NAMES)], prepared=prepared) == 1

    orm, written = Attempt.objects.order_by("number")
    assert written.number == 2 and written.started_at == moment
    assert _stored(written, "number") == _stored(orm, "number")
    assert written.sequence == 0 and written.deadline is None  # the fields' defaults
    # As stored, too: SQLite compares moments as the text it holds.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Attempt._meta.db_table)
        cursor.execute(f"SELECT started_at, submitted_at FROM {table} ORDER BY number")  # noqa: S608
        assert cursor.fetchone() == cursor.fetchone()


def test_dates_and_defaults_of_counts_written_in_bulk(db):
    course = make_course(lessons=1)
    names = ("level", "course_id", "country", "month", "completions")
    rows = [(2, course.pk, "KE", ALL_TIME, 4), (0, course.pk, "BJ", datetime.date(2026, 3, 1), 1)]

    bulk.insert(CompletionMonth, names, rows)

    found = CompletionMonth.objects.order_by("level").values_list(*names, "enrolments")
    assert list(found) == [(*rows[1], 0), (*rows[0], 0)]


def test_a_field_set_when_saved_must_be_named(db):
    course = make_course(lessons=1)

    with pytest.raises(ValueError, match="enrolled_at"):
        bulk.insert(Enrolment, ("user_id", "course_id"), [(UserFactory().pk, course.pk)])

    assert not Enrolment.objects.exists()
