"""A coordinator records a programme that a funder already reported in French: the registry
shows the match with its reasons before saving, and the two end up linked."""

import pytest

from cms.accounts.models import Organisation
from cms.programs.models import Programme, ProgrammeRelation
from cms.programs.records import Text

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory
from ..programs.helpers import make_programme
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


@pytest.fixture
def french_record(db):
    funder = OrganisationFactory(
        name="Bailleur de démonstration", kind=Organisation.Kind.INTERNATIONAL, country="FR"
    )
    return make_programme(
        funder,
        texts=[Text("fr", "Formation SLTD à l'aéroport de Nairobi", "Formation.")],
        default_language="fr",
    )


def test_a_coordinator_links_a_duplicate_of_a_french_record(new_page, french_record):
    organisation = OrganisationFactory(name="Kenya Airport Police")
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    page = new_page(viewport=PHONE)
    sign_in(page, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Programmes").first.click()
    page.get_by_role("link", name="Record a programme").click()
    page.get_by_label("Your organisation's own id for it").fill("NBO-2011")
    page.get_by_label("Title", exact=True).fill("SLTD training at Nairobi airport")
    page.get_by_label("Description").fill("Training in the SLTD database.")
    page.get_by_label("Status").select_option("4")
    page.get_by_label("Planned start").fill("2011-07-11")
    page.get_by_label("Planned end").fill("2011-07-15")
    page.get_by_label("Recipient countries").fill("KE")
    page.get_by_label("Airports").fill("NBO")
    page.get_by_label("Document abuse").check()
    page.get_by_label("Police", exact=True).check()
    page.get_by_label("Participants planned").fill("40")
    page.get_by_label("Participating organisations").fill("Kenya Airport Police, implementing")
    page.get_by_role("button", name="Check and save").click()

    match = page.locator(".match")
    assert "Possibly the same programme" in match.inner_text()
    assert "same airport NBO" in match.inner_text()
    assert "dates overlap 5 of 5 days" in match.inner_text()
    assert not Programme.objects.filter(reporting_org=organisation).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    match.get_by_label("Same programme").check()
    page.get_by_role("button", name="Save with these decisions").click()
    page.wait_for_url("**/programmes/FP-*/")
    assert french_record.identifier in page.content()
    created = Programme.objects.get(reporting_org=organisation)
    assert ProgrammeRelation.objects.filter(
        programme=created, related=french_record, kind="same"
    ).exists()


@pytest.mark.parametrize("language", ["", "/ar"])
def test_registry_pages_fit_a_phone(new_page, french_record, language):
    page = new_page(viewport=PHONE)
    for path in ["/programmes/", f"/programmes/{french_record.identifier}/"]:
        page.goto(f"{language}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"


@pytest.mark.parametrize("language", ["", "/ar"])
@pytest.mark.parametrize("width, columns", [(360, 1), (1280, 4)])
def test_the_search_stacks_on_a_phone_and_spreads_on_a_screen(
    new_page, french_record, language, width, columns
):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"{language}/programmes/?theme=documents")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    lefts = page.evaluate(
        "[...document.querySelectorAll('.programme-search__facet')]"
        ".map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(set(lefts)) == columns
    small = page.evaluate(
        "[...document.querySelectorAll("
        "'.programme-search a, .programme-search button, .programme-search select,"
        " .programme-search input, .downloads a')]"
        ".filter(e => e.getBoundingClientRect().height < 44).map(e => e.outerHTML)"
    )
    assert small == []
    if language:  # right to left: the first facet sits at the right
        boxes = page.locator(".programme-search__facet")
        first, second = boxes.nth(0).bounding_box(), boxes.nth(1).bounding_box()
        assert columns == 1 or first["x"] > second["x"]
