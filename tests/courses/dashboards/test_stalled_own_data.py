"""The stalled learners' tests that make data of their own: the queries at two sizes, and
names and formulas as text in the table and the exports. The other tests (test_stalled.py)
share one population, made once for the module."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cms.home.cache import content_changed
from courses.models import LearnerProgress, Reminder

from ...factories import OrganisationFactory, make_course
from .test_stalled import PAGE, export_url, learner


@pytest.fixture
def course(db):
    return make_course(title="Document abuse", lessons=3)


def test_the_list_exports_with_its_filters_and_formulas_escaped(
    client, organisation, course, coordinator
):
    learner(organisation, course, quiet=40, first_name="=cmd()")
    learner(organisation, course, quiet=10)
    client.force_login(coordinator)
    response = client.get(export_url("csv"), {"days": "30"})
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0].startswith("'=cmd()")
    assert rows[1][5] == "Document abuse" and rows[1][-1] == "40"
    workbook = client.get(export_url("xlsx"), {"days": "5"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert sheet.max_row == 3


def test_the_page_costs_the_same_queries_at_two_sizes(
    client, organisation, course, coordinator, staff, django_assert_num_queries
):
    learner(organisation, course, quiet=40, lessons=1)
    sizes = []
    for extra in (0, 1):
        if extra:
            other = make_course(title="Corruption", lessons=2)
            content_changed()  # as publishing it does: course titles are kept per generation
            for n in range(4):
                learner(organisation, other, quiet=35 + n, lessons=n % 2)
                learner(OrganisationFactory(country="DZ"), course, quiet=60, lessons=1)
            Reminder.objects.create(
                user=LearnerProgress.objects.first().user, course=course, sent_at=timezone.now()
            )
        for reader in (coordinator, staff):
            client.force_login(reader)
            client.get(PAGE)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(PAGE)
            assert response.status_code == 200
            sizes.append(len(captured))
    assert sizes[:2] == sizes[2:]
    assert len(response.context["page"].object_list) == 9
    # The session, the user (and a coordinator's membership), the count, the page, course
    # titles, reminders, and the filters' organisations, courses (and a coordinator's cohorts).
    with django_assert_num_queries(sizes[3]):
        client.get(PAGE)


def test_names_and_titles_are_escaped_in_the_table(client, organisation, coordinator):
    """The rows are written in Python (`dashboard_tags`): a learner's name, a course's and a
    lesson's title are shown as text, never as markup, in the cells and the checkbox's label."""
    course = make_course(title="<b>Bold</b> course", lessons=2)
    learner(organisation, course, quiet=40, lessons=1, first_name="<img src=x onerror=alert(1)>")
    client.force_login(coordinator)
    html = client.get(PAGE).text
    assert "<img src=x" not in html and "<b>Bold</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Remind &lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; course" in html
