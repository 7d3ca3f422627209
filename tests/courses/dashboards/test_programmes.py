"""The dashboards by programme: the programme breakdown and filter, the programme coordinator's
scope (what was delivered under their programmes, in every organisation), the scope chooser,
and the programme results view, whose figures are the registry's."""

import csv
import importlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cms.accounts.models import Membership, Organisation
from cms.home.cache import content_changed
from cms.programs.models import ProgrammeCoordinator
from cms.programs.results import programme_results
from courses.models import LearnerProgress, ProgrammeCount, ProgrammeLearner
from courses.training import cohorts

from ... import module_data
from ...factories import OrganisationFactory, UserFactory, make_course
from ...programs.helpers import make_programme
from ..training.cohorts.helpers import certify, make_cohort, member
from .test_views import figures, learn

PAGE = reverse("courses:dashboards")
LEARNERS = reverse("courses:dashboard_learners")
RESULTS = reverse("courses:dashboard_programmes")
STALLED = reverse("courses:dashboard_stalled")
TRAINERS = reverse("courses:dashboard_trainers")
COMPETENCY = reverse("courses:dashboard_competency")


def export_url(table, fmt):
    return reverse("courses:dashboard_export", args=[table, fmt])


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def deliver(cohort, programme):
    """Put `cohort` under `programme` as its coordinator does, on the Training pages."""
    coordinator = member(cohort.organisation, role=Membership.Role.COORDINATOR)
    cohorts.cohort_update(
        cohort=cohort,
        by=coordinator,
        name=cohort.name,
        language="en",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        trainer=cohort.trainer,
        programme=programme,
    )


def cohort_of(organisation, course, people, *, name):
    trainer = certify(member(organisation, role=Membership.Role.TRAINER))
    cohort = make_cohort(organisation, trainer, course, name=name)
    coordinator = member(organisation, role=Membership.Role.COORDINATOR)
    for person in people:
        cohorts.cohort_learner_add(cohort=cohort, by=coordinator, email=person.email)
    return cohort


def build() -> dict:
    """Programme P delivered by a cohort of the coordinator's organisation (KE: three
    learners, one complete) and one of another (BJ: two, both complete); programme Q by a
    cohort of a third organisation (DZ) in another course; a KE learner in no cohort."""
    organisation, other_organisation = OrganisationFactory(), OrganisationFactory(country="BJ")
    funder = OrganisationFactory(name="INTERPOL", slug="interpol", country="FR")
    p, q = make_programme(funder, own_id="P"), make_programme(funder, own_id="Q")
    course = make_course(title="Document abuse", lessons=2)
    corruption = make_course(title="Corruption", lessons=1)
    third = OrganisationFactory(country="DZ")
    ours = learn(organisation, course, enrolled=3, completed=1)
    theirs = learn(other_organisation, course, enrolled=2, completed=2)
    far = learn(third, corruption, enrolled=2, completed=1)
    loner = learn(organisation, course, enrolled=1, completed=0)
    cohort_a = cohort_of(organisation, course, ours, name="Nairobi")
    cohort_b = cohort_of(other_organisation, course, theirs, name="Cotonou")
    cohort_c = cohort_of(third, corruption, far, name="Algiers")
    deliver(cohort_a, p)
    deliver(cohort_b, p)
    deliver(cohort_c, q)
    officer = UserFactory(email="officer@interpol.example")
    ProgrammeCoordinator.objects.create(user=officer, programme=p)
    return {
        "organisation": organisation,
        "other_organisation": other_organisation,
        "p": p,
        "q": q,
        "course": course,
        "corruption": corruption,
        "third": third,
        "ours": ours,
        "theirs": theirs,
        "far": far,
        "loner": loner,
        "cohorts": (cohort_a, cohort_b, cohort_c),
        "officer": officer,
    }


made, world, organisation, other_organisation = module_data.fixtures(
    build, "organisation", "other_organisation"
)


# The summaries -------------------------------------------------------------------------------


def test_progress_rows_carry_the_programme_their_cohort_is_delivered_under(world):
    programmes = dict(LearnerProgress.objects.values_list("user__email", "programme_id"))
    assert {programmes[p.email] for p in world["ours"] + world["theirs"]} == {world["p"].pk}
    assert {programmes[p.email] for p in world["far"]} == {world["q"].pk}
    assert programmes[world["loner"][0].email] is None


def test_taking_a_cohort_out_of_its_programme_moves_its_learners_at_once(world, staff, client):
    deliver(world["cohorts"][1], None)
    client.force_login(staff)
    response = client.get(PAGE, {"by": "programme"})
    assert [(row.label, row.enrolled) for row in response.context["rows"]] == [
        ("FP-INTERPOL-P", 3),
        ("FP-INTERPOL-Q", 2),
        ("No programme", 3),
    ]


# The breakdown and the filter ------------------------------------------------------------------


def test_staff_break_completion_down_by_programme(client, world, staff):
    client.force_login(staff)
    response = client.get(PAGE, {"by": "programme"})
    assert figures(response) == [
        ("FP-INTERPOL-P", "Document abuse", 5, 2, 3),
        ("FP-INTERPOL-Q", "Corruption", 2, 1, 1),
        ("No programme", "Document abuse", 1, 1, 0),
    ]


def test_the_programme_filter_names_a_programme_by_its_identifier(client, world, staff):
    client.force_login(staff)
    response = client.get(PAGE, {"programme": "FP-INTERPOL-Q", "by": "country"})
    assert figures(response) == [("Algeria", "Corruption", 2, 1, 1)]
    assert "programme=FP-INTERPOL-Q" in response.context["filters"].query()
    nothing = client.get(LEARNERS, {"programme": "none"})
    assert [row.user_id for row in nothing.context["page"].object_list] == [
        person.pk for person in world["loner"]
    ]


def test_a_coordinator_filters_by_a_programme_their_organisation_delivers(
    client, world, coordinator, organisation
):
    client.force_login(coordinator)
    response = client.get(PAGE, {"programme": "FP-INTERPOL-P"})
    assert figures(response) == [(organisation.name, "Document abuse", 3, 2, 1)]
    assert client.get(PAGE, {"programme": "FP-INTERPOL-Q"}).status_code == 404


@pytest.mark.parametrize("value", ["FP-NOWHERE", "FP-INTERPOL-P\x00"])
def test_an_unknown_programme_is_not_found(client, world, staff, value):
    client.force_login(staff)
    assert client.get(PAGE, {"programme": value}).status_code == 404


# The programme coordinator's scope ---------------------------------------------------------------


def test_a_programme_coordinator_sees_its_learners_in_every_organisation(
    client, world, organisation, other_organisation
):
    client.force_login(world["officer"])
    response = client.get(PAGE)
    assert response.status_code == 200
    assert figures(response) == sorted(
        [
            (organisation.name, "Document abuse", 3, 2, 1),
            (other_organisation.name, "Document abuse", 2, 0, 2),
        ]
    )
    listed = client.get(LEARNERS)
    emails = {row.learner_email for row in listed.context["page"].object_list}
    assert emails == {person.email for person in world["ours"] + world["theirs"]}


def test_a_programme_coordinators_filter_choices_are_those_of_their_programme(
    client, world, organisation, other_organisation
):
    client.force_login(world["officer"])
    options = client.get(PAGE).context["options"]
    assert set(options.countries) == {organisation.country, other_organisation.country}
    # The organisations a cohort of the programme belongs to, and no other.
    OrganisationFactory(name=f"{other_organisation.name} bis")
    for text in {o.name[:3] for o in Organisation.objects.all()}:
        offered = client.get(reverse("courses:dashboard_organisation_suggestions"), {"q": text})
        assert {row["slug"] for row in offered.json()["results"]} <= {
            organisation.slug,
            other_organisation.slug,
        }
    offered = client.get(
        reverse("courses:dashboard_organisation_suggestions"), {"q": other_organisation.name}
    )
    assert [row["slug"] for row in offered.json()["results"]] == [other_organisation.slug]
    assert [title for _pk, title in options.courses] == ["Document abuse"]
    assert options.programmes == ["FP-INTERPOL-P"]
    assert {name for _pk, name in options.cohorts} == {"Nairobi", "Cotonou"}


def test_a_programme_coordinators_own_filter_values_are_accepted(client, world, other_organisation):
    cohort = world["cohorts"][1]
    client.force_login(world["officer"])
    response = client.get(
        PAGE,
        {
            "organisation": other_organisation.slug,
            "country": "BJ",
            "cohort": cohort.pk,
            "trainer": cohort.trainer_id,
            "course": world["course"].pk,
            "programme": "FP-INTERPOL-P",
            "by": "trainer",
        },
    )
    assert [row[2:] for row in figures(response)] == [(2, 0, 2)]


OUTSIDE = [
    {"organisation": "third"},
    {"country": "DZ"},
    {"cohort": "their_cohort"},
    {"trainer": "their_trainer"},
    {"course": "their_course"},
    {"programme": "FP-INTERPOL-Q"},
    {"programme": "none"},
    {"scope": "all"},
    {"scope": "organisation"},
]


@pytest.mark.parametrize("params", OUTSIDE)
@pytest.mark.parametrize(
    "url",
    [
        PAGE,
        LEARNERS,
        RESULTS,
        export_url("completion", "csv"),
        export_url("learners", "xlsx"),
        export_url("months", "csv"),
        export_url("programmes", "csv"),
        STALLED,
        TRAINERS,
        COMPETENCY,
        export_url("stalled", "csv"),
        export_url("trainers", "xlsx"),
        reverse("courses:dashboard_competency_export", args=["competencies", "csv"]),
    ],
)
def test_values_outside_a_programme_coordinators_programme_are_not_found(
    client, world, params, url
):
    outside = world["cohorts"][2]
    values = {
        "third": world["third"].slug,
        "their_cohort": outside.pk,
        "their_trainer": outside.trainer_id,
        "their_course": world["corruption"].pk,
    }
    query = {key: values.get(value, value) for key, value in params.items()}
    client.force_login(world["officer"])
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize(
    "url", [PAGE, LEARNERS, RESULTS, STALLED, TRAINERS, COMPETENCY, export_url("programmes", "csv")]
)
def test_a_withdrawn_programme_coordinator_is_refused(client, world, url):
    client.force_login(world["officer"])
    assert client.get(url).status_code == 200
    ProgrammeCoordinator.objects.filter(user=world["officer"]).delete()
    assert client.get(url).status_code == 403


def test_an_exported_learner_list_holds_the_programmes_learners_only(client, world):
    client.force_login(world["officer"])
    rows = rows_of(client.get(export_url("learners", "csv")))
    assert {row[1] for row in rows[1:]} == {p.email for p in world["ours"] + world["theirs"]}


def test_a_coordinator_of_an_organisation_and_a_programme_switches_scope(
    client, world, coordinator, organisation, other_organisation
):
    ProgrammeCoordinator.objects.create(user=coordinator, programme=world["q"])
    client.force_login(coordinator)
    own = client.get(PAGE)
    assert figures(own) == [(organisation.name, "Document abuse", 4, 3, 1)]
    assert [name for name, _label in own.context["scopes"]] == ["organisation", "programmes"]
    assert 'name="scope"' in own.text
    programme = client.get(PAGE, {"scope": "programmes"})
    assert figures(programme) == [(world["third"].name, "Corruption", 2, 1, 1)]
    # The scope stays in every link and download of the page.
    assert "scope=programmes" in programme.context["filters"].query()
    assert f"{LEARNERS}?" in programme.text and "scope=programmes" in programme.text
    assert client.get(PAGE, {"scope": "programmes", "country": "KE"}).status_code == 404
    assert client.get(PAGE, {"scope": "all"}).status_code == 404


# Programme results ----------------------------------------------------------------------------


def results_of(response) -> dict:
    return {
        row.identifier: (
            row.cohorts,
            row.participants_trained,
            row.completions,
            row.certified_trainers,
        )
        for row in response.context["rows"]
    }


def test_staff_see_the_same_results_as_the_registry(client, world, staff):
    client.force_login(staff)
    response = client.get(RESULTS)
    registry = programme_results(programmes=[world["p"], world["q"]])
    assert results_of(response) == {
        programme.identifier: (
            registry[programme.pk].cohorts,
            registry[programme.pk].participants_trained,
            registry[programme.pk].completions,
            registry[programme.pk].certified_trainers,
        )
        for programme in (world["p"], world["q"])
    }
    assert results_of(response) == {"FP-INTERPOL-P": (2, 3, 3, 0), "FP-INTERPOL-Q": (1, 1, 1, 0)}


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_each_programmes_row_leads_to_its_record_and_its_completion(client, world, staff, prefix):
    client.force_login(staff)
    html = client.get(f"{prefix}{RESULTS}?country=KE").content.decode()
    with translation.override(prefix.strip("/") or "en"):
        record = reverse("programs:detail", args=["FP-INTERPOL-P"])
        completion = reverse("courses:dashboards")
        label = translation.gettext("Completion in %(programme)s") % {"programme": "FP-INTERPOL-P"}
    assert f'<th scope="row" data-label><a href="{record}">FP-INTERPOL-P</a></th>' in html
    # The completion of the programme, with the filters kept.
    assert (
        f'<a href="{completion}?by=organisation&amp;country=KE&amp;programme=FP-INTERPOL-P"'
        f' aria-label="{label}">' in html
    )


@pytest.mark.parametrize(
    ("prefix", "title_p", "lang_p"),
    [("/es", "Formación en Nairobi", "es"), ("/ar", "Formation à Nairobi", "fr")],
)
def test_each_programme_is_titled_in_the_readers_language_else_its_own(
    client, world, staff, prefix, title_p, lang_p
):
    """As the registry titles a programme: in the reader's language, else in the programme's
    default language, else in the one it has; marked with the language it is in."""
    p, q = world["p"], world["q"]
    p.texts.all().delete()
    p.texts.create(language="fr", title="Formation à Nairobi", description="Formation.")
    p.texts.create(language="es", title="Formación en Nairobi", description="Formación.")
    type(p).objects.filter(pk=p.pk).update(default_language="fr")
    q.texts.update(language="ru", title="Обучение в Алжире")
    client.force_login(staff)
    html = client.get(f"{prefix}{RESULTS}").content.decode()
    assert f'<td lang="{lang_p}">{title_p}</td>' in html
    assert '<td lang="ru">Обучение в Алжире</td>' in html


def test_results_are_filtered_by_organisation_country_and_period(
    client, world, staff, other_organisation
):
    client.force_login(staff)
    by_organisation = client.get(RESULTS, {"organisation": other_organisation.slug})
    assert results_of(by_organisation)["FP-INTERPOL-P"] == (1, 2, 2, 0)
    assert results_of(client.get(RESULTS, {"country": "KE"}))["FP-INTERPOL-P"] == (1, 1, 1, 0)
    later = world["cohorts"][0].starts_on.replace(day=1).replace(year=2099)
    assert results_of(client.get(RESULTS, {"from": f"{later:%Y-%m}"}))["FP-INTERPOL-P"] == (
        0,
        0,
        0,
        0,
    )


def test_a_coordinator_sees_their_organisations_share_of_a_programme(client, world, coordinator):
    client.force_login(coordinator)
    assert results_of(client.get(RESULTS)) == {"FP-INTERPOL-P": (1, 1, 1, 0)}


def test_a_programme_coordinator_sees_their_programme_only(client, world):
    client.force_login(world["officer"])
    response = client.get(RESULTS)
    assert results_of(response) == {"FP-INTERPOL-P": (2, 3, 3, 0)}
    link = response.context["rows"][0].completion_url
    assert link.startswith(PAGE) and "programme=FP-INTERPOL-P" in link
    assert 'id="programmes-chart"' in response.text and 'data-series="completions"' in response.text
    assert client.get(link).status_code == 200


def test_the_results_export_applies_the_filters(client, world, staff, other_organisation):
    client.force_login(staff)
    response = client.get(
        export_url("programmes", "csv"), {"organisation": other_organisation.slug}
    )
    assert rows_of(response)[1:] == [
        ["FP-INTERPOL-P", "SLTD training and operation at Nairobi airport", "1", "2", "2", "0"],
        ["FP-INTERPOL-Q", "SLTD training and operation at Nairobi airport", "0", "0", "0", "0"],
    ]


@pytest.mark.parametrize("who", ["officer", "newcomer", "trainer", "stranger"])
def test_people_without_a_scope_are_refused_the_results(client, world, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(RESULTS).status_code == 403
    assert client.get(export_url("programmes", "xlsx")).status_code == 403


def test_the_dashboards_menu_leads_to_the_results(client, world):
    client.force_login(world["officer"])
    html = client.get(PAGE).text
    assert f'href="{RESULTS}"' in html and f'href="{PAGE}"' in html


# Query counts ----------------------------------------------------------------------------------


def grow(world, organisation, other_organisation):
    """More of everything under P: another course, cohorts and learners in both organisations."""
    more = make_course(title="Indicators", lessons=1)
    content_changed()  # as publishing it does: course titles are kept per generation
    for org, name in ((organisation, "Mombasa"), (other_organisation, "Porto-Novo")):
        people = learn(org, more, enrolled=4, completed=2)
        deliver(cohort_of(org, more, people, name=name), world["p"])
    deliver(
        cohort_of(
            world["third"], more, learn(world["third"], more, enrolled=3, completed=1), name="x"
        ),
        world["q"],
    )


def test_each_view_costs_the_same_queries_at_two_sizes(
    client, world, staff, coordinator, organisation, other_organisation
):
    reads = [
        (world["officer"], PAGE, {"by": "programme"}),
        (world["officer"], LEARNERS, {}),
        (world["officer"], RESULTS, {"country": "BJ"}),
        (staff, RESULTS, {}),
        (coordinator, RESULTS, {"programme": "FP-INTERPOL-P"}),
    ]
    sizes = []
    for step in range(2):
        if step:
            grow(world, organisation, other_organisation)
        for reader, url, query in reads:
            client.force_login(reader)
            client.get(url, query)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, query).status_code == 200
            sizes.append(len(captured))
    assert sizes[: len(reads)] == sizes[len(reads) :], sizes
    # The results: the session, the user (a coordinator's membership), the filters' values,
    # the programmes and their titles, the four counts, and the form's organisations,
    # courses and programmes (and cohorts for a coordinator). At most:
    assert all(n <= 15 for n in sizes), sizes


def test_a_programme_coordinator_reads_the_other_dashboards_within_their_programme(
    client, world, organisation, other_organisation
):
    client.force_login(world["officer"])
    stalled = client.get(STALLED, {"days": 1})
    assert stalled.status_code == 200
    trainers = client.get(TRAINERS)
    listed = {row.user_id for row in trainers.context["page"].object_list}
    assert listed == {cohort.trainer_id for cohort in world["cohorts"][:2]}
    assert client.get(COMPETENCY).status_code == 200
    # The competency analytics are not kept by programme: that breakdown is not offered.
    assert client.get(COMPETENCY, {"by": "programme"}).status_code == 404


@pytest.mark.parametrize("url", [PAGE, RESULTS, STALLED, TRAINERS, COMPETENCY])
def test_clearing_the_filters_keeps_the_chosen_scope(client, world, coordinator, url):
    ProgrammeCoordinator.objects.create(user=coordinator, programme=world["q"])
    client.force_login(coordinator)
    page = client.get(url, {"scope": "programmes"})
    assert page.status_code == 200
    assert f'href="{url}?scope=programmes">' in page.text


# The results are read from the summary, never from the records -----------------------------

RECORDS = (
    "courses_cohortmember",
    "courses_attendance",
    "courses_coursecompletion",
    "courses_trainercertification",
    "courses_observedsession",
    "courses_classroomsession",
)


def test_the_results_page_reads_no_learners_records(
    client, world, staff, coordinator, other_organisation
):
    """At 100,000 learners a page that counts people from their records per request takes
    seconds: the reader's scope, an organisation and a country are read from the summary."""
    reads = [
        (staff, {}),
        (staff, {"organisation": other_organisation.slug}),
        (staff, {"country": "KE"}),
        (coordinator, {}),
        (coordinator, {"country": "KE"}),
        (world["officer"], {}),
        (world["officer"], {"country": "BJ"}),
    ]
    for reader, query in reads:
        client.force_login(reader)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RESULTS, query).status_code == 200
        touched = {
            table for q in captured.captured_queries for table in RECORDS if table in q["sql"]
        }
        assert touched == set(), (reader, query, touched)


def test_the_data_migration_fills_the_summary_as_the_events_kept_it(world, staff, client):
    fill = importlib.import_module("courses.migrations.0029_fill_programme_results").fill
    kept = programme_summary()
    ProgrammeCount.objects.all().delete()
    fill(None, None)
    assert programme_summary() == kept
    client.force_login(staff)
    assert results_of(client.get(RESULTS)) == {
        "FP-INTERPOL-P": (2, 3, 3, 0),
        "FP-INTERPOL-Q": (1, 1, 1, 0),
    }


def programme_summary():
    return (
        sorted(
            ProgrammeLearner.objects.values_list(
                "programme_id", "level", "organisation_key", "country", "user_id", "trained"
            )
        ),
        sorted(ProgrammeCount.objects.values_list(*ProgrammeCount.KEYS, *ProgrammeCount.COUNTS)),
    )
