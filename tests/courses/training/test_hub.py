"""The training hub: in the menu and open for trainers and coordinators, closed to learners."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUB = reverse("courses:training")


def test_a_trainer_finds_the_hub_in_the_menu(client, trainer):
    client.force_login(trainer)
    home = client.get(reverse("courses:my_learning"))
    assert f'href="{HUB}"'.encode() in home.content
    assert client.get(HUB).status_code == 200


def test_a_coordinator_opens_the_hub(client, coordinator):
    client.force_login(coordinator)
    assert client.get(HUB).status_code == 200


def test_a_learner_has_no_hub(client, officer):
    client.force_login(officer)
    assert f'href="{HUB}"'.encode() not in client.get(reverse("courses:my_learning")).content
    assert client.get(HUB).status_code == 403


def test_a_visitor_is_asked_to_sign_in(client):
    response = client.get(HUB)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
