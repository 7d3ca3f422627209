"""Staff narrow the completion dashboard to a country, the chart shows the table's numbers,
a figure leads to the learners behind it, and the table downloads as CSV."""

import csv
import io
from pathlib import Path

import pytest

from courses import services

from ..courses.training.cohorts.helpers import member
from ..factories import PASSWORD, OrganisationFactory, UserFactory, make_course
from .helpers import sign_in

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
    page.locator("#filter-country").select_option("KE")
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_url("**country=KE**")

    cells = page.locator("#completion-table tbody tr").first.locator("td")
    assert cells.nth(1).inner_text() == "3" and cells.nth(3).inner_text() == "1"
    chart = page.evaluate(
        "() => Chart.getChart('completion-chart').data.datasets.map((set) => set.data)"
    )
    assert chart == [[3], [1]]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    with page.expect_download() as download:
        page.locator("#by-heading ~ .exports a", has_text="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
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
