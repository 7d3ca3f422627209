"""The main menu, page titles and the account pages."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def menu(html: str) -> str:
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S)[0]


def test_courses_come_first_in_the_main_menu_in_the_reader_s_language(client, public_course):
    assert '<li><a href="/courses/">Courses</a></li>' in menu(client.get("/").text)
    first_link = re.search(r'<li><a href="([^"]+)"', menu(client.get("/ar/").text))[1]
    assert first_link == "/ar/courses/"


def test_the_menu_follows_the_catalogue_when_it_moves(client, public_course):
    """The menu's catalogue address is kept until content changes: published under another
    slug, the catalogue is linked there at once, in every language."""
    from courses.models import CourseIndexPage

    assert '<li><a href="/courses/">Courses</a></li>' in menu(client.get("/").text)
    assert '<li><a href="/ar/courses/">' in menu(client.get("/ar/").text)
    catalogue = CourseIndexPage.objects.get()
    catalogue.slug = "training"
    catalogue.save_revision().publish()
    assert '<li><a href="/training/">Courses</a></li>' in menu(client.get("/").text)
    assert '<li><a href="/ar/training/">' in menu(client.get("/ar/").text)


def test_the_menu_s_addresses_keep_the_reader_s_language(officer, public_course):
    """Every link of the menu is the address in the reader's language, whichever language
    the process wrote first."""
    reader = Client()
    reader.force_login(officer)
    english = menu(reader.get("/my-learning/").text)
    french = menu(reader.get("/fr/my-learning/").text)
    arabic = menu(reader.get("/ar/my-learning/").text)
    assert 'href="/search/"' in english and 'href="/my-learning/"' in english
    for prefix, html in (("fr", french), ("ar", arabic)):
        links = re.findall(r'(?:href|action)="(/[^"]*)"', html)
        assert f"/{prefix}/search/" in links and f"/{prefix}/my-learning/" in links, links
        assert f"/{prefix}/accounts/" in links and f"/{prefix}/accounts/logout/" in links, links


@pytest.mark.parametrize(
    ("prefix", "sign_out"),
    [("/fr", "Se déconnecter"), ("/ar", "تسجيل الخروج"), ("/ru", "Выйти")],
)
def test_the_menu_s_words_are_in_the_reader_s_language(officer, public_course, prefix, sign_out):
    """The menu is written in Python (`site_nav`): its words are in the catalogues, signing
    out included."""
    reader = Client()
    reader.force_login(officer)
    html = menu(reader.get(f"{prefix}/my-learning/").text)
    assert f'<button type="submit" class="link-button">{sign_out}</button>' in html, html


def test_the_home_page_title_names_the_site_once(client, public_course):
    html = client.get("/").text
    assert "<title>Flightpath</title>" in html
    assert (
        "<title>Recognising smuggling · Flightpath</title>"
        in client.get("/courses/recognising/").text
    )


def test_trainers_see_a_link_to_the_cms_and_officers_do_not(trainer, officer, public_course):
    for user, shown in ((trainer, True), (officer, False)):
        client = Client()
        client.force_login(user)
        assert ('href="/admin/"' in menu(client.get("/my-learning/").text)) is shown


def test_account_leads_to_e_mail_password_and_two_factor(client, officer):
    client.force_login(officer)
    assert 'href="/fr/accounts/"' in menu(client.get("/fr/my-learning/").text)
    html = client.get("/fr/accounts/").text
    for path in ("/fr/accounts/email/", "/fr/accounts/password/change/", "/fr/accounts/2fa/"):
        assert f'href="{path}"' in html


def test_the_account_page_is_for_signed_in_people(client):
    response = client.get("/accounts/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_account_forms_use_the_site_s_buttons_and_mark_required_fields(client, path):
    html = client.get(path).text
    form = re.search(r"<main.*?</main>", html, re.S)[0]
    assert re.search(r'<button class="button"[^>]*type="submit"', form)
    assert '<span class="required" aria-hidden="true">(required)</span>' in form
    assert " required" in form  # the inputs say so to assistive technology too


def test_password_and_e_mail_pages_use_the_site_s_buttons(client, officer):
    client.force_login(officer)
    for path in ("/accounts/password/change/", "/accounts/email/"):
        assert 'class="button' in client.get(path).text


@pytest.mark.parametrize("language", ["en", "ar", "ru"])
def test_a_link_with_arguments_is_the_address_url_gives_in_each_language(language):
    """`{% link %}` keeps each address once per language: the same as `{% url %}`, each
    language its own prefix."""
    from django.template import engines
    from django.utils import translation

    template = engines["django"].from_string(
        "{% load flightpath_tags %}{% link 'courses:dashboard_export' 'stalled' 'csv' %}"
        "|{% url 'courses:dashboard_export' 'stalled' 'csv' %}"
    )
    with translation.override(language):
        kept, reversed_now = template.render({}).split("|")
        assert kept == template.render({}).split("|")[0]  # the second time, as it was kept
    assert kept == reversed_now
    assert kept.startswith("/dashboards/" if language == "en" else f"/{language}/dashboards/")
