"""The cohort form's programme chooser in a browser: in Arabic, right to left, on a 360 px
phone, a trainer finds a programme by part of its Arabic title, chooses it with the keyboard,
and opens the cohort under it; each suggestion is a 44 px target and nothing scrolls sideways."""

import pytest

from cms.programs.records import Text
from courses.models import Cohort

from ..courses.training.cohorts.helpers import certify, member
from ..factories import PASSWORD, make_course, site_root
from ..programs.helpers import make_programme
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


def test_a_trainer_chooses_a_programme_by_its_arabic_title_with_the_keyboard(
    new_page, organisation, other_organisation
):
    site_root()
    make_course(title="Document abuse", audience="officers", lessons=1)
    wanted = make_programme(
        other_organisation,
        own_id="AMMAN-2025",
        texts=[Text("ar", "تدريب على كشف التزوير في مطار عمّان", "تدريب.")],
    )
    make_programme(
        other_organisation,
        own_id="AMMAN-2026",
        texts=[Text("ar", "تدريب على كشف التزوير في مطار عمّان ٢٠٢٦", "تدريب.")],
    )
    make_programme(other_organisation, own_id="AMMAN-DRAFT", published=False)
    trainer = certify(member(organisation, role="trainer"))

    page = new_page(viewport=PHONE)
    sign_in(page, trainer.email, PASSWORD)
    page.goto("/ar/training/cohorts/new/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    chooser = page.locator("#id_programme")
    assert chooser.get_attribute("role") == "combobox"
    chooser.press_sequentially("كشف التزوير")
    options = page.locator("#id_programme-suggestions").get_by_role("option")
    options.first.wait_for()
    assert chooser.get_attribute("aria-expanded") == "true"
    assert options.count() == 2  # the draft is never offered
    for n in range(options.count()):
        assert options.nth(n).bounding_box()["height"] >= 44
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner

    chooser.press("ArrowDown")
    assert chooser.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    chooser.press("Enter")
    assert chooser.input_value() == wanted.identifier
    assert chooser.get_attribute("aria-expanded") == "false"

    page.locator("#id_course").select_option(index=1)
    page.locator("#id_name").fill("Amman night shift")
    page.locator("#id_starts_on").fill("2026-01-05")
    page.locator("#id_ends_on").fill("2026-01-09")
    page.locator("form.cohort-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    assert Cohort.objects.get(name="Amman night shift").programme == wanted
