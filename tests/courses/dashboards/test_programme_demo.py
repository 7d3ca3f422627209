"""The demo's programme coordinator sees what the demo cohorts delivered under their
programme, on the dashboards `make run` serves."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.programs.demo import COORDINATED, PROGRAMME_COORDINATOR


@pytest.mark.django_db
def test_the_demo_programme_coordinator_sees_their_programmes_figures(client, settings):
    settings.FLIGHTPATH_DEMO_ACCOUNTS = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())  # twice: still one account, one grant
    email = PROGRAMME_COORDINATOR[0]
    assert email in out.getvalue()
    assert client.login(email=email, password="flightpath")
    completion = client.get(reverse("courses:dashboards"))
    assert completion.status_code == 200
    assert completion.context["totals"]["enrolled"] > 0
    assert completion.context["options"].programmes == [COORDINATED]
    results = client.get(reverse("courses:dashboard_programmes"))
    [row] = results.context["rows"]
    assert (row.identifier, row.cohorts) == (COORDINATED, 2)


@pytest.mark.django_db
def test_the_demo_cohorts_take_their_final_quizzes_once_for_the_competency_analytics(
    client, settings
):
    from assessments.models import Attempt

    settings.FLIGHTPATH_DEMO_ACCOUNTS = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    taken = Attempt.objects.filter(status=Attempt.Status.SUBMITTED).count()
    assert taken > 0 and f"Final quizzes taken by cohort learners: {taken}" in out.getvalue()
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "Final quizzes taken by cohort learners: 0" in again.getvalue()
    assert Attempt.objects.count() == taken
    assert client.login(email="coordinator@example.org", password="flightpath")
    page = client.get(reverse("courses:dashboard_competency"))
    assert page.status_code == 200
    assert page.context["answers"] > 0 and page.context["rows"]
