"""The scenario map in the CMS: every step and ending of a branching quiz drawn as a diagram,
with the points of each choice and its critical choices marked, and listed in full beside it."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.content_loader import load_quizzes
from assessments.scenario_map import scenario_map
from courses import demo

from ..courses.test_cms_audiences import refused
from ..factories import make_course, make_quiz_from_text
from .test_quiz_audit import SMALL, strict_text

pytestmark = pytest.mark.django_db
SPECS = {spec.slug: spec for spec in load_quizzes()}


@pytest.fixture
def gate():
    course = make_course(title="Profiling", slug="for-gate", audience="officers", lessons=1)
    return demo.quiz(SPECS["gate-b12"], course)


def the_map(response) -> str:
    return re.search(r'<svg [^>]*aria-labelledby="map-title".*?</svg>', response.text, re.S)[0]


def url(quiz, query=""):
    return f"/admin/quiz-map/{quiz.pk}/{query}"


def test_map_draws_every_step_and_ending_and_lists_every_choice(client, trainer, gate):
    client.force_login(trainer)
    response = client.get(url(gate))
    assert response.status_code == 200
    svg = the_map(response)
    drawn = set(re.findall(r'data-node="([^"]+)"', svg))
    expected = {f"step:{key}" for key in gate.blocks_by_key} | {
        f"end:{slug}" for slug in gate.endings_by_slug
    }
    assert drawn == expected
    for block in gate.questions:
        for choice in block.value["choices"]:
            assert choice["text"] in unescape(response.text)  # in full, in the tables under the map
    assert "<script" not in svg


def test_map_marks_every_critical_choice(client, trainer, small):
    client.force_login(trainer)
    response = client.get(url(small))
    svg = the_map(response)
    assert svg.count('data-critical="true"') == 1
    assert svg.count('stroke-dasharray="7 4"') == 1  # the arrow the threat takes to q2
    assert "⚠ critical on rights" in response.text
    assert response.context["map"].critical_count == 1


def test_map_gives_each_choice_its_points_per_dimension(small):
    found = scenario_map(small)
    threat = next(c for c in found.steps[0].choices if c.text.startswith("Threaten"))
    assert threat.points == [("detection", 2), ("rights", 2)]
    assert threat.critical == ("rights",)
    assert threat.target_node == "step:q2"
    assert [c.target for c in found.steps[1].choices] == ["Done", "Done"]


def test_every_arrow_points_down_and_no_boxes_overlap(gate):
    found = scenario_map(gate)
    boxes = {node.id: node for node in found.steps + found.endings}
    for edge in found.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        assert target.y >= source.y + source.height
    placed = list(boxes.values()) + found.slots
    for a in placed:
        for b in placed:
            if a is not b and a.layer == b.layer:
                assert a.x + a.width <= b.x or b.x + b.width <= a.x
    assert all(node.x >= 0 and node.x + node.width <= found.width for node in placed)


def test_steps_sit_below_the_deepest_step_that_leads_to_them(gate):
    layer = {node.key: node.layer for node in scenario_map(gate).steps}
    assert layer[gate.first_step] == 0
    for key, block in gate.blocks_by_key.items():
        for choice in block.value["choices"]:
            if choice["leads_to"] in layer:
                assert layer[choice["leads_to"]] > layer[key]


def test_map_of_a_revision_with_a_loop_is_drawn_with_its_problems(client, trainer, small):
    draft = small.get_latest_revision_as_object()
    draft.questions[1].value["choices"][1]["leads_to"] = "q1"  # q2 leads back to q1
    draft.save_revision(clean=False)  # as a revision saved before the CMS checked quizzes
    client.force_login(trainer)
    response = client.get(url(small))
    assert response.status_code == 200
    assert "loops back" in response.text
    assert 'data-node="step:q2"' in response.text


def test_map_of_a_quiz_that_does_not_branch_says_so(client, trainer):
    quiz = demo.quiz(SPECS["inspect-the-mrz"], make_course(title="D", slug="for-mrz"))
    client.force_login(trainer)
    response = client.get(url(quiz))
    assert response.status_code == 200
    assert "Only a branching scenario has a map." in response.text


def test_trainer_outside_the_quizs_audience_is_refused_its_map(client, ngo_trainer, small):
    client.force_login(ngo_trainer)
    assert refused(client.get(url(small)))


def test_learner_is_refused_the_map(client, officer, small):
    client.force_login(officer)
    response = client.get(url(small))
    assert response.status_code in (302, 403) and "<svg" not in response.text


def test_map_draws_the_draft_or_the_live_version(client, trainer, small):
    draft = small.get_latest_revision_as_object()
    draft.questions[1].value["choices"][0]["text"] = "Refer him at once"
    draft.save_revision()
    client.force_login(trainer)
    assert "Refer him at once" in client.get(url(small)).text
    assert "Refer him at once" not in client.get(url(small, "?version=live")).text


@pytest.mark.parametrize("size", ["small", "strict"])
def test_map_queries_do_not_grow_with_steps(client, trainer, tmp_path, size):
    quiz = make_quiz_from_text(tmp_path, SMALL if size == "small" else strict_text())
    client.force_login(trainer)
    client.get(url(quiz))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(quiz))
    assert response.status_code == 200
    assert len(captured) == 10  # session, user, permissions, the quiz, the admin page itself
