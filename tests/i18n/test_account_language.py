"""A signed-in person's language is kept on their account and their e-mails are written in it."""

import datetime
import re

import pytest
from django.core import mail

from cms.accounts.models import User
from courses.models import Cohort, CohortMember, Notification
from courses.training import notifications

from ..factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


def test_signing_in_under_a_language_keeps_it_on_the_account(client):
    user = UserFactory(email="reader@example.org", password="a long passphrase 42")
    response = client.post(
        "/ar/accounts/login/", {"login": "reader@example.org", "password": "a long passphrase 42"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/")
    user.refresh_from_db()
    assert user.language == "ar"


def test_the_language_switch_keeps_the_choice_and_the_page(client, officer, public_course):
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/courses/recognising/"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/courses/recognising/"
    officer.refresh_from_db()
    assert officer.language == "ru"


def test_a_signed_in_person_s_page_offers_the_switch_as_a_form(client, officer, public_course):
    client.force_login(officer)
    html = client.get("/es/courses/recognising/").text
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="ar"' in html


def test_the_switch_form_carries_the_page_s_token_and_lands_where_it_was(officer, public_course):
    """Posted as a browser posts it, with the checks a browser meets: the form's token (the
    page's own) is accepted, the page is kept, and the reader's language is marked current."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    html = browser.get("/es/courses/recognising/").text
    form = re.search(
        r'<form method="post" action="/i18n/setlang/" class="languages">(.*?)</form>', html, re.S
    )
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form[1]))
    assert '<span aria-current="true">español</span>' in form[1]
    response = browser.post("/i18n/setlang/", {**fields, "language": "fr"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/courses/recognising/"
    officer.refresh_from_db()
    assert officer.language == "fr"


def test_an_unknown_language_is_not_kept(client, officer):
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    officer.refresh_from_db()
    assert officer.language == ""


def test_signing_out_lands_on_the_home_page_in_the_same_language(client, officer):
    client.force_login(officer)
    response = client.post("/fr/accounts/logout/")
    assert response["Location"] == "/fr/"


def french_cohort(organisation, trainer, name):
    """A cohort taught in French, whose e-mails follow the person's language or its own."""
    return Cohort.objects.create(
        organisation=organisation,
        course=make_course(title="Document abuse", lessons=1),
        name=name,
        language="fr",
        starts_on=datetime.date(2026, 11, 30),
        ends_on=datetime.date(2026, 12, 30),
        trainer=trainer,
    )


def test_training_e_mail_is_written_in_the_recipient_s_language_with_links_in_it(
    organisation, trainer, django_capture_on_commit_callbacks
):
    cohort = french_cohort(organisation, trainer, "Casablanca intake")
    reader = UserFactory()
    User.objects.filter(pk=reader.pk).update(language="ar")
    reader.refresh_from_db()
    CohortMember.objects.create(cohort=cohort, user=reader)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.cohort_learners_added(cohort=cohort, users=[reader])
    assert Notification.objects.get(user=reader).language == "ar"
    links = re.findall(r"https?://\S+", mail.outbox[-1].body)
    assert links and all("/ar/" in link for link in links), links


def test_training_e_mail_follows_the_cohort_when_the_person_chose_no_language(
    organisation, trainer, django_capture_on_commit_callbacks
):
    cohort = french_cohort(organisation, trainer, "Dakar intake")
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.cohort_learners_added(cohort=cohort, users=[reader])
    links = re.findall(r"https?://\S+", mail.outbox[-1].body)
    assert links and all("/fr/" in link for link in links), links


def test_an_invitation_sent_from_a_page_in_french_links_to_the_french_site(
    client, coordinator, organisation, settings
):
    settings.FLIGHTPATH_SITE_ORIGIN = "https://flightpath.example.org"
    client.force_login(coordinator)
    client.post(
        f"/fr/organisations/{organisation.slug}/invite/",
        {"email": "new.officer@example.org", "role": "learner"},
    )
    link = r"https://flightpath\.example\.org/fr/organisations/invitations/\S+/"
    assert re.search(link, mail.outbox[-1].body)


def test_the_chosen_language_is_the_cms_profile_s_too_for_review_e_mails(client, trainer):
    from wagtail.users.models import UserProfile

    client.force_login(trainer)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert UserProfile.get_for_user(trainer).get_preferred_language() == "es"
