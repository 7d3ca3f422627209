"""What a programme's page says about its participants."""

import pytest
from django.urls import reverse

from .helpers import make_programme

pytestmark = pytest.mark.django_db


def test_actual_participants_alone_read_without_a_stray_separator(client, organisation):
    programme = make_programme(
        organisation, own_id="ACTUAL", participants_planned=None, participants_actual=40
    )
    text = client.get(reverse("programs:detail", args=[programme.identifier])).text
    participants = text.split("<dt>Participants</dt>")[1].split("</dd>")[0]
    assert "actual: 40" in participants
    assert "·" not in participants


def test_a_record_nothing_was_delivered_under_says_so(client, organisation):
    programme = make_programme(organisation, own_id="NOTHING-YET")
    text = client.get(reverse("programs:detail", args=[programme.identifier])).text
    assert "No cohort on Flightpath is delivered under this programme yet." in text
