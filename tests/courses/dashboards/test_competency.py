"""The competency analytics: per competency the share of answers with full marks, the
questions most often missed, a scenario's choices and the learners who failed on a critical
choice; each figure, drill-down and download inside the reader's scope."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from openpyxl import load_workbook

from assessments import services as quiz_services
from assessments.content_loader import load_quizzes
from assessments.models import Attempt
from cms.accounts.models import Membership
from courses import demo, services
from courses.dashboards import competency, outcomes
from courses.dashboards.selectors import Scope
from courses.models import QuestionMonth
from courses.training import cohorts

from ... import module_data
from ...factories import OrganisationFactory, UserFactory, make_course
from ..training.cohorts.helpers import certify, make_cohort, member

PAGE = reverse("courses:dashboard_competency")
SPECS = {spec.slug: spec for spec in load_quizzes()}


def export_url(table, fmt):
    return reverse("courses:dashboard_competency_export", args=[table, fmt])


def critical_url(quiz):
    return reverse("courses:dashboard_competency_critical", args=[quiz.pk])


def right_answers(quiz) -> dict:
    answers = {}
    for key, question in quiz.scoring_questions().items():
        right = [c.id for c in question.choices if c.correct]
        if question.kind == "multiple":
            answers[key] = right
        elif question.kind == "ordering":
            answers[key] = [c.id for c in question.choices]
        else:
            answers[key] = right[0]
    return answers


def wrong_answers(quiz) -> dict:
    answers = {}
    for key, question in quiz.scoring_questions().items():
        wrong = [c.id for c in question.choices if not c.correct]
        if question.kind == "ordering":
            answers[key] = [c.id for c in reversed(question.choices)]
        elif question.kind == "multiple":
            answers[key] = wrong[:1]
        else:
            answers[key] = wrong[0]
    return answers


def path(quiz, start=()) -> dict:
    """A scenario's path: the choices `start` names, then always the first choice."""
    questions = quiz.scoring_questions()
    taken, step = list(start), quiz.first_step
    for choice in start:
        step = questions[step].choice(choice).leads_to
    while step is not None:
        choice = questions[step].choices[0]
        taken.append(choice.id)
        step = choice.leads_to
    return {"path": taken}


def take(learner, quiz, answers):
    """A graded attempt with these answers, announced to courses as the signal does."""
    number = Attempt.objects.filter(user=learner, quiz=quiz).count() + 1
    attempt = Attempt(user=learner, quiz=quiz, revision=quiz.live_revision, number=number)
    attempt.drawn = list(attempt.quiz_as_started.blocks_by_key)
    attempt.answers = answers
    result = quiz_services.grade(attempt)
    attempt.percent, attempt.passed = dict(result.percent), result.passed
    attempt.status, attempt.submitted_at = Attempt.Status.SUBMITTED, timezone.now()
    attempt.save()
    services.quiz_graded(attempt=attempt)
    return attempt


def build() -> dict:
    """A course ending in a quiz of questions and one ending in a branching scenario. In the
    coordinator's organisation (KE) two learners in a cohort answer every question wrong,
    one of them failing the scenario on a critical choice; in the other (BJ) one learner
    answers right and takes the scenario's best path."""
    organisation, other_organisation = OrganisationFactory(), OrganisationFactory(country="BJ")
    quiz_course = make_course(title="Smuggling by air", lessons=1)
    scenario_course = make_course(title="Profiling and rights", lessons=1)
    quiz = demo.quiz(SPECS["the-transit-lounge"], quiz_course)
    scenario = demo.quiz(SPECS["gate-b12"], scenario_course)
    ours = [member(organisation) for _ in range(2)]
    theirs = [member(other_organisation)]
    our_trainer = certify(member(organisation, role=Membership.Role.TRAINER))
    their_trainer = certify(member(other_organisation, role=Membership.Role.TRAINER))
    our_cohort = make_cohort(organisation, our_trainer, quiz_course, name="Nairobi")
    their_cohort = make_cohort(other_organisation, their_trainer, quiz_course, name="Cotonou")
    for cohort, people in ((our_cohort, ours), (their_cohort, theirs)):
        coordinator = member(cohort.organisation, role=Membership.Role.COORDINATOR)
        for person in people:
            services.enrolment_create(user=person, course=quiz_course)
            cohorts.cohort_learner_add(cohort=cohort, by=coordinator, email=person.email)
    for person in ours:
        take(person, quiz, wrong_answers(quiz))
    take(ours[0], scenario, path(scenario, ["c2"]))  # nationality alone: critical on rights
    take(ours[1], scenario, path(scenario))
    take(theirs[0], quiz, right_answers(quiz))
    take(theirs[0], scenario, path(scenario))
    return {
        "organisation": organisation,
        "other_organisation": other_organisation,
        "quiz": quiz,
        "scenario": scenario,
        "quiz_course": quiz_course,
        "scenario_course": scenario_course,
        "ours": ours,
        "theirs": theirs,
        "our_cohort": our_cohort,
        "their_cohort": their_cohort,
        "our_trainer": our_trainer,
        "their_trainer": their_trainer,
    }


made, world, organisation, other_organisation = module_data.fixtures(
    build, "organisation", "other_organisation"
)


def shares(response) -> dict:
    return {
        total.competency: (total.answers, total.full_marks) for total in response.context["totals"]
    }


def test_a_coordinator_sees_their_organisations_answers_only(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(PAGE, {"by": "organisation"})
    assert response.status_code == 200
    found = shares(response)
    # Two learners answered The transit lounge's three "documents" questions, all wrong.
    assert found["documents"] == (6, 0)
    # Gate B12's first step (profiling, indicators) by both: one took the best choice.
    assert found["profiling"][0] > found["profiling"][1] > 0
    labels = {row.label for row in response.context["rows"]}
    assert labels == {world["our_cohort"].organisation.name}


def test_staff_see_every_organisation_by_country_and_cohort(client, world, staff):
    client.force_login(staff)
    by_country = client.get(PAGE, {"by": "country"}).context["rows"]
    documents = {row.label: (row.answers, row.full_marks) for row in by_country}
    documents = {
        row.label: (row.answers, row.full_marks)
        for row in by_country
        if row.competency == "documents"
    }
    assert documents == {"Benin": (3, 3), "Kenya": (6, 0)}
    by_cohort = client.get(PAGE, {"by": "cohort", "course": world["quiz_course"].pk})
    cohorts_seen = {row.label for row in by_cohort.context["rows"]}
    assert cohorts_seen == {
        f"Nairobi ({world['our_cohort'].organisation.name})",
        f"Cotonou ({world['their_cohort'].organisation.name})",
    }


def test_the_questions_most_often_missed_come_first_with_their_text(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(PAGE, {"top": "3"})
    missed = response.context["missed"]
    assert len(missed) == 3
    assert all(q.answers == 2 and q.missed == 2 and q.share_missed == 1 for q in missed)
    assert missed[0].quiz == "The transit lounge" and missed[0].prompt
    assert missed[0].prompt in response.text


def test_a_competency_leads_to_its_questions(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(PAGE)
    documents = next(t for t in response.context["totals"] if t.competency == "documents")
    narrowed = client.get(PAGE + documents.link.removesuffix("#missed"))
    missed = narrowed.context["missed"]
    assert len(missed) == 3 and all("documents" in q.competencies for q in missed)
    assert "Questions most often missed in “documents”" in narrowed.text


def test_the_tables_links_keep_the_other_filters(client, world, staff):
    """A breakdown's row narrows the page to it, its competency leads to the questions behind
    it (with the default number of them), and a competency's total to its questions: each
    keeping the other filters."""
    from urllib.parse import parse_qs, urlsplit

    def params(link):
        return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}

    client.force_login(staff)
    asked = {"by": "organisation", "country": "KE", "top": "20", "from": "2020-01"}
    response = client.get(PAGE, asked)
    row = response.context["rows"][0]
    assert params(row.links["narrow"]) == {**asked, "organisation": row.param}
    assert params(row.links["questions"]) == {
        **{k: v for k, v in asked.items() if k != "top"},
        "competency": row.competency,
    }
    assert row.links["questions"].endswith("#missed")
    total = response.context["totals"][0]
    assert params(total.link) == {**asked, "competency": total.competency}


def test_a_scenarios_choices_and_critical_failures(client, world, coordinator, staff):
    client.force_login(staff)
    scenario = client.get(PAGE).context["scenarios"][0]
    assert (scenario.title, scenario.learners, scenario.critical_learners) == ("Gate B12", 3, 1)
    first = scenario.steps[0]
    assert first.key == "q1" and first.answers == 3
    assert [(c.id, c.taken, c.critical) for c in first.choices[:2]] == [
        ("c1", 2, False),
        ("c2", 1, True),
    ]
    client.force_login(coordinator)
    ours = client.get(PAGE).context["scenarios"][0]
    assert (ours.learners, ours.critical_learners) == (2, 1)


def test_the_critical_figure_leads_to_the_learners_behind_it(client, world, coordinator):
    client.force_login(coordinator)
    html = client.get(PAGE).text
    url = critical_url(world["scenario"])
    assert f'href="{url}?' in html
    listed = client.get(url)
    assert [row.user.email for row in listed.context["page"].object_list] == [
        world["ours"][0].email
    ]
    assert listed.context["page"].paginator.count == 1
    # Each row: the learner's name and address, their organisation and the day graded.
    learner = world["ours"][0]
    graded = timezone.localdate()
    assert (
        f'<tr><th scope="row">{escape(learner.display_name)}<br>'
        f'<span class="muted">{escape(learner.email)}</span></th>'
        f"<td>{escape(coordinator.memberships.get().organisation.name)}</td>"
        f"<td>{date_format(graded, 'SHORT_DATE_FORMAT')}</td></tr>"
    ) in listed.text


def test_the_learners_behind_the_critical_figure_come_latest_first_and_count_as_it_does(
    client, world, staff
):
    """The count is the scenario's figure (read from its counts, not counted attempt by
    attempt); the learners come latest first."""
    scenario = world["scenario"]
    take(world["theirs"][0], scenario, path(scenario, ["c2"]))
    client.force_login(staff)
    figure = {s.quiz_id: s.critical_learners for s in client.get(PAGE).context["scenarios"]}
    listed = client.get(critical_url(scenario))
    rows = listed.context["page"].object_list
    assert [row.user.email for row in rows] == [
        world["theirs"][0].email,
        world["ours"][0].email,
    ]
    assert listed.context["page"].paginator.count == figure[scenario.pk] == 2
    month = f"{timezone.now():%Y-%m}"
    in_kenya = client.get(critical_url(scenario), {"country": "KE", "from": month, "to": month})
    assert in_kenya.context["page"].paginator.count == 1
    assert [row.user.email for row in in_kenya.context["page"].object_list] == [
        world["ours"][0].email
    ]


@pytest.mark.parametrize("who", ["officer", "newcomer", "trainer"])
def test_people_who_are_not_coordinators_are_refused(client, world, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (
        PAGE,
        critical_url(world["scenario"]),
        export_url("competencies", "csv"),
        export_url("critical", "csv") + f"?quiz={world['scenario'].pk}",
    ):
        assert client.get(url).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, world):
    for url in (PAGE, critical_url(world["scenario"]), export_url("questions", "csv")):
        assert client.get(url).status_code == 302


def test_every_breakdown_offered_can_be_chosen(client, world, staff):
    """The analytics are kept by organisation, country, cohort, trainer and course, not by
    programme: the form offers those it can show, and each answers."""
    import re

    client.force_login(staff)
    form = re.search(r'<select id="filter-by".*?</select>', client.get(PAGE).text, re.S)
    offered = re.findall(r'<option value="(\w+)"', form.group(0))
    assert offered == ["organisation", "country", "cohort", "trainer", "course"]
    for by in offered:
        assert client.get(PAGE, {"by": by}).status_code == 200, by


def test_without_a_breakdown_staff_see_countries_and_a_coordinator_cohorts(
    client, world, coordinator, staff
):
    client.force_login(staff)
    assert client.get(PAGE).context["filters"].by == "country"
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.context["filters"].by == "cohort"
    # The scenario's course is taught in no cohort.
    assert {row.label for row in response.context["rows"]} == {
        f"Nairobi ({world['our_cohort'].organisation.name})",
        "No cohort",
    }


def test_figures_across_organisations_equal_their_sum(client, world, staff):
    """Staff's figures by country read the counts kept by country alone; they equal the
    counts of every organisation added up."""
    client.force_login(staff)
    by_country = client.get(PAGE, {"by": "country"})
    by_organisation = client.get(PAGE, {"by": "organisation"})
    assert shares(by_country) == shares(by_organisation)
    assert [
        (s.learners, s.critical_learners, [c.taken for step in s.steps for c in step.choices])
        for s in by_country.context["scenarios"]
    ] == [
        (s.learners, s.critical_learners, [c.taken for step in s.steps for c in step.choices])
        for s in by_organisation.context["scenarios"]
    ]
    assert [(q.key, q.missed) for q in by_country.context["missed"]] == [
        (q.key, q.missed) for q in by_organisation.context["missed"]
    ]


@pytest.mark.parametrize("who", ["staff", "coordinator"])
@pytest.mark.parametrize("narrowed", [{}, {"country": "KE"}])
def test_the_totals_are_the_same_whatever_the_breakdown(client, world, request, who, narrowed):
    """By country or course each competency's totals are summed with its rows as they are
    counted; by organisation, cohort or trainer they are read on their own, from coarser
    counts. Both give the same figures, in the same order."""
    client.force_login(request.getfixturevalue(who))
    totals = {
        by: [
            (t.competency, t.answers, t.full_marks)
            for t in client.get(PAGE, {"by": by, **narrowed}).context["totals"]
        ]
        for by in competency.COLUMN
    }
    assert totals["country"] != []
    assert all(found == totals["country"] for found in totals.values()), totals


def test_a_coordinator_of_another_organisation_sees_none_of_ours(client, world, other_organisation):
    theirs = member(other_organisation, role=Membership.Role.COORDINATOR)
    client.force_login(theirs)
    response = client.get(PAGE)
    assert shares(response)["documents"] == (3, 3)
    assert response.context["scenarios"][0].critical_learners == 0
    assert list(client.get(critical_url(world["scenario"])).context["page"].object_list) == []
    export = client.get(export_url("critical", "csv"), {"quiz": world["scenario"].pk})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1  # the heading alone


@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "other"},
        {"country": "BJ"},
        {"cohort": "their_cohort"},
        {"trainer": "their_trainer"},
        {"organisation": "none"},
        {"country": "none"},
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        PAGE,
        "critical",
        export_url("competencies", "csv"),
        export_url("questions", "xlsx"),
        export_url("scenarios", "csv"),
        export_url("choices", "xlsx"),
        "critical-export",
    ],
)
def test_filter_values_outside_a_coordinators_scope_are_not_found(
    client, world, coordinator, other_organisation, params, url
):
    values = {
        "other": other_organisation.slug,
        "their_cohort": world["their_cohort"].pk,
        "their_trainer": world["their_trainer"].pk,
    }
    query = {key: values.get(value, value) for key, value in params.items()}
    if url == "critical":
        url = critical_url(world["scenario"])
    elif url == "critical-export":
        url = export_url("critical", "csv")
        query["quiz"] = world["scenario"].pk
    client.force_login(coordinator)
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"by": "everything"},
        {"course": "abc"},
        {"from": "2026-13"},
        {"country": "XX"},
        {"competency": "<script>"},
        {"competency": "x" * 61},
        {"top": "0"},
        {"top": "51"},
        {"top": "ten"},
    ],
)
def test_malformed_filters_are_not_found(client, world, staff, query):
    client.force_login(staff)
    assert client.get(PAGE, query).status_code == 404
    assert client.get(critical_url(world["scenario"]), query).status_code == 404
    assert client.get(export_url("questions", "csv"), query).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "x", "2", "9999999999"])
def test_pages_of_learners_that_do_not_exist_are_not_found(client, world, staff, page):
    client.force_login(staff)
    assert client.get(critical_url(world["scenario"]), {"page": page}).status_code == 404


def test_unknown_scenarios_tables_and_formats_are_not_found(client, world, staff):
    client.force_login(staff)
    for url in (
        reverse("courses:dashboard_competency_critical", args=["abc"]),
        reverse("courses:dashboard_competency_critical", args=["999999"]),
        export_url("people", "csv"),
        export_url("competencies", "pdf"),
        export_url("critical", "csv"),
        export_url("critical", "csv") + "?quiz=x",
    ):
        assert client.get(url).status_code == 404, url


def test_a_competency_without_questions_lists_none(client, world, staff):
    client.force_login(staff)
    response = client.get(PAGE, {"competency": "juggling"})
    assert response.status_code == 200 and response.context["missed"] == []


def test_the_tables_export_as_they_show_with_the_filters(client, world, staff):
    client.force_login(staff)
    response = client.get(export_url("competencies", "csv"), {"by": "country", "country": "KE"})
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Competency", "Country"]
    assert {row[1] for row in rows[1:]} == {"Kenya"}
    assert ["documents", "Kenya", "6", "0", "0.0"] in rows
    questions = client.get(export_url("questions", "xlsx"), {"country": "KE", "top": "2"})
    sheet = load_workbook(io.BytesIO(b"".join(questions.streaming_content))).active
    assert [row[3:5] for row in sheet.iter_rows(min_row=2, values_only=True)] == [(2, 2)] * 2
    scenarios = client.get(export_url("scenarios", "csv"))
    rows = list(csv.reader(io.StringIO(b"".join(scenarios.streaming_content).decode("utf-8-sig"))))
    assert rows[1] == ["Gate B12", "3", "1", "0.3333"]
    choices = client.get(export_url("choices", "csv"), {"country": "BJ"})
    rows = list(csv.reader(io.StringIO(b"".join(choices.streaming_content).decode("utf-8-sig"))))
    assert all(row[4] in ("0", "1") for row in rows[1:]) and any(row[4] == "1" for row in rows)


def test_the_critical_export_escapes_formulas(client, world, coordinator):
    learner = world["ours"][0]
    learner.first_name, learner.last_name = '=HYPERLINK("x")', ""
    learner.save()
    client.force_login(coordinator)
    response = client.get(export_url("critical", "xlsx"), {"quiz": world["scenario"].pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ['\'=HYPERLINK("x")']


def test_the_completion_dashboard_links_here(client, coordinator):
    client.force_login(coordinator)
    assert f'href="{PAGE}"' in client.get(reverse("courses:dashboards")).text


def test_the_pages_cost_the_same_queries_at_two_sizes(
    client, world, coordinator, staff, organisation, django_assert_num_queries
):
    sizes = []
    for extra in (0, 1):
        if extra:
            more = [member(organisation) for _ in range(3)]
            more += [member(OrganisationFactory(country="DZ")) for _ in range(3)]
            for person in more:
                take(person, world["quiz"], right_answers(world["quiz"]))
                take(person, world["scenario"], path(world["scenario"], ["c2"]))
        for reader, url, params in (
            (coordinator, PAGE, {"by": "cohort"}),
            (staff, PAGE, {"by": "country", "competency": "documents"}),
            (staff, PAGE, {"by": "organisation"}),
            (staff, critical_url(world["scenario"]), {}),
        ):
            client.force_login(reader)
            client.get(url, params)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, params).status_code == 200
            sizes.append(len(captured))
    assert sizes[:4] == sizes[4:]
    client.force_login(staff)
    with django_assert_num_queries(sizes[6]):
        client.get(PAGE, {"by": "organisation"})
    # The page: the session and the user (a coordinator's membership and the filters' choices
    # are kept under their generations), the quizzes, the competency table (by cohort or
    # organisation its page with its labels, and each competency's totals; by country each
    # competency's rows counted, with its totals on PostgreSQL and apart on SQLite, and the
    # rows of those the page shows), the questions missed, and the scenarios' choices and
    # learners in one query.
    by_country = 7 if connection.vendor == "postgresql" else 8
    assert sizes[:4] == [7, by_country, 7, 6], sizes


@pytest.mark.parametrize("by", ["country", "organisation"])
def test_figures_over_all_time_equal_those_of_every_month(client, world, staff, by):
    """Without a period the page reads the counts kept over all time (a row per key, not one
    per key and month); they equal the monthly counts of a period holding every attempt. The
    figures that are not broken down (the questions missed, the scenarios) read the counts
    across every country, over all time and by month."""
    client.force_login(staff)
    month = f"{timezone.now():%Y-%m}"
    always = client.get(PAGE, {"by": by})
    period = client.get(PAGE, {"by": by, "from": month, "to": month})
    assert competency.level(Scope(), always.context["filters"]) in (2, 3)
    assert competency.level(Scope(), period.context["filters"]) in (0, 1)
    assert competency.level(Scope(), always.context["filters"], broken_down=False) == 5
    assert competency.level(Scope(), period.context["filters"], broken_down=False) == 4
    assert shares(always) == shares(period) != {}
    assert [(r.key, r.competency, r.answers) for r in always.context["rows"]] == [
        (r.key, r.competency, r.answers) for r in period.context["rows"]
    ]
    assert [(s.learners, s.critical_learners) for s in always.context["scenarios"]] == [
        (s.learners, s.critical_learners) for s in period.context["scenarios"]
    ]
    assert [(q.key, q.missed) for q in always.context["missed"]] == [
        (q.key, q.missed) for q in period.context["missed"]
    ]
    assert QuestionMonth.objects.filter(month=outcomes.ALL_TIME, level__in=(2, 3, 5)).exists()


def test_titles_and_names_are_escaped_in_the_tables(client, world, staff):
    """The tables are written in Python (`dashboard_tags`): a cohort's name and a quiz's title
    are shown as text, never as markup, in the breakdown, the questions and the scenarios."""
    from assessments.models import Quiz
    from courses.models import Cohort

    Cohort.objects.filter(pk=world["our_cohort"].pk).update(name="<b>Nairobi</b>")
    Quiz.objects.filter(pk=world["quiz"].pk).update(title="<i>Transit</i> & co")
    Quiz.objects.filter(pk=world["scenario"].pk).update(title="<img src=x onerror=alert(1)>")
    client.force_login(staff)
    html = client.get(PAGE, {"by": "cohort", "course": world["quiz_course"].pk}).text
    assert "<b>Nairobi</b>" not in html and "&lt;b&gt;Nairobi&lt;/b&gt;" in html
    assert "<i>Transit</i>" not in html and "&lt;i&gt;Transit&lt;/i&gt; &amp; co" in html
    html = client.get(PAGE).text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'scope="rowgroup"' in html  # the scenario's steps are in the table


@pytest.mark.parametrize(
    "text",
    ["<b>Nairobi</b> & \"co\" 'x'", "plain", 12, "already <i>safe</i>", "lazy"],
)
def test_the_tables_escape_as_the_template_would(text):
    """`dashboard_tags` escapes as `conditional_escape` does: a text marked safe as it is, a
    lazy translation in the active language, anything else escaped."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy, override

    from courses.templatetags.dashboard_tags import _escaped

    if text == "already <i>safe</i>":
        text = mark_safe(text)  # noqa: S308 a constant of the test
    elif text == "lazy":
        text = gettext_lazy("Next rows")
    with override("fr"):
        assert _escaped(text) == conditional_escape(text)
        assert str(_escaped(text)) == str(conditional_escape(text))


# The scenarios' sections as the page's template wrote them before `scenario_sections`.
SCENARIO_SECTIONS_TEMPLATE = """{% load i18n flightpath_tags dashboard_tags %}
{% for scenario in scenarios %}
<section class="dashboard-section" aria-labelledby="scenario-{{ scenario.quiz_id }}">
<h3 id="scenario-{{ scenario.quiz_id }}"><span lang="{{ source_language }}" dir="auto">{{ scenario.title }}</span></h3>
<p>{% blocktranslate count counter=scenario.learners %}{{ counter }} learner took this scenario.{% plural %}{{ counter }} learners took this scenario.{% endblocktranslate %}
{% link 'courses:dashboard_competency_critical' scenario.quiz_id as critical_url %}
<a href="{{ critical_url }}?{{ query }}">{% blocktranslate count counter=scenario.critical_learners %}{{ counter }} failed on a critical choice.{% plural %}{{ counter }} failed on a critical choice.{% endblocktranslate %}</a></p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="scenario-{{ scenario.quiz_id }}">
<table class="dashboard-table">
<thead>
<tr>
<th scope="col">{% translate "Step" %}</th>
<th scope="col">{% translate "Choice" %}</th>
<th scope="col">{% translate "Taken" %}</th>
<th scope="col">{% translate "Share of the step’s answers" %}</th>
</tr>
</thead>
{% scenario_step_rows scenario.steps %}
</table>
</div>
</section>
{% endfor %}"""  # noqa: E501 the template's lines as they were


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru"])
def test_the_scenarios_sections_are_written_as_the_template_wrote_them(
    client, world, staff, language
):
    """`scenario_sections` writes what the page's template wrote: in every language, with
    one learner and several (the plural forms), a title with markup, and the page's filters
    in each link."""
    import dataclasses
    import re

    from django.template import engines
    from django.utils.translation import override

    from courses.templatetags.dashboard_tags import scenario_sections

    client.force_login(staff)
    response = client.get(PAGE, {"country": "KE", "top": "20"})
    (taken,) = response.context["scenarios"]
    scenarios = [
        dataclasses.replace(taken, learners=1, critical_learners=1),
        dataclasses.replace(taken, title="<b>Lounge</b> & 'co'", learners=5, critical_learners=2),
        dataclasses.replace(taken, learners=0, critical_learners=0, steps=[]),
    ]
    context = {
        "scenarios": scenarios,
        "query": response.context["query"],
        "source_language": "en",
    }

    def tidy(html: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()

    with override(language):
        written = scenario_sections(scenarios, response.context["query"])
        template = engines["django"].from_string(SCENARIO_SECTIONS_TEMPLATE)
        assert tidy(written) == tidy(template.render(context))
    assert "&lt;b&gt;Lounge&lt;/b&gt; &amp; &#x27;co&#x27;" in written
    assert "country=KE&amp;top=20" in written


def test_the_quizzes_words_are_marked_as_english_on_an_arabic_page(client, world, staff):
    """Questions, quiz titles, steps and choices are shown as written, in English: marked so and
    isolated, so that right to left an English question keeps its question mark at its end."""
    client.force_login(staff)
    html = client.get("/ar" + PAGE).text
    written = '<span lang="en" dir="auto">'
    assert f'<th scope="row">{written}' in html  # a question most often missed
    assert f"{written}{world['quiz'].title}</span>" in html
    assert '<th scope="rowgroup" rowspan="' in html and f'">{written}' in html  # a step
    assert f'<h3 id="scenario-{world["scenario"].pk}">{written}' in html


def test_a_programme_coordinator_sees_the_critical_learners_of_their_programme_only(
    client, world, organisation
):
    """Found along the cohorts of the programme (the one case read by cohort), the learners
    are those of its cohorts, latest first, and as many as the figure says."""
    from cms.programs.models import ProgrammeCoordinator

    from ...programs.helpers import make_programme

    scenario = world["scenario"]
    course = world["scenario_course"]
    learners = [member(organisation) for _ in range(2)]
    cohort = make_cohort(organisation, world["our_trainer"], course, name="Mombasa")
    cohort.programme = make_programme(organisation)
    cohort.save()
    coordinator = member(organisation, role=Membership.Role.COORDINATOR)
    for person in learners:
        services.enrolment_create(user=person, course=course)
        cohorts.cohort_learner_add(cohort=cohort, by=coordinator, email=person.email)
        take(person, scenario, path(scenario, ["c2"]))
    officer = UserFactory()
    ProgrammeCoordinator.objects.create(user=officer, programme=cohort.programme)
    client.force_login(officer)
    figure = {s.quiz_id: s.critical_learners for s in client.get(PAGE).context["scenarios"]}
    listed = client.get(critical_url(scenario))
    assert [row.user.email for row in listed.context["page"].object_list] == [
        learners[1].email,
        learners[0].email,
    ]
    assert listed.context["page"].paginator.count == figure[scenario.pk] == 2


def test_a_quiz_edited_since_the_last_view_is_read_afresh(client, world, coordinator):
    """The analytics keep each quiz as they parsed it, by its words: a changed title or
    question shows at the next view, and an unchanged quiz is the copy parsed before."""
    client.force_login(coordinator)
    before = client.get(PAGE, {"top": "1"}).context["missed"][0]
    kept = competency.Quizzes().by_pk[before.quiz_id]
    assert competency.Quizzes().by_pk[before.quiz_id] is kept
    quiz = world["quiz"]
    data = quiz.questions.raw_data
    for block in data:
        if block["value"]["key"] == before.key:
            block["value"]["prompt"] = "<p>Which passenger do you refer for a second look?</p>"
    quiz.questions = data
    quiz.title = "The transit lounge, revised"
    quiz.save()
    response = client.get(PAGE, {"top": "1"})
    after = response.context["missed"][0]
    assert (after.quiz, after.prompt) == (
        "The transit lounge, revised",
        "Which passenger do you refer for a second look?",
    )
    assert "Which passenger do you refer for a second look?" in response.text
    assert competency.Quizzes().by_pk[before.quiz_id] is not kept


def test_a_copy_that_no_longer_matches_its_quiz_is_read_in_full(world):
    """On PostgreSQL a quiz's questions are sent only for a version of its row this process
    has not read; a copy kept under that version whose words differ from the quiz's (as if
    another thread had replaced it meanwhile) is read again in full, on either database."""
    from django.db import connection

    quiz = world["quiz"]
    competency.Quizzes()
    words, kept = competency._read_quizzes[quiz.pk]
    title = 1 if connection.vendor == "postgresql" else 0  # after the row's version
    stale = (*words[:title], "Another title", *words[title + 1 :])
    competency._read_quizzes[quiz.pk] = (stale, kept)
    again = competency.Quizzes().by_pk[quiz.pk]
    assert again is not kept and again.title == quiz.title
    assert list(again.blocks_by_key) == list(kept.blocks_by_key) != []


def test_a_scenario_edited_since_the_last_view_is_named_afresh(client, world, staff):
    """The words of a scenario's steps are kept with the copy of the quiz they were read
    from: a changed prompt or choice shows at the next view, in the reader's language."""
    client.force_login(staff)
    first = client.get(PAGE).context["scenarios"][0].steps[0]
    assert first.key == "q1"
    scenario = world["scenario"]
    data = json.loads(json.dumps(list(scenario.questions.raw_data)))
    step = next(block for block in data if block["value"]["key"] == "q1")
    step["value"]["prompt"] = "<p>Boarding closes: whom do you call aside?</p>"
    step["value"]["choices"][0]["value"]["text"] = "The passenger whose ticket was bought in cash"
    scenario.questions = json.dumps(data)
    scenario.save()
    for language in ("en", "ar"):
        shown = client.get(PAGE, headers={"accept-language": language}).context["scenarios"]
        edited = next(s for s in shown if s.quiz_id == scenario.pk).steps[0]
        assert edited.prompt == "Boarding closes: whom do you call aside?", language
        texts = {choice.id: choice.text for choice in edited.choices}
        assert texts["c1"] == "The passenger whose ticket was bought in cash", language
        assert [(c.id, c.taken) for c in edited.choices] == [(c.id, c.taken) for c in first.choices]


@pytest.mark.parametrize("by", ["organisation", "cohort", "trainer", "country", "course"])
def test_a_breakdown_paged_in_the_database_holds_the_whole_table(
    client, world, staff, monkeypatch, by
):
    """Page after page, the rows are those of the whole table (as the exports write it),
    competency by competency; a page past the last is the last, as for every table. By
    country or course, where only the competencies a page reaches are read, in the table's
    own order."""
    from courses.dashboards import competency_views

    monkeypatch.setattr(competency_views, "ROWS_PER_PAGE", 3)
    client.force_login(staff)
    whole = competency.competency_table(
        scope=Scope(), filters=client.get(PAGE, {"by": by}).context["filters"]
    )
    seen, number = [], 1
    while True:
        page = client.get(PAGE, {"by": by, "page": number}).context["page"]
        seen += [(r.competency, r.key, r.answers, r.full_marks) for r in page.object_list]
        assert page.paginator.count == len(whole)
        if not page.has_next():
            break
        number += 1
    assert sorted(seen, key=str) == sorted(
        [(r.competency, r.key, r.answers, r.full_marks) for r in whole], key=str
    )
    assert [competency for competency, *_ in seen] == sorted(c for c, *_ in seen)
    if by in ("country", "course"):
        assert seen == [(r.competency, r.key, r.answers, r.full_marks) for r in whole]
    assert number > 1
    past = client.get(PAGE, {"by": by, "page": number + 5}).context["page"]
    assert past.number == number and len(past.object_list) == len(whole) - 3 * (number - 1)
