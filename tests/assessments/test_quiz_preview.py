"""Authors preview a quiz in the CMS as learners see it: answers are checked with the learners'
grading, a scenario is walked to an ending, and nothing is recorded."""

import copy
from html import unescape

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import preview, services, vocabulary
from assessments.content_loader import load_quizzes, parse_quiz
from assessments.models import Attempt
from assessments.reports import question_statistics
from courses import demo

from ..courses.test_cms_audiences import refused
from ..factories import UserFactory, make_course
from .test_quiz_audit import SMALL, strict_text

pytestmark = pytest.mark.django_db
SPECS = {spec.slug: spec for spec in load_quizzes()}


def a_quiz(slug, *, audience="public", keep=None):
    """A published demo quiz whose learners are asked every question (or the first `keep`)."""
    spec = copy.deepcopy(SPECS[slug])
    spec.draw = None
    if keep:
        spec.questions = spec.questions[:keep]
    course = make_course(title=f"For {slug}", slug=f"for-{slug}", audience=audience, lessons=1)
    return demo.quiz(spec, course)


def url(quiz, query=""):
    return f"/admin/quiz-preview/{quiz.pk}/{query}"


def seed_of(response) -> int:
    return signing.loads(response.context["state"], salt=preview.SALT)[2]


def form_fields(quiz, key, answer, *, attempt_id) -> dict:
    """The fields a preview form (or a learner's page) posts for `answer`, in authored ids."""
    question = quiz.scoring_question(key)
    named = vocabulary.tokens(question, attempt_id=attempt_id)
    if question.kind == "ordering":
        return {f"q-{key}-{named[c]}": str(n) for n, c in enumerate(answer, start=1)}
    if isinstance(answer, list):
        return {f"q-{key}": [named[c] for c in answer]}
    return {f"q-{key}": named[answer]}


def mixed_answers(quiz) -> dict:
    """Some right, some wrong, an ordering half right, one question left unanswered."""
    answers = {}
    for n, (key, question) in enumerate(quiz.scoring_questions().items()):
        ids = [c.id for c in question.choices]
        if n == 0:
            continue
        if question.kind == "ordering":
            answers[key] = [ids[1], ids[0], *ids[2:]]
        elif question.kind == "multiple":
            answers[key] = [c.id for c in question.choices if c.correct][:1] + [
                c.id for c in question.choices if not c.correct
            ][:1]
        else:
            pick = [c.id for c in question.choices if c.correct == (n % 2 == 0)]
            answers[key] = pick[0]
    return answers


def posted(quiz, answers, response) -> dict:
    data = {"state": response.context["state"]}
    for key, answer in answers.items():
        data.update(form_fields(quiz, key, answer, attempt_id=seed_of(response)))
    return data


@pytest.mark.parametrize("slug", ["the-transit-lounge", "inspect-the-mrz"])
def test_preview_grades_answers_as_a_learners_attempt_is_graded(client, trainer, slug):
    quiz = a_quiz(slug)
    answers = mixed_answers(quiz)
    attempt = services.attempt_start(user=UserFactory(), quiz=quiz)
    attempt = services.attempt_submit(attempt=attempt, sequence=1, answers=answers)
    client.force_login(trainer)
    shown = client.get(url(quiz))
    checked = client.post(url(quiz), posted(quiz, answers, shown))
    assert checked.status_code == 200
    result = checked.context["checked"].result
    assert (dict(result.percent), result.passed) == (attempt.percent, attempt.passed)


def test_preview_records_no_attempt_and_no_statistics(client, trainer):
    quiz = a_quiz("the-transit-lounge")
    client.force_login(trainer)
    shown = client.get(url(quiz))
    assert shown.status_code == 200
    assert client.post(url(quiz), posted(quiz, mixed_answers(quiz), shown)).status_code == 200
    assert Attempt.objects.count() == 0
    assert question_statistics(quiz=quiz).attempts == 0


def test_preview_shows_each_question_right_partly_or_wrong_with_its_points(client, trainer):
    quiz = a_quiz("the-transit-lounge")
    answers = mixed_answers(quiz)
    client.force_login(trainer)
    checked = client.post(url(quiz), posted(quiz, answers, client.get(url(quiz))))
    by_key = {q["key"]: q["checked"] for q in checked.context["questions"]}
    first, ordering = (
        next(iter(by_key)),
        next(k for k, b in quiz.blocks_by_key.items() if b.block_type == "ordering"),
    )
    assert by_key[first]["outcome"] == "unanswered"
    assert by_key[ordering]["outcome"] == "partly"
    assert all(row["possible"] != 0 for item in by_key.values() for row in item["points"])
    assert "Partly right" in checked.text and "Not answered" in checked.text


def test_preview_of_an_mrz_question_shows_the_working(client, trainer):
    quiz = a_quiz("inspect-the-mrz")
    key = next(k for k, b in quiz.blocks_by_key.items() if b.value.get("fault") == "birth_date")
    client.force_login(trainer)
    checked = client.post(url(quiz), posted(quiz, {key: "none"}, client.get(url(quiz))))
    item = next(q["checked"] for q in checked.context["questions"] if q["key"] == key)
    assert [w.field for w in item["mrz_working"] if not w.adds_up] == ["birth_date"]
    assert "it does not add up." in checked.text
    assert f'id="{key}-birth_date-caption"' in checked.text


def test_preview_shows_choices_in_an_order_of_its_own(client, trainer):
    quiz = a_quiz("the-transit-lounge")
    client.force_login(trainer)
    orders = set()
    for _ in range(6):
        response = client.get(url(quiz))
        orders.add(tuple(c["text"] for q in response.context["questions"] for c in q["choices"]))
    assert len(orders) > 1


def choose(client, quiz, response, text):
    """Click the choice whose text is `text` on a scenario preview page."""
    token = next(c["token"] for c in response.context["choices"] if c["text"] == text)
    return client.get(url(quiz), {"state": response.context["state"], "choice": token})


def test_branching_preview_steps_from_the_first_step_to_an_ending(client, trainer, small):
    client.force_login(trainer)
    response = client.get(url(small))
    assert response.context["step"].value["key"] == "q1"
    response = choose(client, small, response, "Ask")
    assert response.context["step"].value["key"] == "q2"
    response = choose(client, small, response, "Refer him to the authority")
    assert response.status_code == 200
    assert response.context["step"] is None
    assert response.context["ending"]["title"] == "Done"
    assert response.context["passed"] is True
    assert [r["percent"] for r in response.context["result"]] == [75, 100]
    assert "Start again" in response.text and "The gate closes." in response.text
    assert Attempt.objects.count() == 0


def test_branching_preview_fails_a_path_that_takes_a_critical_choice(client, trainer, small):
    client.force_login(trainer)
    response = choose(client, small, client.get(url(small)), "Threaten him with removal")
    response = choose(client, small, response, "Refer him to the authority")
    assert response.context["passed"] is False
    assert [c["text"] for c in response.context["critical"]] == ["Threaten him with removal"]
    assert "fails whatever the points" in response.text


def test_branching_preview_goes_back_one_step(client, trainer, small):
    client.force_login(trainer)
    response = choose(client, small, client.get(url(small)), "Ask")
    back = client.get(url(small), {"state": response.context["back"]})
    assert back.context["step"].value["key"] == "q1"
    assert back.context["trail"] == []


def tampered(state: str) -> str:
    payload, _sep, signature = state.rpartition(":")
    return f"{payload}:{signature[::-1]}"


def test_tampered_scenario_state_gets_a_clear_400(client, trainer, small):
    client.force_login(trainer)
    response = client.get(url(small))
    bad = client.get(url(small), {"state": tampered(response.context["state"])})
    assert bad.status_code == 400
    assert "altered" in bad.text


def test_forged_or_stale_choice_gets_a_clear_400(client, trainer, small):
    client.force_login(trainer)
    response = client.get(url(small))
    forged = client.get(url(small), {"state": response.context["state"], "choice": "c1"})
    assert forged.status_code == 400 and "not one this step offered" in forged.text
    end = choose(client, small, choose(client, small, response, "Ask"), "Ignore")
    after = client.get(url(small), {"state": end.context["state"], "choice": "x"})
    assert after.status_code == 400 and "has ended" in after.text


def test_state_of_another_quiz_is_refused(client, trainer, small):
    other = a_quiz("the-transit-lounge")
    client.force_login(trainer)
    state = client.get(url(other)).context["state"]
    response = client.get(url(small), {"state": state})
    assert response.status_code == 400 and "another quiz" in response.text


def test_state_naming_a_revision_that_no_longer_exists_gets_a_clear_400(client, trainer, small):
    client.force_login(trainer)
    gone = preview.State(small.pk, 999999, -5).signed()  # as if purged since
    response = client.get(url(small), {"state": gone})
    assert response.status_code == 400 and "no longer exists" in response.text


def test_tampered_answers_state_gets_a_clear_400(client, trainer):
    quiz = a_quiz("the-transit-lounge")
    client.force_login(trainer)
    shown = client.get(url(quiz))
    data = posted(quiz, mixed_answers(quiz), shown)
    assert client.post(url(quiz), {**data, "state": tampered(data["state"])}).status_code == 400
    assert client.post(url(quiz), {**data, "state": ""}).status_code == 400
    key = next(iter(quiz.blocks_by_key))
    forged = client.post(url(quiz), {"state": data["state"], f"q-{key}": "c1"})
    assert forged.status_code == 400 and "does not belong" in forged.text


def test_preview_shows_the_draft_or_the_live_version(client, trainer, small):
    draft = small.get_latest_revision_as_object()
    draft.questions[0].value["prompt"] = type(draft.questions[0].value["prompt"])(
        "<p>A drafted prompt.</p>"
    )
    draft.save_revision()
    client.force_login(trainer)
    assert "A drafted prompt." in client.get(url(small)).text
    live = client.get(url(small, "?version=live"))
    assert "A drafted prompt." not in live.text and "What now?" in live.text
    assert "The published version" in live.text
    assert f"{url(small)}?version=live" in unescape(client.get(url(small)).text)


def test_trainer_outside_the_quizs_audience_is_refused_its_preview(client, ngo_trainer, small):
    client.force_login(ngo_trainer)
    assert refused(client.get(url(small)))
    assert refused(client.post(url(small), {"state": "x"}))


def test_learner_is_refused_the_preview(client, officer, small):
    client.force_login(officer)
    response = client.get(url(small))
    assert response.status_code in (302, 403) and "What now?" not in response.text


def test_preview_of_an_unknown_quiz_is_not_found(client, trainer):
    client.force_login(trainer)
    assert client.get("/admin/quiz-preview/999999/").status_code == 404


def test_quiz_listing_and_edit_view_link_to_the_preview(client, trainer, small):
    client.force_login(trainer)
    listing = client.get("/admin/snippets/assessments/quiz/").text
    assert url(small) in listing and f"/admin/quiz-map/{small.pk}/" in listing
    edit = client.get(f"/admin/snippets/assessments/quiz/edit/{small.pk}/").text
    assert url(small) in edit and f"/admin/quiz-map/{small.pk}/" in edit


def query_count(client, method, path, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {})
    assert response.status_code == 200, response
    return len(captured)


@pytest.mark.parametrize("questions", [3, 8])
def test_preview_queries_do_not_grow_with_questions(client, trainer, questions):
    quiz = a_quiz("the-transit-lounge", keep=questions)
    assert len(quiz.blocks_by_key) == questions
    client.force_login(trainer)
    client.get(url(quiz))
    shown_count = query_count(client, "get", url(quiz))
    shown = client.get(url(quiz))
    checked_count = query_count(client, "post", url(quiz), posted(quiz, {}, shown))
    # session, user, permissions, the quiz, and the admin page itself; the revision is read
    # once per process (quiz_at_revision), and nothing is written
    assert (shown_count, checked_count) == (10, 10)


def walk_to_the_end(client, quiz):
    """Take the first choice shown at every step; the page reached, and its query count."""
    response = client.get(url(quiz))
    while response.context["step"] is not None:
        data = {
            "state": response.context["state"],
            "choice": response.context["choices"][0]["token"],
        }
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(quiz), data)
    return response, len(captured)


@pytest.mark.parametrize("text", [SMALL, strict_text()], ids=["2 steps", "8 steps"])
def test_scenario_preview_queries_do_not_grow_with_the_path(client, trainer, tmp_path, text):
    path = tmp_path / "scenario.md"
    path.write_text(text)
    spec = parse_quiz(path)
    quiz = demo.quiz(spec, make_course(title="S", slug=f"for-{spec.slug}", lessons=1))
    client.force_login(trainer)
    client.get(url(quiz))
    response, count = walk_to_the_end(client, quiz)
    assert response.context["ending"]["title"] == "Done"
    assert count == 10  # as for a quiz that does not branch
