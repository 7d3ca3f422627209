"""A new member is told what to do next, and hears of the coordinator's decision."""

import re

import pytest
from django.core import mail
from django.test import Client

from cms.accounts.models import Membership, User
from courses.models import Notification

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ama.mensah@example.org",
    "first_name": "Ama",
    "last_name": "Mensah",
    "password1": "a-long-pass-phrase-9",
    "password2": "a-long-pass-phrase-9",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide(client, membership, decision):
    url = f"/organisations/{membership.organisation.slug}/members/{membership.pk}/decide/"
    return client.post(url, {"decision": decision})


def test_a_new_member_who_confirms_their_email_is_sent_to_the_next_step(client, organisation):
    client.post("/accounts/signup/", SIGNUP)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    response = client.post(link)
    assert response["Location"] == "/organisations/welcome/"
    page = client.get(response["Location"])
    assert "Next step: join your organisation" in page.text
    assert organisation.name in page.text
    assert f'name="organisation" value="{organisation.pk}"' in page.text


def test_the_welcome_page_lists_the_organisations_open_to_requests(client, stranger):
    OrganisationFactory(name="Aviation Security Unit", country="KE")
    OrganisationFactory(name="Border Police Directorate", country="GH")
    page = signed_in(stranger).get("/organisations/welcome/").text
    assert page.index("Border Police Directorate") < page.index("Aviation Security Unit")


def test_asking_to_join_from_the_welcome_page_sends_the_request(stranger, organisation):
    client = signed_in(stranger)
    response = client.post("/organisations/", {"organisation": organisation.pk}, follow=True)
    assert "Your request was sent" in response.text
    assert Membership.objects.get(user=stranger).status == Membership.Status.REQUESTED


def test_a_member_who_belongs_to_an_organisation_signs_in_to_my_learning(client, officer):
    from ..factories import PASSWORD

    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response["Location"] == "/my-learning/"


def test_a_person_who_once_asked_to_join_is_not_sent_to_the_welcome_page_again(client):
    from ..factories import PASSWORD

    person = UserFactory()
    Membership.objects.create(
        user=person, organisation=OrganisationFactory(), status=Membership.Status.REJECTED
    )
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response["Location"] == "/my-learning/"


def test_the_welcome_page_needs_a_signed_in_person(client):
    assert client.get("/organisations/welcome/").status_code == 302


class TestDecisions:
    def test_a_verified_member_gets_an_email_and_a_message_on_their_next_visit(
        self, coordinator, newcomer, organisation, django_capture_on_commit_callbacks
    ):
        membership = Membership.objects.get(user=newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            decide(signed_in(coordinator), membership, "verify")
        (message,) = [m for m in mail.outbox if m.to == [newcomer.email]]
        assert f"{organisation.name} verified your membership" in message.subject
        assert "http://127.0.0.1:8000/my-learning/" in message.body
        newcomer_client = signed_in(newcomer)
        first = newcomer_client.get("/my-learning/").text
        assert f"{organisation.name} verified your membership" in first
        assert "verified your membership" not in newcomer_client.get("/my-learning/").text

    def test_a_rejected_member_gets_an_email_and_a_message_on_their_next_visit(
        self, coordinator, newcomer, organisation, django_capture_on_commit_callbacks
    ):
        membership = Membership.objects.get(user=newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            decide(signed_in(coordinator), membership, "reject")
        (message,) = [m for m in mail.outbox if m.to == [newcomer.email]]
        assert "did not verify" in message.subject
        assert "/organisations/" in message.body
        page = signed_in(newcomer).get("/my-learning/").text
        assert f"{organisation.name} did not verify your membership" in page

    def test_each_decision_is_mailed_once(
        self, coordinator, newcomer, organisation, django_capture_on_commit_callbacks
    ):
        membership = Membership.objects.get(user=newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            decide(signed_in(coordinator), membership, "verify")
            decide(signed_in(coordinator), membership, "verify")  # refused: decided already
        assert Notification.objects.filter(user=newcomer).count() == 1
        assert len([m for m in mail.outbox if m.to == [newcomer.email]]) == 1

    def test_a_refused_decision_leaves_no_notice_and_no_email(
        self, other_coordinator, newcomer, django_capture_on_commit_callbacks
    ):
        membership = Membership.objects.get(user=newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            assert decide(signed_in(other_coordinator), membership, "verify").status_code == 404
        assert not Notification.objects.exists()
        assert User.objects.get(pk=newcomer.pk).membership_notice_id is None

    def test_the_notice_costs_no_query_when_there_is_none(self, officer, django_assert_num_queries):
        from django.test import RequestFactory

        from cms.accounts.middleware import MembershipNoticeMiddleware

        request = RequestFactory().get("/")
        request.user = officer
        with django_assert_num_queries(0):
            MembershipNoticeMiddleware(lambda r: None)(request)


def test_an_empty_my_learning_points_to_the_next_step(stranger):
    page = signed_in(stranger).get("/my-learning/").text
    assert 'href="/organisations/welcome/"' in page and 'href="/search/"' in page
