"""The coordinator's lists cost the same number of queries with 5 members as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import lesson_complete

from ..factories import MembershipFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[5, 50], ids=["5-members", "50-members"])
def organisation_with_members(request, organisation, coordinator):
    courses = [make_course(title=f"Course {n}", slug=f"course-{n}", lessons=3) for n in range(3)]
    for n in range(request.param):
        member = MembershipFactory(
            organisation=organisation, status="requested" if n % 5 == 0 else "verified"
        ).user
        if n % 5:
            lesson_complete(user=member, lesson=courses[n % 3].get_children().first().specific)
    return organisation


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_members_page_queries(client, coordinator, organisation_with_members):
    client.force_login(coordinator)
    # session, user, memberships with their people, open invitations
    assert count(client, f"/organisations/{organisation_with_members.slug}/members/") == 4


def test_progress_report_queries(client, coordinator, organisation_with_members):
    client.force_login(coordinator)
    # session, user, members, enrolments, course completions, lessons done per course
    assert count(client, f"/organisations/{organisation_with_members.slug}/progress/") == 6
