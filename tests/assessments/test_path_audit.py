"""The path audit in the CMS: every route through a branching scenario with its scores, for
the trainers the quiz is open to."""

import pytest

from ..courses.test_cms_audiences import refused
from ..factories import make_quiz_from_text
from .test_quiz_audit import SMALL

pytestmark = pytest.mark.django_db


def paths_url(quiz, query=""):
    return f"/admin/quiz-paths/{quiz.pk}/{query}"


def test_trainer_outside_the_quizs_audience_is_refused_its_path_audit(client, ngo_trainer, small):
    client.force_login(ngo_trainer)
    assert refused(client.get(paths_url(small)))


def test_learner_is_refused_the_path_audit(client, officer, small):
    client.force_login(officer)
    response = client.get(paths_url(small))
    assert response.status_code in (302, 403) and "Choices taken" not in response.text


def test_path_audit_lists_every_path_with_its_scores_and_whether_it_passes(client, trainer, small):
    client.force_login(trainer)
    response = client.get(paths_url(small))
    assert response.status_code == 200
    assert response.context["counts"] == {"paths": 4, "passing": 1, "shown": 4}
    rows = {tuple(r["choices"]): (r["percent"], r["passed"]) for r in response.context["rows"]}
    assert rows[("Ask", "Refer him to the authority")] == ([75, 100], True)
    assert rows[("Threaten him with removal", "Refer him to the authority")] == ([100, 100], False)


def test_path_audit_filters_to_passing_paths_with_a_critical_or_negative_rights_choice(
    client, trainer, tmp_path
):
    # Ignoring costs rights without being critical: with a low pass mark, a route passes with it.
    text = SMALL.replace("{detection: 0, rights: 2}", "{detection: 2, rights: -1}")
    text = text.replace("pass_mark: 70", "pass_mark: 20")
    quiz = make_quiz_from_text(tmp_path, text, audience="public")
    client.force_login(trainer)
    response = client.get(paths_url(quiz, "?questionable=1"))
    assert [r["choices"] for r in response.context["rows"]] == [["Ask", "Ignore"]]


def test_quiz_listing_links_to_the_path_audit_of_a_scenario(client, trainer, small):
    client.force_login(trainer)
    assert paths_url(small) in client.get("/admin/snippets/assessments/quiz/").text
