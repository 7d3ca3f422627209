"""Passwords and e-mail addresses are allauth's alone: the CMS's own forms for them are off."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def account_form_data(client):
    """Every field of the CMS account page as it is shown, ready to post back."""
    response = client.get("/admin/account/")
    data = {}
    for panels in response.context["panels_by_tab"].values():
        for form in (panel.get_form() for panel in panels):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value and not hasattr(value, "file"):
                    data[form.add_prefix(name)] = value
    return data


def test_cms_password_reset_sends_no_email(client, officer):
    response = client.post("/admin/password_reset/", {"email": officer.email})
    assert response.status_code == 404
    assert mail.outbox == []


def test_cms_user_cannot_take_someone_elses_email_address_in_the_cms(client, trainer, officer):
    client.force_login(trainer)
    address = trainer.email
    data = account_form_data(client)
    data["name_email-email"] = officer.email.upper()
    client.post("/admin/account/", data)
    trainer.refresh_from_db()
    assert trainer.email == address


def test_cms_account_page_offers_no_password_change(client, trainer):
    client.force_login(trainer)
    response = client.get("/admin/account/")
    assert response.status_code == 200
    panels = [panel for panels in response.context["panels_by_tab"].values() for panel in panels]
    assert "password" not in {panel.name for panel in panels}
