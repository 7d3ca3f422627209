"""Twenty submits at once and autosaves out of order: one graded attempt, no lost answer, no
'database is locked'. Runs on SQLite (a file, WAL) and, in CI, on PostgreSQL."""

import random
import threading

import pytest
from django.db import connection

from assessments import services
from assessments.content_loader import load_quizzes
from assessments.models import Attempt
from assessments.signals import attempt_graded
from courses import demo

from ..factories import UserFactory, make_course

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def attempt():
    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    quiz = demo.quiz(spec, make_course(title="Course", slug="course", lessons=1))
    return services.attempt_start(user=UserFactory(), quiz=quiz)


def in_parallel(count, work):
    barrier, errors = threading.Barrier(count), []

    def run(n):
        try:
            barrier.wait()
            work(n)
        except Exception as e:  # noqa: BLE001 - every failure is reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def answer_for(attempt, n):
    key = attempt.drawn[0]
    question = attempt.quiz_as_started.scoring_question(key)
    if question.kind == "multiple":
        return {key: [question.choices[n % len(question.choices)].id]}
    if question.kind == "ordering":
        ids = [c.id for c in question.choices]
        return {key: ids[n % len(ids) :] + ids[: n % len(ids)]}
    return {key: question.choices[n % len(question.choices)].id}


def test_twenty_parallel_submits_make_one_graded_attempt(attempt):
    graded = []
    attempt_graded.connect(
        lambda sender, attempt, **kw: graded.append(attempt.pk),
        weak=False,
        dispatch_uid="test_parallel_submits",
    )
    results = []
    try:
        in_parallel(
            20,
            lambda n: results.append(
                services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
            ),
        )
    finally:
        attempt_graded.disconnect(dispatch_uid="test_parallel_submits")
    assert len(results) == 20
    assert {(r.status, r.passed, tuple(sorted(r.percent.items()))) for r in results} == {
        ("submitted", False, (("detection", 0), ("rights", 0)))  # jsonb keeps no key order
    }
    assert graded == [attempt.pk]
    assert Attempt.objects.filter(status="submitted").count() == 1


def test_autosaves_arriving_out_of_order_keep_the_newest(attempt):
    sequences = list(range(1, 31))
    random.Random(7).shuffle(sequences)

    def save(n):
        services.attempt_autosave(
            attempt=Attempt.objects.get(pk=attempt.pk),
            sequence=sequences[n],
            answers=answer_for(attempt, sequences[n]),
        )

    in_parallel(len(sequences), save)
    attempt.refresh_from_db()
    assert attempt.sequence == 30
    assert attempt.answers == answer_for(attempt, 30)
