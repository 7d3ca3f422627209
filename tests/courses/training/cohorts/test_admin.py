"""Cohorts and classroom sessions in the CMS: administrators read them under Learning records;
nobody edits them there, and a trainer does not read them there."""

import pytest

from courses.models import Cohort

from ....factories import UserFactory
from .helpers import make_session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["cohorts", "classroom-sessions"])
def test_administrators_read_cohorts_and_sessions_and_nobody_edits_them(client, cohort, prefix):
    cohort.name = "Mombasa airside cohort"
    cohort.save()
    row = cohort if prefix == "cohorts" else make_session(cohort, airport="NBO")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(f"/admin/learning/{prefix}/")
    assert listing.status_code == 200 and cohort.name in listing.text
    assert client.get(f"/admin/learning/{prefix}/inspect/{row.pk}/").status_code == 200
    refused = (302, 403, 404)
    edit = f"/admin/learning/{prefix}/edit/{row.pk}/"
    assert client.post(edit, {"name": "Renamed", "venue": "Elsewhere"}).status_code in refused
    assert client.post(f"/admin/learning/{prefix}/delete/{row.pk}/").status_code in refused
    assert Cohort.objects.get().name == "Mombasa airside cohort"


def test_a_trainer_does_not_read_cohorts_in_the_cms(client, cohort):
    cohort.name = "Mombasa airside cohort"
    cohort.save()
    client.force_login(cohort.trainer)
    response = client.get("/admin/learning/cohorts/")
    assert response.status_code in (302, 403)
    assert cohort.name not in response.text
