"""Train-the-trainer end to end, in a browser: a certified trainer opens a cohort, adds a
learner, schedules a session at an airport, takes attendance and records the lesson as
completed in class; a master trainer observes the learner's session and certifies them; the
new trainer's certificate is on their My learning and its public page says it is valid; once
the coordinator revokes the certification, the same page says revoked."""

import datetime
import re

import pytest
from django.utils import timezone

from courses.models import (
    Certificate,
    Cohort,
    CourseCompletion,
    LessonCompletion,
    TrainerCertification,
)

from ..courses.training.cohorts.helpers import certify
from ..courses.training.helpers import make_master, make_trainer_track
from ..factories import MembershipFactory, OrganisationFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}


def fits(page, width=PHONE["width"]):
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} is {scrolled} px wide on a {width} px screen"


def test_from_a_cohort_to_a_certificate_anyone_can_verify(new_page):
    organisation = OrganisationFactory(country="KE")
    trainer = certify(MembershipFactory(organisation=organisation, role="trainer").user)
    master = make_master(MembershipFactory(organisation=organisation, role="trainer").user)
    candidate = MembershipFactory(organisation=organisation, role="trainer").user
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    track = make_trainer_track()
    course = track.track_courses.first().course
    lesson = course.get_children().first()
    today = timezone.localdate()

    # The trainer opens a cohort from the Training hub, on a phone.
    page = new_page(viewport=PHONE)
    sign_in(page, trainer.email)
    page.get_by_role("link", name="Training").first.click()
    page.get_by_role("link", name="Open a cohort").click()
    page.get_by_label("Course or track").select_option(label=course.title)
    page.get_by_label("Name").fill("Nairobi airport intake")
    page.get_by_label("Starts on").fill((today - datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Ends on").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Open the cohort").click()
    page.wait_for_url(re.compile(r"/training/cohorts/\d+/$"))
    cohort = Cohort.objects.get(name="Nairobi airport intake")
    assert cohort.trainer == trainer
    fits(page)

    # A learner, then a session at an airport given by its IATA code.
    page.locator("form[action$='/learners/'] input[name=email]").fill(candidate.email)
    page.get_by_role("button", name="Add the learner", exact=True).click()
    page.wait_for_load_state()
    assert cohort.members.filter(user=candidate).exists()
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Starts at").fill("09:30")
    page.get_by_label("Airport (IATA code)").fill("nbo")
    page.get_by_label("Venue").fill("Training room 2")
    page.get_by_label(lesson.title).check()
    page.get_by_role("button", name="Add the session").click()
    page.wait_for_load_state()
    session = cohort.sessions.get()
    assert (session.airport, session.country.code) == ("NBO", "KE")
    assert "Jomo Kenyatta International Airport" in page.locator("main").inner_text()

    # Attendance in one go, then the lesson the session covered, completed in class.
    page.goto(f"/training/cohorts/sessions/{session.pk}/")
    page.locator(f"input[name=learner-{candidate.pk}][value=present]").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    fits(page)
    page.get_by_role("button", name="Record as completed in class").click()
    page.wait_for_load_state()
    completion = LessonCompletion.objects.get(user=candidate, lesson=lesson)
    assert (completion.in_class_session, completion.recorded_by) == (session, trainer)

    # The learner finishes the rest of the track; a master trainer observes them and certifies
    # them.
    assert CourseCompletion.objects.filter(user=candidate, course=course).exists()
    for listed in [*(tc.course for tc in track.track_courses.all()), track]:
        CourseCompletion.objects.get_or_create(user=candidate, course=listed)
    observer = new_page(viewport=PHONE)
    sign_in(observer, master.email)
    observer.goto("/training/observations/")
    observer.locator("input[name=email]").fill(candidate.email)
    observer.get_by_role("button", name="Find the candidate").click()
    observer.locator("select[name=course]").select_option(label=track.title)
    for score in observer.locator(".rubric-score:has(input[value='3'])").all():
        score.click()
    observer.get_by_role("button", name="Record the observed session").click()
    observer.wait_for_url("**/training/observations/*/")
    observer.locator("form[action$='/certify/'] button").click()
    observer.wait_for_load_state()
    certified = TrainerCertification.objects.get(user=candidate, status="certified")
    assert certified.certified_by == master and certified.observed_session is not None

    # The new trainer's certificate is on their My learning, and its public page says valid.
    holder = new_page(viewport=PHONE)
    sign_in(holder, candidate.email)
    holder.goto("/my-learning/")
    holder.get_by_role("link", name=re.compile(r"Verification page\W+Certified trainer")).click()
    certificate = Certificate.objects.get(holder=candidate, certification=certified)
    holder.wait_for_url(f"**/verify/{certificate.grouped_code}/")
    assert "genuine and valid" in holder.locator("main").inner_text()
    verify_url = holder.url
    fits(holder)

    # The coordinator revokes the certification; the public page says so, in Arabic too.
    office = new_page(viewport={"width": 1280, "height": 900})
    sign_in(office, coordinator.email)
    office.goto(f"/training/organisations/{organisation.slug}/trainers/")
    office.get_by_role("link", name=re.compile(f"Revoke {re.escape(candidate.email)}")).click()
    office.get_by_label("Reason").fill("Certified on a session that was not delivered.")
    office.locator("main form button[type=submit]").click()
    office.wait_for_load_state()
    assert TrainerCertification.objects.filter(user=candidate).latest("pk").status == "revoked"
    visitor = new_page(viewport=PHONE)
    visitor.goto(verify_url.replace("/verify/", "/ar/verify/", 1))
    assert visitor.evaluate("document.documentElement.dir") == "rtl"
    assert visitor.locator(".certificate-standing.notice--error").count() == 1
    fits(visitor)
