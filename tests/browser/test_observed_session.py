"""A master trainer records an observed session on a 360 px phone, left to right and right to
left: finds the candidate, taps a score for each criterion, and certifies them."""

import pytest

from courses.models import ObservedSession, TrainerCertification

from ..courses.training.helpers import complete_track, make_master
from ..factories import MembershipFactory, OrganisationFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


@pytest.mark.parametrize("language", ["", "/ar"])
def test_a_master_rates_a_session_and_certifies_on_a_phone(new_page, language):
    organisation = OrganisationFactory()
    master = make_master(MembershipFactory(organisation=organisation, role="trainer").user)
    candidate = MembershipFactory(organisation=organisation, role="trainer").user
    complete_track(candidate)
    page = new_page(viewport=PHONE)
    sign_in(page, master.email)
    page.goto(f"{language}/training/observations/")
    page.locator("input[name=email]").fill(candidate.email)
    page.locator("form.search-form button[type=submit]").click()
    page.locator("select[name=course]").select_option(label="Train the trainers")
    for label in page.locator(".rubric-score:has(input[value='3'])").all():
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        label.click()
    page.locator("textarea[name=note_scenario]").fill("The debrief drew out every indicator.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the rubric is {width} px wide on a phone"
    page.locator("form.rubric-form button[type=submit]").click()
    page.wait_for_url("**/training/observations/*/")
    record = ObservedSession.objects.get()
    assert record.passed and record.scores.get(criterion="scenario").note.startswith("The")
    page.locator("form[action$='/certify/'] button").click()
    page.wait_for_load_state()
    assert TrainerCertification.objects.get(user=candidate).observed_session == record
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
