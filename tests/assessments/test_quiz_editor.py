"""A quiz is checked when it is saved in the CMS: a broken one is refused, naming the field,
and nothing is saved or published."""

import pytest
from wagtail import blocks
from wagtail.blocks.base import get_error_json_data
from wagtail.test.utils.form_data import nested_form_data, rich_text

from assessments.content_loader import load_quizzes
from assessments.models import Quiz
from cms.accounts.models import User
from courses import demo

from ..factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return User.objects.create_superuser(email="moderator@example.org", password="x")


@pytest.fixture
def scenario():
    spec = next(s for s in load_quizzes() if s.slug == "gate-b12")
    return demo.quiz(spec, make_course(title="Rights", slug="rights", lessons=1))


def block_data(block, value):
    """A block's value as the CMS editor posts it."""
    if isinstance(block, blocks.StreamBlock):
        children = {
            str(i): {"type": child.block_type, "value": block_data(child.block, child.value)}
            | {"deleted": "", "order": str(i), "id": child.id or ""}
            for i, child in enumerate(value)
        }
        return children | {"count": str(len(value))}
    if isinstance(block, blocks.ListBlock):
        children = {
            str(i): {"value": block_data(block.child_block, item), "deleted": "", "order": str(i)}
            for i, item in enumerate(value)
        }
        return children | {"count": str(len(value))}
    if isinstance(block, blocks.StructBlock):
        return {name: block_data(child, value[name]) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source, features=block.features)
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    return str(value)


def edit_form_data(quiz, action="action-publish"):
    """The edit form of `quiz` as the CMS posts it, untouched; a test changes what it tests."""
    questions, endings = quiz._meta.get_field("questions"), quiz._meta.get_field("endings")
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "audience": quiz.audience,
        "introduction": rich_text(quiz.introduction, features=["bold", "italic", "ul"]),
        "dimensions": quiz.dimensions,
        "pass_on": quiz.pass_on,
        "pass_mark": str(quiz.pass_mark),
        "attempts_allowed": str(quiz.attempts_allowed),
        "time_limit_minutes": "",
        "counting": quiz.counting,
        "feedback": quiz.feedback,
        "show_correct_answers": "on",
        "draw": "" if quiz.draw is None else str(quiz.draw),
        "questions": block_data(questions.stream_block, quiz.questions),
        "endings": block_data(endings.stream_block, quiz.endings),
    }
    return nested_form_data(data) | {action: action}


def post(client, quiz, data):
    return client.post(f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/", data)


def choice_field(question, choice, name):
    return f"questions-{question}-value-choices-{choice}-value-{name}"


def assert_refused(response, quiz):
    assert response.status_code == 200  # the form again, with its errors
    assert "could not be saved" in response.text
    live = Quiz.objects.get(pk=quiz.pk)
    assert live.revisions.count() == 1 and live.live_revision_id == quiz.live_revision_id
    assert live.latest_revision_id == quiz.latest_revision_id
    assert (live.dimensions, live.pass_on, live.draw) == (quiz.dimensions, quiz.pass_on, quiz.draw)


def errors_at(response, field, *path) -> list[str]:
    """The messages the editor shows at `field`, or at the block `path` leads to inside it."""
    error = get_error_json_data(response.context["form"].errors[field].as_data()[0])
    for step in path:
        error = error["blockErrors"][step]
    return error["messages"]


def test_moderator_publishes_an_unchanged_scenario(client, moderator, scenario):
    client.force_login(moderator)
    data = edit_form_data(scenario)
    data["title"] = "Gate B12, revised"
    response = post(client, scenario, data)
    assert response.status_code == 302
    assert Quiz.objects.get(pk=scenario.pk).title == "Gate B12, revised"


def test_step_leading_to_a_missing_step_is_refused_at_its_choice(client, moderator, scenario):
    client.force_login(moderator)
    data = edit_form_data(scenario)
    data[choice_field(0, 0, "leads_to")] = "q99"
    response = post(client, scenario, data)
    assert_refused(response, scenario)
    assert errors_at(response, "questions", 0, "choices", 0, "leads_to") == [
        "“q99” leads nowhere: no step has that key."
    ]


def test_points_on_a_misspelt_dimension_are_refused(client, moderator, scenario):
    client.force_login(moderator)
    data = edit_form_data(scenario)
    data[choice_field(0, 0, "points")] = "detecton: 2, rigths: 2"
    response = post(client, scenario, data)
    assert_refused(response, scenario)
    assert errors_at(response, "questions", 0, "choices", 0, "points") == [
        "“detecton” is not a scored dimension of this quiz (detection, rights).",
        "“rigths” is not a scored dimension of this quiz (detection, rights).",
    ]


def test_must_pass_naming_an_undeclared_dimension_is_refused(client, moderator, scenario):
    client.force_login(moderator)
    data = edit_form_data(scenario)
    data["pass_on"] = "detection, rihgts"
    response = post(client, scenario, data)
    assert_refused(response, scenario)
    message = "“rihgts” is not a scored dimension of this quiz (detection, rights)."
    assert errors_at(response, "pass_on") == [message]
    assert message in response.text


def test_points_out_of_range_are_refused(client, moderator, scenario):
    client.force_login(moderator)
    data = edit_form_data(scenario)
    data[choice_field(0, 0, "points")] = "detection: 20, rights: 2"
    response = post(client, scenario, data)
    assert_refused(response, scenario)
    assert errors_at(response, "questions", 0, "choices", 0, "points") == [
        "20 on “detection”: points are whole numbers from -2 to 2."
    ]


def test_trainer_cannot_save_a_draft_of_a_looping_scenario(client, trainer, scenario):
    """A draft is checked too: a moderator approves a draft as it was saved."""
    client.force_login(trainer)
    data = edit_form_data(scenario, action="action-save")  # the Save draft button
    data[choice_field(1, 0, "leads_to")] = "q1"  # q1 leads to q2, which leads back
    response = post(client, scenario, data)
    assert_refused(response, scenario)
    [message] = errors_at(response, "questions", 1, "choices", 0, "leads_to")
    assert message.startswith("This choice loops back to step “q1”")


def test_draw_larger_than_the_pool_is_refused(client, moderator):
    spec = next(s for s in load_quizzes() if s.slug == "the-transit-lounge")
    quiz = demo.quiz(spec, make_course(title="Lounge", slug="lounge", lessons=1))
    client.force_login(moderator)
    data = edit_form_data(quiz)
    data["draw"] = str(len(quiz.questions) + 1)
    response = post(client, quiz, data)
    assert_refused(response, quiz)
    count = len(quiz.questions)
    assert errors_at(response, "draw") == [
        f"Draw at most {count}: the quiz has only {count} questions."
    ]
