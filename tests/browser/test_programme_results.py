"""A coordinator delivers a cohort under a programme of the registry, on a phone, and the
programme's page counts what the cohort achieved."""

import pytest

from courses.models import Attendance

from ..courses.training.cohorts.helpers import certify, make_cohort, make_session, member
from ..factories import PASSWORD, MembershipFactory, make_course
from ..programs.helpers import make_programme
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


def test_a_coordinator_delivers_a_cohort_under_a_programme(new_page, organisation):
    programme = make_programme(organisation, own_id="UNDER")
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    trainer = certify(member(organisation, role="trainer"))
    learners = [member(organisation) for _ in range(2)]
    course = make_course(title="Document abuse", audience="officers", lessons=2)
    cohort = make_cohort(organisation, trainer, course, learners=learners, name="Night shift")
    session = make_session(cohort, days=-1)
    Attendance.objects.create(session=session, user=learners[0], status="present")

    page = new_page(viewport=PHONE)
    sign_in(page, coordinator.email, PASSWORD)
    page.goto(f"/training/cohorts/{cohort.pk}/edit/")
    chooser = page.get_by_role("combobox", name="Delivered under a programme")
    chooser.press_sequentially("under")
    page.get_by_role("option", name=programme.identifier).click()
    assert chooser.input_value() == programme.identifier
    page.get_by_role("button", name="Save the cohort").click()
    page.get_by_role("link", name=programme.identifier).click()

    results = page.locator("#results")
    assert "1 participant trained" in results.inner_text()
    assert "From 1 cohort delivered under this programme" in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
