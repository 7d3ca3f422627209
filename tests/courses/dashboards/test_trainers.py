"""The trainers' dashboard: certifications as they stand today, cohorts taught and reach from
the cascade, filters, exports, scope and a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms.accounts.models import Membership
from courses.models import CohortMember, TrainerCertification
from courses.training.cascade import refresh_trainer_reach
from courses.training.certification import Level

from ...factories import OrganisationFactory, make_course
from ..training.cohorts.helpers import make_cohort, member

PAGE = reverse("courses:dashboard_trainers")


def export_url(fmt):
    return reverse("courses:dashboard_export", args=["trainers", fmt])


def certified(organisation, *, until: int, status="certified", level=Level.TRAINER, **names):
    person = member(organisation, role=Membership.Role.TRAINER)
    for name, value in names.items():
        setattr(person, name, value)
    person.save()
    TrainerCertification.objects.create(
        user=person,
        level=level,
        status=status,
        organisation=organisation,
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() + datetime.timedelta(days=until),
    )
    return person


@pytest.fixture
def world(organisation, other_organisation):
    """Ours: a trainer certified for a year who teaches a cohort of three, one expiring in 20
    days, one expired, one suspended, one revoked and a candidate. Theirs: one certified."""
    course = make_course(title="Document abuse", lessons=1)
    people = {
        "certified": certified(organisation, until=365, first_name="Amina"),
        "expiring": certified(organisation, until=20),
        "expired": certified(organisation, until=-3),
        "suspended": certified(organisation, until=200, status="suspended"),
        "revoked": certified(organisation, until=200, status="revoked"),
        "candidate": member(organisation, role=Membership.Role.TRAINER),
        "theirs": certified(other_organisation, until=365),
    }
    TrainerCertification.objects.create(
        user=people["candidate"], level=Level.TRAINER, status="candidate", organisation=organisation
    )
    cohort = make_cohort(organisation, people["certified"], course, name="Nairobi")
    CohortMember.objects.bulk_create(
        [CohortMember(cohort=cohort, user=member(organisation)) for _ in range(3)]
    )
    refresh_trainer_reach()
    return people


def standings(response) -> dict:
    return {row.user.email: row.standing for row in response.context["page"].object_list}


def test_a_coordinator_sees_their_organisations_certifications_as_they_stand(
    client, world, coordinator
):
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert standings(response) == {
        world["certified"].email: "certified",
        world["expiring"].email: "expiring",
        world["expired"].email: "expired",
        world["suspended"].email: "suspended",
    }
    amina = next(r for r in response.context["page"].object_list if r.user == world["certified"])
    assert (amina.cohorts_taught, amina.direct_learners, amina.downstream_learners) == (1, 3, 0)
    # Those that lapse first come first.
    assert response.context["page"].object_list[0].user == world["expired"]


def test_each_person_stands_by_their_latest_certification(client, world, coordinator, organisation):
    """A later row replaces the earlier one: suspended after being certified, revoked after
    being suspended; of two rows recorded in the same instant, the one written last."""

    def again(person, status, *, at=None):
        row = TrainerCertification.objects.create(
            user=person,
            level=Level.TRAINER,
            status=status,
            organisation=organisation,
            valid_from=timezone.localdate() - datetime.timedelta(days=10),
            valid_until=timezone.localdate() + datetime.timedelta(days=300),
        )
        if at is not None:
            TrainerCertification.objects.filter(pk=row.pk).update(recorded_at=at)

    again(world["certified"], "suspended")
    again(world["suspended"], "revoked")
    same_instant = certified(organisation, until=300)
    first = TrainerCertification.objects.get(user=same_instant)
    again(same_instant, "suspended", at=first.recorded_at)
    client.force_login(coordinator)
    found = standings(client.get(PAGE))
    assert found[world["certified"].email] == "suspended"
    assert world["suspended"].email not in found
    assert found[same_instant.email] == "suspended"
    assert len(client.get(PAGE).context["page"].object_list) == len(found)


@pytest.mark.parametrize(
    "query,who",
    [
        ({"standing": "expiring"}, ["expiring"]),
        ({"standing": "expired"}, ["expired"]),
        ({"standing": "suspended"}, ["suspended"]),
        ({"standing": "certified"}, ["certified"]),
        ({"standing": "expiring", "within": "400"}, ["certified", "expiring"]),
        ({"standing": "certified", "within": "10"}, ["certified", "expiring"]),
    ],
)
def test_the_status_and_expiring_within_filters(client, world, coordinator, query, who):
    client.force_login(coordinator)
    assert set(standings(client.get(PAGE, query))) == {world[name].email for name in who}


def test_staff_see_every_organisation_and_filter_by_country(client, world, staff):
    client.force_login(staff)
    assert world["theirs"].email in standings(client.get(PAGE))
    assert list(standings(client.get(PAGE, {"country": "BJ"}))) == [world["theirs"].email]


@pytest.mark.parametrize(
    "query",
    [
        {"standing": "revoked"},
        {"within": "0"},
        {"within": "soon"},
        {"within": "100000"},
        {"within": "³"},
        {"country": "XX"},
        {"organisation": "nowhere"},
    ],
)
def test_malformed_filters_are_not_found(client, world, staff, query):
    client.force_login(staff)
    assert client.get(PAGE, query).status_code == 404
    assert client.get(export_url("csv"), query).status_code == 404


@pytest.mark.parametrize("who", ["officer", "newcomer", "trainer"])
def test_people_who_are_not_coordinators_are_refused(client, world, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.get(export_url("xlsx")).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, world):
    assert client.get(PAGE).status_code == 302
    assert client.get(export_url("csv")).status_code == 302


@pytest.mark.parametrize("query", [{"organisation": "other"}, {"country": "BJ"}])
def test_filter_values_outside_a_coordinators_scope_are_not_found(
    client, world, coordinator, other_organisation, query
):
    if query.get("organisation"):
        query = {"organisation": other_organisation.slug}
    client.force_login(coordinator)
    for url in (PAGE, export_url("csv"), export_url("xlsx")):
        assert client.get(url, query).status_code == 404


def test_a_coordinator_of_another_organisation_sees_only_theirs(client, world, other_organisation):
    client.force_login(member(other_organisation, role=Membership.Role.COORDINATOR))
    assert list(standings(client.get(PAGE))) == [world["theirs"].email]
    text = b"".join(client.get(export_url("csv")).streaming_content).decode("utf-8-sig")
    assert world["theirs"].email in text and world["certified"].email not in text


def test_the_table_exports_with_its_filters_and_formulas_escaped(
    client, world, coordinator, organisation
):
    certified(organisation, until=30, first_name="+1 trainer")
    client.force_login(coordinator)
    response = client.get(export_url("csv"), {"standing": "expiring"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {row[0][:3] for row in rows[1:]} == {"'+1", world["expiring"].get_full_name()[:3]}
    assert rows[1][5] == "Expiring"
    workbook = client.get(export_url("xlsx"), {"standing": "certified"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[1] == world["certified"].email and row[8:] == (1, 3, 0)


def test_the_page_costs_the_same_queries_at_two_sizes(
    client, organisation, coordinator, staff, django_assert_num_queries
):
    course = make_course(title="Document abuse", lessons=1)
    first = certified(organisation, until=100)
    make_cohort(organisation, first, course)
    refresh_trainer_reach()
    sizes = []
    for extra in (0, 1):
        if extra:
            for n in range(5):
                person = certified(organisation, until=10 + n, level=Level.MASTER)
                make_cohort(organisation, person, course, learners=[member(organisation)])
                certified(OrganisationFactory(country="DZ"), until=-n - 1)
            refresh_trainer_reach()
        for reader in (coordinator, staff):
            client.force_login(reader)
            client.get(PAGE)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(PAGE)
            assert response.status_code == 200
            sizes.append(len(captured))
    assert sizes[:2] == sizes[2:]
    assert len(response.context["page"].object_list) == 11
    # The session, the user (and a coordinator's membership), the count, the certifications up
    # to the page's last date, the page, reach, cohorts taught, and the filters' organisations
    # and courses (and a coordinator's cohorts).
    with django_assert_num_queries(sizes[3]):
        client.get(PAGE)


def test_the_table_comes_in_pages_keeping_the_filters(client, world, staff, monkeypatch):
    from courses.dashboards import views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)
    client.force_login(staff)
    first = client.get(PAGE, {"within": "30"})
    pager = first.text.split('aria-label="Pages of trainers"')[1].split("</nav>")[0]
    assert "within=30" in pager
    assert client.get(PAGE, {"within": "30", "page": 4}).status_code == 404


def test_the_dashboards_link_to_each_other(client, world, coordinator):
    client.force_login(coordinator)
    for url in (reverse("courses:dashboards"), PAGE, reverse("courses:dashboard_stalled")):
        html = client.get(url).text
        assert f'href="{PAGE}"' in html
        assert f'href="{reverse("courses:dashboard_stalled")}"' in html
        assert f'href="{reverse("courses:dashboards")}"' in html


def test_names_are_escaped_in_the_table(client, world, coordinator, organisation):
    """The rows are written in Python (`dashboard_tags`): what a person typed as their name is
    shown as text, never as markup."""
    certified(organisation, until=200, first_name='<script>alert("x")</script>', last_name="&")
    client.force_login(coordinator)
    html = client.get(PAGE).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html


def test_a_page_holds_the_rows_of_the_whole_order_at_every_depth(organisation, other_organisation):
    """`page_of` reads only the certifications up to the page's last date, then sorts those: at
    every offset it gives the rows the whole order gives there, through ties of a date broken
    by name and a suspended certification without a date (first on SQLite, last on
    PostgreSQL)."""
    from courses.dashboards import trainers
    from courses.dashboards.selectors import Scope

    for n, (until, name) in enumerate(
        [(30, "Zoe"), (30, "Adel"), (30, "Mira"), (10, "Karim"), (90, "Bea"), (90, "Ana")]
    ):
        certified(organisation if n % 2 else other_organisation, until=until, last_name=name)
    undated = certified(organisation, until=50, status="suspended", last_name="Omar")
    TrainerCertification.objects.filter(user=undated).update(valid_until=None)
    certified(organisation, until=30, level=Level.MASTER, last_name="Adel")
    rows = TrainerCertification.objects.filter(is_latest=True)
    whole = [row.pk for row in trainers.named(rows)]
    assert len(whole) == 8
    for limit in (1, 2, 3, 8):
        for offset in range(0, 9):
            page = trainers.page_of(rows, scope=Scope(), within=60, offset=offset, limit=limit)
            assert [row.pk for row in page] == whole[offset : offset + limit], (offset, limit)


def test_cohorts_taught_are_counted_in_the_readers_scope(
    client, world, staff, coordinator, organisation, other_organisation
):
    """A trainer who also teaches a cohort of another organisation: staff count both cohorts,
    on the page and in the export alike; the coordinator of the trainer's organisation counts
    the one in it."""
    course = make_course(title="Corruption resistance", lessons=1)
    make_cohort(other_organisation, world["certified"], course, name="Cotonou")
    shown = {}
    for reader in (staff, coordinator):
        client.force_login(reader)
        page = client.get(PAGE).context["page"].object_list
        shown[reader] = next(r.cohorts_taught for r in page if r.user == world["certified"])
    assert (shown[staff], shown[coordinator]) == (2, 1)
    client.force_login(staff)
    response = client.get(export_url("csv"), {"standing": "certified"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(row for row in rows if row[1] == world["certified"].email)
    assert row[8:] == ["2", "3", "0"]
