"""Staff narrow the completion dashboard to a country, the chart shows the table's numbers,
a figure leads to the learners behind it, and the table downloads as CSV."""

import pytest

from courses import services

from ..courses.training.cohorts.helpers import member
from ..factories import PASSWORD, OrganisationFactory, UserFactory, make_course
from .helpers import chart_numbers, downloaded_csv, narrow_to_country, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def enrol(organisation, course, count, completed):
    for n in range(count):
        person = member(organisation)
        services.enrolment_create(user=person, course=course)
        if n < completed:
            for lesson in course.lessons():
                services.lesson_complete(user=person, lesson=lesson)


@pytest.mark.parametrize("width,language", [(360, ""), (1280, "/ar")])
def test_staff_filter_by_country_read_the_chart_drill_down_and_download(new_page, width, language):
    course = make_course(title="Document abuse", lessons=1)
    kenya = OrganisationFactory(name="Kenya Immigration", country="KE")
    enrol(kenya, course, 3, 1)
    enrol(OrganisationFactory(name="Benin Police", country="BJ"), course, 2, 2)
    staff = UserFactory(is_staff=True)

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, staff.email, PASSWORD)
    page.goto(f"{language}/dashboards/")
    narrow_to_country(page, "KE")

    cells = page.locator("#completion-table tbody tr").first.locator("td")
    assert cells.nth(1).inner_text() == "3" and cells.nth(3).inner_text() == "1"
    assert chart_numbers(page, "completion-chart") == [[3], [1]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    rows = downloaded_csv(page, page.locator("#by-heading ~ .exports a", has_text="CSV"))
    assert rows[1][0] == "Kenya Immigration" and rows[1][2:5] == ["3", "2", "1"]

    cells.nth(1).get_by_role("link").click()
    page.wait_for_url("**/dashboards/learners/**")
    assert page.locator("table.dashboard-table tbody tr").count() == 3


@pytest.mark.parametrize("width,language", [(360, ""), (1280, "/ar")])
def test_a_coordinator_reminds_every_stalled_learner_of_a_page(new_page, width, language):
    import datetime
    from unittest import mock

    from django.utils import timezone

    from cms.accounts.models import Membership
    from courses.models import Reminder, TrainerCertification

    course = make_course(title="Document abuse", lessons=1)
    kenya = OrganisationFactory(name="Kenya Immigration", country="KE")
    past = timezone.now() - datetime.timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=past):
        enrol(kenya, course, 3, 0)
    coordinator = member(kenya, role=Membership.Role.COORDINATOR)
    trainer = member(kenya, role=Membership.Role.TRAINER)
    trainer.first_name, trainer.last_name = "Wanjiru", "Kamau-Otieno-Njoroge"
    trainer.save()
    TrainerCertification.objects.create(
        user=trainer,
        level="trainer",
        status="certified",
        organisation=kenya,
        valid_from=timezone.localdate() - datetime.timedelta(days=300),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, coordinator.email, PASSWORD)
    page.goto(f"{language}/dashboards/stalled/")
    assert page.locator("table.dashboard-table tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("[data-select-all]").check()
    assert page.locator("input[name=learner]:checked").count() == 3
    page.locator("button[name=send][value=selected]").dblclick()
    page.wait_for_selector(".dashboard-outcome")
    assert Reminder.objects.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator(".dashboard-nav a[href$='/dashboards/trainers/']").click()
    page.wait_for_url("**/dashboards/trainers/**")
    assert page.locator("table.dashboard-table tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
