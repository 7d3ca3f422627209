"""A programme coordinator reads their programme's results on a phone and in Arabic: the chart
shows the table's numbers, the table stays in its own box, and a row leads to the completion
view narrowed to the programme, in every organisation the programme reached."""

import pytest

from cms.accounts.models import Membership
from cms.programs.models import ProgrammeCoordinator
from courses import services
from courses.training import cohorts

from ..courses.training.cohorts.helpers import certify, make_cohort, member
from ..factories import PASSWORD, OrganisationFactory, UserFactory, make_course
from ..programs.helpers import make_programme
from .helpers import sign_in

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


@pytest.mark.parametrize("width,language", [(360, ""), (1280, "/ar")])
def test_a_programme_coordinator_reads_the_results_and_opens_the_completion(
    new_page, width, language
):
    course = make_course(title="Document abuse", lessons=1)
    funder = OrganisationFactory(name="INTERPOL", slug="interpol", country="FR")
    programme = make_programme(funder, own_id="STOP-NBO")
    delivered(
        OrganisationFactory(name="Kenya Immigration", country="KE"),
        course,
        programme,
        learners=3,
        completed=1,
    )
    delivered(
        OrganisationFactory(name="Benin Police", country="BJ"),
        course,
        programme,
        learners=2,
        completed=2,
    )
    officer = UserFactory()
    ProgrammeCoordinator.objects.create(user=officer, programme=programme)

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, officer.email, PASSWORD)
    page.goto(f"{language}/dashboards/programmes/")
    cells = page.locator("#programmes-table tbody tr").first.locator("td")
    assert [cells.nth(n).inner_text() for n in (1, 2, 3, 4)] == ["2", "3", "3", "0"]
    chart = page.evaluate(
        "() => Chart.getChart('programmes-chart').data.datasets.map((set) => set.data)"
    )
    assert chart == [[3], [3], [0]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    cells.nth(5).get_by_role("link").click()
    page.wait_for_url("**programme=FP-INTERPOL-STOP-NBO**")
    rows = page.locator("#completion-table tbody tr")
    assert rows.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
