"""The completion dashboard's tests that make data of their own: the queries at two sizes, the
filter choices as what they list changes, formulas escaped in exports, and the menu. The other
tests (test_views.py) share one population, made once for the module."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cms.accounts.models import Membership
from cms.home.cache import content_changed
from courses.training import cohorts

from ...factories import OrganisationFactory, make_course
from ..training.cohorts.helpers import certify, make_cohort, member
from .test_views import LEARNERS, PAGE, export_url, learn


@pytest.fixture
def course(db):
    return make_course(title="Document abuse", lessons=2)


def test_the_page_costs_the_same_queries_at_two_sizes(
    client, organisation, other_organisation, course, coordinator, staff, django_assert_num_queries
):
    learn(organisation, course, enrolled=2, completed=1)
    sizes = []
    for extra in (0, 1):
        if extra:
            more = make_course(title="Corruption", lessons=1)
            content_changed()  # as publishing it does: course titles are kept per generation
            learn(organisation, more, enrolled=6, completed=3)
            learn(OrganisationFactory(country="DZ"), course, enrolled=4, completed=2)
        for reader, url, by in (
            (coordinator, PAGE, "country"),
            (staff, PAGE, "country"),
            (staff, LEARNERS, "country"),
            (staff, PAGE, "organisation"),
            (coordinator, PAGE, "cohort"),
        ):
            client.force_login(reader)
            client.get(url, {"by": by})
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, {"by": by}).status_code == 200
            sizes.append(len(captured))
    assert sizes[:5] == sizes[5:]
    # The page: the session, the user (and a coordinator's membership), the table (by
    # country, with course titles; by any other breakdown, its count and totals then its
    # page, labels and titles joined in), the months, and the filters' countries, courses,
    # programmes and (for a coordinator) cohorts. The learners: their count and their page,
    # with course titles.
    with django_assert_num_queries(sizes[0]):  # the coordinator's, signed in last
        client.get(PAGE, {"by": "country"})
    # At most (fewer where sessions live in Redis):
    assert all(n <= most for n, most in zip(sizes[:5], [9, 8, 5, 8, 9], strict=True)), sizes


def test_the_filter_choices_follow_every_change_to_what_they_list_from_the_next_request(
    client, organisation, course, coordinator, staff
):
    """The filter choices are kept between requests: a new cohort, a trainer renamed, a
    cohort delivered under a programme, an organisation in a new country and a cohort removed
    each show from the next page on."""
    from cms.programs.models import Programme

    trainer = member(organisation, role=Membership.Role.TRAINER)
    client.force_login(coordinator)
    assert client.get(PAGE).context["options"].cohorts == []
    cohort = make_cohort(organisation, trainer, course, name="Nairobi airport, March")
    options = client.get(PAGE).context["options"]
    assert options.cohorts == [(cohort.pk, "Nairobi airport, March")]

    trainer.first_name, trainer.last_name = "Amina", "Odhiambo"
    trainer.save()
    assert client.get(PAGE).context["options"].trainers == [(trainer.pk, "Amina Odhiambo")]

    programme = Programme.objects.create(
        identifier="FP-TEST-CHOICES-1", reporting_org=organisation, workflow_status="published"
    )
    cohort.programme = programme
    cohort.save()
    assert client.get(PAGE).context["options"].programmes == ["FP-TEST-CHOICES-1"]

    client.force_login(staff)
    assert "DZ" not in client.get(PAGE).context["options"].countries
    OrganisationFactory(country="DZ")
    assert "DZ" in client.get(PAGE).context["options"].countries

    cohort.delete()
    client.force_login(coordinator)
    assert client.get(PAGE).context["options"].cohorts == []


def test_the_filter_choices_are_read_once_until_something_they_list_changes(
    client, organisation, course, coordinator
):
    trainer = member(organisation, role=Membership.Role.TRAINER)
    make_cohort(organisation, trainer, course, name="Nairobi airport, March")
    client.force_login(coordinator)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as warm:
        client.get(PAGE)
    trainer.save(update_fields=["last_login"])  # signing in renames nobody
    with CaptureQueriesContext(connection) as after_signing_in:
        client.get(PAGE)
    make_cohort(organisation, trainer, course, name="Mombasa, April")
    with CaptureQueriesContext(connection) as after_a_change:
        client.get(PAGE)
    # The cohorts and their trainers, courses, programmes and countries: four queries.
    assert len(after_signing_in) == len(warm)
    assert len(after_a_change) == len(warm) + 4


def test_the_learner_list_and_its_export_name_each_learner_and_where_they_are(
    client, organisation, course, staff
):
    """A learner by their name (their address when they gave none), their organisation and
    cohort (a dash for none), on the page as in the export."""
    (named,) = learn(organisation, course, enrolled=1, completed=0, first_name="Amina")
    (nameless,) = learn(organisation, course, enrolled=1, completed=0, first_name="")
    named.last_name, nameless.last_name = "Odhiambo", ""
    named.save()
    nameless.save()
    trainer = certify(member(organisation, role=Membership.Role.TRAINER))
    cohort = make_cohort(organisation, trainer, course, name="Nairobi, May")
    cohorts.cohort_learner_add(
        cohort=cohort,
        by=member(organisation, role=Membership.Role.COORDINATOR),
        email=named.email,
    )
    client.force_login(staff)
    html = client.get(LEARNERS).text
    assert (
        f'<th scope="row">Amina Odhiambo<br><span class="muted">{named.email}</span></th>'
        f"<td>{organisation.name}</td><td>Nairobi, May</td>"
    ) in html
    assert (
        f'<th scope="row">{nameless.email}<br><span class="muted">{nameless.email}</span></th>'
        f"<td>{organisation.name}</td><td>—</td>"
    ) in html
    response = client.get(export_url("learners", "csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_address = {row[1]: row for row in rows[1:]}
    assert by_address[named.email][:5] == [
        "Amina Odhiambo",
        named.email,
        organisation.name,
        organisation.country.code,
        "Nairobi, May",
    ]
    assert by_address[nameless.email][:5] == [
        "",
        nameless.email,
        organisation.name,
        organisation.country.code,
        "",
    ]


def test_a_csv_export_escapes_formulas_and_applies_the_filters(
    client, organisation, other_organisation, course, staff
):
    learn(organisation, course, enrolled=1, completed=0, first_name='=HYPERLINK("x")')
    learn(other_organisation, course, enrolled=1, completed=0, first_name="@SUM(A1)")
    client.force_login(staff)
    response = client.get(export_url("learners", "csv"), {"country": "KE"})
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0].startswith("'=HYPERLINK")


def test_an_xlsx_export_escapes_formulas(client, organisation, course, coordinator):
    learn(organisation, course, enrolled=1, completed=0, first_name="", last_name="-2+3")
    client.force_login(coordinator)
    response = client.get(export_url("learners", "xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["'-2+3"]


@pytest.mark.parametrize("who,shown", [("coordinator", True), ("staff", True), ("officer", False)])
def test_the_menu_offers_dashboards_to_coordinators_and_staff(client, request, who, shown, db):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert (f'href="{PAGE}"' in html) is shown
