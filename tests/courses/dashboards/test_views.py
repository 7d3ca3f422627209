"""The completion dashboard: figures, filters, drill-down and downloads, each inside the
reader's scope (a coordinator their organisation, staff everything)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cms.accounts.models import Membership
from courses import services
from courses.training import cohorts

from ... import module_data
from ...factories import OrganisationFactory, make_course
from ..training.cohorts.helpers import certify, make_cohort, member

PAGE = reverse("courses:dashboards")
LEARNERS = reverse("courses:dashboard_learners")


def export_url(table, fmt):
    return reverse("courses:dashboard_export", args=[table, fmt])


def learn(organisation, course, *, enrolled: int, completed: int, **names) -> list:
    """`enrolled` new learners of `organisation` in `course`, the first `completed` of them
    through every lesson."""
    people = []
    for n in range(enrolled):
        person = member(organisation)
        for key, value in names.items():
            setattr(person, key, value)
        person.save()
        services.enrolment_create(user=person, course=course)
        if n < completed:
            for lesson in course.lessons():
                services.lesson_complete(user=person, lesson=lesson)
        people.append(person)
    return people


def build() -> dict:
    """Three learners of the coordinator's organisation (KE), one complete, in a cohort;
    two of the other (BJ), both complete, in a cohort of their own."""
    organisation, other_organisation = OrganisationFactory(), OrganisationFactory(country="BJ")
    course = make_course(title="Document abuse", lessons=2)
    ours = learn(organisation, course, enrolled=3, completed=1)
    theirs = learn(other_organisation, course, enrolled=2, completed=2)
    our_trainer = certify(member(organisation, role=Membership.Role.TRAINER))
    their_trainer = certify(member(other_organisation, role=Membership.Role.TRAINER))
    our_cohort = make_cohort(organisation, our_trainer, course, name="Nairobi")
    their_cohort = make_cohort(other_organisation, their_trainer, course, name="Cotonou")
    for cohort, people in ((our_cohort, ours), (their_cohort, theirs)):
        coordinator = member(cohort.organisation, role=Membership.Role.COORDINATOR)
        for person in people:
            cohorts.cohort_learner_add(cohort=cohort, by=coordinator, email=person.email)
    return {
        "organisation": organisation,
        "other_organisation": other_organisation,
        "course": course,
        "ours": ours,
        "theirs": theirs,
        "our_cohort": our_cohort,
        "their_cohort": their_cohort,
        "our_trainer": our_trainer,
        "their_trainer": their_trainer,
    }


made, world, organisation, other_organisation, course = module_data.fixtures(
    build, "organisation", "other_organisation", "course"
)


def figures(response) -> list[tuple]:
    return [
        (row.label, row.course, row.enrolled, row.in_progress, row.completed)
        for row in response.context["rows"]
    ]


def test_a_coordinator_sees_their_organisation_only(client, world, coordinator, organisation):
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert figures(response) == [(organisation.name, "Document abuse", 3, 2, 1)]
    assert response.context["totals"]["enrolled"] == 3


def test_staff_see_every_organisation_by_country(client, world, staff):
    client.force_login(staff)
    response = client.get(PAGE, {"by": "country"})
    assert figures(response) == [
        ("Benin", "Document abuse", 2, 0, 2),
        ("Kenya", "Document abuse", 3, 2, 1),
    ]


def test_staff_break_down_by_cohort_and_trainer(client, world, staff):
    client.force_login(staff)
    by_cohort = figures(client.get(PAGE, {"by": "cohort"}))
    assert [(label, enrolled) for label, _c, enrolled, *_ in by_cohort] == [
        (f"Cotonou ({world['their_cohort'].organisation.name})", 2),
        (f"Nairobi ({world['our_cohort'].organisation.name})", 3),
    ]
    trainer = world["our_trainer"]
    response = client.get(PAGE, {"by": "trainer", "trainer": trainer.pk})
    assert [row[2:] for row in figures(response)] == [(3, 2, 1)]


@pytest.mark.parametrize("who", ["officer", "newcomer", "trainer"])
def test_people_who_are_not_coordinators_are_refused(client, world, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (PAGE, LEARNERS, export_url("completion", "csv")):
        assert client.get(url).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, world):
    assert client.get(PAGE).status_code == 302


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
    "url", [PAGE, LEARNERS, export_url("completion", "csv"), export_url("learners", "xlsx")]
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
    client.force_login(coordinator)
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"by": "everything"},
        {"course": "abc"},
        {"course": "999999"},
        {"from": "2026-13"},
        {"to": "last year"},
        {"status": "lost"},
        {"country": "XX"},
        {"cohort": "-1"},
    ],
)
def test_malformed_filters_are_not_found(client, world, staff, query):
    client.force_login(staff)
    assert client.get(PAGE, query).status_code == 404


def test_a_coordinators_own_filter_values_are_accepted(
    client, world, coordinator, organisation, course
):
    client.force_login(coordinator)
    response = client.get(
        PAGE,
        {
            "organisation": organisation.slug,
            "country": "KE",
            "cohort": world["our_cohort"].pk,
            "trainer": world["our_trainer"].pk,
            "course": course.pk,
        },
    )
    assert [row[2:] for row in figures(response)] == [(3, 2, 1)]


def test_a_cell_leads_to_the_learners_behind_it(client, world, staff):
    client.force_login(staff)
    response = client.get(PAGE, {"by": "country"})
    kenya = next(row for row in response.context["rows"] if row.label == "Kenya")
    assert f"{LEARNERS}{kenya.links['in_progress']}".replace("&", "&amp;") in (
        response.content.decode()
    )
    listed = client.get(LEARNERS + kenya.links["in_progress"])
    emails = {row.learner_email for row in listed.context["page"].object_list}
    assert emails == {person.email for person in world["ours"][1:]}


def test_a_coordinators_learner_list_holds_their_organisation_only(client, world, coordinator):
    client.force_login(coordinator)
    listed = client.get(LEARNERS)
    emails = {row.learner_email for row in listed.context["page"].object_list}
    assert emails == {person.email for person in world["ours"]}


def test_the_learner_list_comes_in_pages(client, world, staff, monkeypatch):
    from courses.dashboards import selectors

    monkeypatch.setattr(selectors, "LEARNERS_PER_PAGE", 2)
    client.force_login(staff)
    last = client.get(LEARNERS, {"page": 3})
    assert len(last.context["page"].object_list) == 1
    assert "Previous learners" in last.text and "Next learners" not in last.text
    assert "Page 3 of 3" in last.text
    assert client.get(LEARNERS, {"page": 4}).status_code == 404


def test_months_count_enrolments_and_completions(client, world, staff):
    client.force_login(staff)
    months = client.get(PAGE).context["months"]
    assert [(m.enrolments, m.completions) for m in months] == [(5, 3)]


def test_the_completion_table_exports_as_it_shows(client, world, coordinator, organisation):
    client.force_login(coordinator)
    response = client.get(export_url("completion", "csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1] == [organisation.name, "Document abuse", "3", "2", "1", "0.3333"]
    months = client.get(export_url("months", "xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(months.streaming_content))).active
    assert [row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)] == [(3, 1)]


def test_unknown_tables_and_formats_are_not_found(client, world, staff):
    client.force_login(staff)
    assert client.get(export_url("people", "csv")).status_code == 404
    assert client.get(export_url("completion", "pdf")).status_code == 404


def test_a_long_table_comes_in_pages_and_the_totals_count_every_row(
    client, world, staff, monkeypatch
):
    from courses.dashboards import views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 1)
    client.force_login(staff)
    second = client.get(PAGE, {"by": "country", "page": 2})
    assert figures(second) == [("Kenya", "Document abuse", 3, 2, 1)]
    assert 'aria-label="Pages of the table"' in second.text
    assert (
        "by=country" in second.text.split('aria-label="Pages of the table"')[1].split("</nav>")[0]
    )
    assert second.context["totals"]["enrolled"] == 5
    assert client.get(PAGE, {"page": "0"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "completed"},
        {"status": "in_progress"},
        {"country": "KE", "status": "completed"},
        {"country": "BJ"},
        {"cohort": "none"},
        {"trainer": "none", "status": "in_progress"},
        {"programme": "none"},
        {"from": "2000-01", "to": "2999-12"},
        {"from": "2999-01"},
        {"completed": "this-month"},
        {"completed": "this-month", "status": "completed"},
        {"completed": "this-month", "status": "in_progress"},
        {"completed": "2000-01"},
    ],
)
def test_the_learner_lists_count_from_the_monthly_counts_equals_its_rows(
    world, organisation, staff, coordinator, query
):
    """The “of N” of the learner list is summed from the monthly counts at the level the
    filters need: it equals the rows listed, in every scope."""
    import datetime

    from django.http import QueryDict

    from courses.dashboards import selectors

    this_month = f"{datetime.datetime.now(datetime.UTC):%Y-%m}"
    params = QueryDict(mutable=True)
    params.update({k: this_month if v == "this-month" else v for k, v in query.items()})
    for reader in (staff, coordinator):
        scope = selectors.dashboard_scope(user=reader)
        if scope.organisation_id and params.get("country") not in (None, "KE"):
            continue
        filters = selectors.filters_from(params, scope=scope)
        expected = selectors.Learners(scope=scope, filters=filters).count()
        assert selectors.learner_count(scope=scope, filters=filters) == expected, reader


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "completed"},
        {"country": "KE", "status": "in_progress"},
        {"programme": "none"},
        {"from": "2000-01", "to": "2999-12"},
        {"completed": "this-month"},
    ],
)
def test_the_learner_list_and_its_export_hold_the_progress_rows_of_the_filters(
    client, world, staff, coordinator, monkeypatch, query
):
    """The learner list (a row a page) and its export read the progress rows as SQL written
    out: they hold the rows the ORM finds for the scope and filters, latest enrolments first,
    with their times as the ORM reads them."""
    import datetime

    from courses.dashboards import selectors

    from .helpers import progress_as_the_orm_reads_it

    monkeypatch.setattr(selectors, "LEARNERS_PER_PAGE", 1)
    this_month = datetime.datetime.now(datetime.UTC).replace(day=1, hour=0, minute=0, second=0)
    query = {k: f"{this_month:%Y-%m}" if v == "this-month" else v for k, v in query.items()}
    for reader in (staff, coordinator):
        client.force_login(reader)
        scope = selectors.dashboard_scope(user=reader)
        rows = progress_as_the_orm_reads_it(scope, selectors.filters_from(query, scope=scope))
        if "status" in query:
            rows = rows.filter(completed_at__isnull=query["status"] == "in_progress")
        if "completed" in query:
            rows = rows.filter(completed_at__gte=this_month.replace(microsecond=0))
        expected = list(
            rows.order_by("-enrolled_at", "-pk").values_list(
                "user__email", "enrolled_at", "completed_at", "last_activity_at"
            )
        )
        pages = client.get(LEARNERS, query).context["page"].paginator.num_pages
        shown = [
            (row.learner_email, row.enrolled_at, row.completed_at, row.last_activity_at)
            for number in range(1, pages + 1)
            for row in client.get(LEARNERS, {**query, "page": number}).context["page"].object_list
        ]
        assert shown == expected, (reader, query)
        assert expected or reader is coordinator  # staff's, at least, lists someone
        exported = client.get(export_url("learners", "csv"), query)
        table = csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")))
        assert [row[1] for row in list(table)[1:]] == [email for email, *_ in expected]


def test_the_learner_list_shows_the_latest_enrolments_first(client, world, staff):
    client.force_login(staff)
    listed = client.get(LEARNERS).context["page"].object_list
    order = [(row.enrolled_at, row.id) for row in listed]
    assert order == sorted(order, reverse=True) and len(order) == 5


SUGGESTIONS = reverse("courses:dashboard_organisation_suggestions")


def test_an_organisation_is_typed_by_name_and_suggested_within_the_readers_scope(
    client, world, organisation, other_organisation, staff, coordinator
):
    client.force_login(staff)
    typed = client.get(PAGE, {"organisation": organisation.name.upper(), "by": "country"})
    assert figures(typed) == [("Kenya", "Document abuse", 3, 2, 1)]
    assert f'value="{organisation.name}"' in typed.text  # the filter shows its name
    assert f"organisation={organisation.slug}" in typed.text  # and links name its slug
    found = client.get(SUGGESTIONS, {"q": other_organisation.name[1:6]}).json()["results"]
    assert other_organisation.slug in [row["slug"] for row in found]
    assert client.get(SUGGESTIONS, {"q": "x"}).json() == {"results": []}
    # A coordinator is offered theirs alone, and cannot type another's name.
    client.force_login(coordinator)
    found = client.get(SUGGESTIONS, {"q": other_organisation.name}).json()["results"]
    assert found == []
    assert client.get(PAGE, {"organisation": other_organisation.name}).status_code == 404
    client.logout()
    assert client.get(SUGGESTIONS, {"q": organisation.name}).status_code == 302


def test_two_organisations_of_one_name_are_told_apart_by_country_or_slug(
    client, world, organisation, staff
):
    namesake = OrganisationFactory(name=organisation.name, country="BJ")
    learn(namesake, make_course(title="Corruption", lessons=1), enrolled=1, completed=0)
    client.force_login(staff)
    ambiguous = client.get(PAGE, {"organisation": organisation.name})
    assert ambiguous.status_code == 404
    assert f"No single organisation you can see is called “{organisation.name}”" in ambiguous.text
    by_country = client.get(PAGE, {"organisation": organisation.name, "country": "KE"})
    assert by_country.context["filters"].organisation == organisation.pk
    by_slug = client.get(PAGE, {"organisation": namesake.slug})
    assert figures(by_slug) == [(namesake.name, "Corruption", 1, 1, 0)]
    assert f'value="{namesake.slug}"' in by_slug.text  # its name alone would not say which
    found = client.get(SUGGESTIONS, {"q": organisation.name}).json()["results"]
    assert sorted(row["value"] for row in found) == sorted([organisation.slug, namesake.slug])


@pytest.mark.parametrize(
    "path",
    [PAGE, LEARNERS, "/dashboards/stalled/", "/dashboards/trainers/", "/dashboards/competency/"],
)
def test_a_typo_in_the_organisation_is_not_found_in_words_with_a_way_on(
    client, world, coordinator, other_organisation, path
):
    """The organisation is typed: a name nobody is called, or one outside the reader's scope, is
    not found (as every value outside a scope is), said in words with a link to the same page
    without it and the other filters kept, and reveals nothing of an organisation the reader
    may not see."""
    client.force_login(coordinator)
    for typed in ("Kenya Airport Pollice", other_organisation.name, "none", "x" * 300):
        response = client.get(path, {"organisation": typed, "country": "KE", "page": "2"})
        assert response.status_code == 404
        page = response.content.decode()
        assert "No single organisation you can see is called" in page
        assert f'href="{path}?country=KE"' in page
        assert other_organisation.name not in page.replace(typed[:200], "")
        assert client.get(f"{path}?country=KE").status_code == 200


def test_a_long_breakdown_is_ordered_and_paged_in_the_database(client, world, staff, monkeypatch):
    from courses.dashboards import views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 1)
    client.force_login(staff)
    for by in ("organisation", "cohort", "trainer"):
        shown = []
        for number in (1, 2):
            page = client.get(PAGE, {"by": by, "page": number})
            assert page.context["totals"]["enrolled"] == 5
            assert page.context["page"].paginator.num_pages == 2
            shown += [row.label for row in page.context["rows"]]
        assert shown == sorted(shown, key=str.casefold) and len(shown) == 2, (by, shown)
        assert client.get(PAGE, {"by": by, "page": 9}).context["rows"][0].label == shown[-1]


@pytest.mark.parametrize("depth", [1000, 2])
def test_a_breakdown_by_organisation_is_paged_in_the_order_of_their_names(
    client, world, course, staff, monkeypatch, depth
):
    """Over all time, the breakdown by organisation reads the organisations in the order of
    their names and stops after the page: paged one, two and three rows at a time it gives
    the rows of the same breakdown over a period (grouped and sorted as a whole), in the same
    order. Two organisations of one name in two countries keep their rows together, and the
    learners of no organisation come last. Beyond `NAME_ORDER_DEPTH` rows (here 2, so that
    the later pages are), the rows are sorted as a whole, in the same order."""
    from cms.accounts.models import User
    from courses.dashboards import selectors, views

    monkeypatch.setattr(selectors, "NAME_ORDER_DEPTH", depth)

    second = make_course(title="Corruption resistance", lessons=1)
    for country in ("UG", "BJ"):
        namesake = OrganisationFactory(name="Airport Police", country=country)
        for taken in (course, second):
            learn(namesake, taken, enrolled=1, completed=0)
    nobody = User.objects.create_user(email="unaffiliated@example.org", password="x")
    services.enrolment_create(user=nobody, course=course)
    client.force_login(staff)
    every_month = {"from": "2000-01", "to": "2999-12"}
    for per_page in (1, 2, 3):
        monkeypatch.setattr(views, "ROWS_PER_PAGE", per_page)
        tables = []
        for period in ({}, every_month):
            first = client.get(PAGE, {"by": "organisation", **period})
            shown = []
            for number in range(1, first.context["page"].paginator.num_pages + 1):
                page = client.get(PAGE, {"by": "organisation", "page": number, **period})
                shown += [(row.key, row.course_id, row.label) for row in page.context["rows"]]
            assert len(shown) == first.context["page"].paginator.count, (per_page, period)
            tables.append(shown)
        assert tables[0] == tables[1], per_page
    keys = [key for key, _course, _label in tables[0]]
    assert keys[-1] == 0 and tables[0][-1][2] != str(0)
    named = [label for key, _course, label in tables[0] if key]
    assert named == sorted(named), named
    namesakes = [key for key, _course, label in tables[0] if label == "Airport Police"]
    assert len(namesakes) == 4 and namesakes[0] == namesakes[1] != namesakes[2] == namesakes[3]


@pytest.mark.parametrize("by", ["organisation", "country", "cohort", "trainer", "course"])
def test_a_breakdown_over_all_time_equals_that_of_a_period_holding_every_month(
    client, world, staff, coordinator, by
):
    """Without a period a breakdown reads the counts kept over all time (by organisation, a
    row per organisation and course read without grouping; by country, a row per country and
    course); they equal the monthly counts of a period holding every enrolment, for staff and
    for a coordinator."""
    from courses.dashboards import selectors
    from courses.models import CompletionMonth

    every_month = {"from": "2000-01", "to": "2999-12"}
    for reader in (staff, coordinator):
        client.force_login(reader)
        always = client.get(PAGE, {"by": by})
        period = client.get(PAGE, {"by": by, **every_month})
        assert figures(always) == figures(period) != [], (reader, by)
        assert always.context["totals"] == period.context["totals"], (reader, by)
        assert always.context["page"].paginator.count == period.context["page"].paginator.count
    scope = selectors.dashboard_scope(user=staff)
    by_organisation = selectors.filters_from({"by": "organisation"}, scope=scope)
    assert selectors.count_level(scope, by_organisation) == CompletionMonth.ORGANISATION
    by_country = selectors.filters_from({"by": "country"}, scope=scope)
    assert selectors.count_level(scope, by_country) == CompletionMonth.COUNTRY_ALL_TIME


def test_a_course_renamed_and_published_is_named_anew_on_every_dashboard(
    client, world, course, staff
):
    """The dashboards keep the courses' titles once per content generation: publishing a
    course moves it, so the next page names the course as published."""
    client.force_login(staff)
    for url in (PAGE, LEARNERS):
        assert "Document abuse" in client.get(url, {"by": "course"}).text
    course.title = "Document fraud"
    course.save_revision().publish()
    for url in (PAGE, LEARNERS):
        page = client.get(url, {"by": "course"}).text
        assert "Document fraud" in page and "Document abuse" not in page
