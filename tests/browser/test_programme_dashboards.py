"""A programme coordinator reads their programme's results on a phone and in Arabic: the chart
shows the table's numbers, the table stays in its own box, and a row leads to the completion
view narrowed to the programme, in every organisation the programme reached; narrowed to a
country, the completion view's chart, table, CSV and learners agree."""

import pytest

from cms.accounts.models import Membership
from cms.programs.models import ProgrammeCoordinator
from courses import services
from courses.training import cohorts

from ..courses.training.cohorts.helpers import certify, make_cohort, member
from ..factories import PASSWORD, OrganisationFactory, UserFactory, make_course
from ..programs.helpers import make_programme
from .helpers import chart_numbers, downloaded_csv, narrow_to_country, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def delivered(organisation, course, programme, *, learners, completed):
    trainer = certify(member(organisation, role=Membership.Role.TRAINER))
    coordinator = member(organisation, role=Membership.Role.COORDINATOR)
    cohort = make_cohort(organisation, trainer, course, name=f"{organisation.name} cohort")
    for n in range(learners):
        person = member(organisation)
        cohorts.cohort_learner_add(cohort=cohort, by=coordinator, email=person.email)
        if n < completed:
            for lesson in course.lessons():
                services.lesson_complete(user=person, lesson=lesson)
    cohorts.cohort_update(
        cohort=cohort,
        by=coordinator,
        name=cohort.name,
        language="en",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        trainer=trainer,
        programme=programme,
    )


def delivered_in_kenya_and_benin():
    """An INTERPOL programme delivered to three learners in Kenya (one completed) and two in
    Benin (both completed): the course, the Kenyan organisation and the programme's
    coordinator."""
    course = make_course(title="Document abuse", lessons=1)
    funder = OrganisationFactory(name="INTERPOL", slug="interpol", country="FR")
    programme = make_programme(funder, own_id="STOP-NBO")
    kenya = OrganisationFactory(name="Kenya Immigration", country="KE")
    delivered(kenya, course, programme, learners=3, completed=1)
    benin = OrganisationFactory(name="Benin Police", country="BJ")
    delivered(benin, course, programme, learners=2, completed=2)
    officer = UserFactory()
    ProgrammeCoordinator.objects.create(user=officer, programme=programme)
    return course, kenya, officer


@pytest.mark.parametrize("width,language", [(360, ""), (1280, "/ar")])
def test_a_programme_coordinator_reads_the_results_and_opens_the_completion(
    new_page, width, language
):
    _course, _kenya, officer = delivered_in_kenya_and_benin()

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, officer.email, PASSWORD)
    page.goto(f"{language}/dashboards/programmes/")
    cells = page.locator("#programmes-table tbody tr").first.locator("td")
    assert [cells.nth(n).inner_text() for n in (1, 2, 3, 4)] == ["2", "3", "3", "0"]
    assert chart_numbers(page, "programmes-chart") == [[3], [3], [0]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    cells.nth(5).get_by_role("link").click()
    page.wait_for_url("**programme=FP-INTERPOL-STOP-NBO**")
    rows = page.locator("#completion-table tbody tr")
    assert rows.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width,language", [(360, ""), (1280, "/ar")])
def test_a_programme_coordinator_filters_by_country_drills_down_and_downloads(
    new_page, width, language
):
    """Across the countries their programme reached, a programme coordinator narrows the
    completion view to Kenya: the chart shows the table's numbers, the CSV holds the same row,
    and a figure lists the programme's learners there, not a colleague of theirs trained
    outside it."""
    course, kenya, officer = delivered_in_kenya_and_benin()
    outside = member(kenya)
    services.enrolment_create(user=outside, course=course)

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, officer.email, PASSWORD)
    page.goto(f"{language}/dashboards/")
    narrow_to_country(page, "KE")

    rows = page.locator("#completion-table tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td")
    assert cells.nth(1).inner_text() == "3" and cells.nth(3).inner_text() == "1"
    assert chart_numbers(page, "completion-chart") == [[3], [1]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    found = downloaded_csv(page, page.locator("#by-heading ~ .exports a", has_text="CSV"))
    assert len(found) == 2 and found[1][2:5] == ["3", "2", "1"]

    cells.nth(1).get_by_role("link").click()
    page.wait_for_url("**/dashboards/learners/**")
    listed = page.locator("table.dashboard-table tbody tr")
    assert listed.count() == 3
    assert outside.email not in page.locator("table.dashboard-table").inner_text()
