"""The home page shows what the site's apps put on it, and cms.home knows none of them."""

from pathlib import Path

import pytest
from wagtail import hooks

import cms.home
from tests.imports import top_level_imports

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_course_catalogue(client, public_course):
    home = public_course.get_parent().get_parent()
    response = client.get(home.url)
    assert 'id="courses-heading"' in response.text
    assert public_course.title in response.text


def test_a_section_hook_shows_its_section_on_the_home_page(client, public_course):
    from django.utils.html import format_html

    home = public_course.get_parent().get_parent()
    with hooks.register_temporarily(
        "home_page_sections", lambda request: format_html("<p>{}</p>", "Gate notices")
    ):
        assert "<p>Gate notices</p>" in client.get(home.url).text


def test_a_section_given_as_plain_text_is_escaped(client, public_course):
    home = public_course.get_parent().get_parent()
    with hooks.register_temporarily("home_page_sections", lambda request: "<b>raw</b>"):
        assert "&lt;b&gt;raw&lt;/b&gt;" in client.get(home.url).text


def test_cms_home_imports_nothing_from_courses_or_assessments():
    assert not top_level_imports(cms.home) & {"courses", "assessments"}


def test_cms_home_templates_load_nothing_from_courses():
    folder = Path(cms.home.__file__).parent / "templates"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        assert "courses_tags" not in text and '"courses/' not in text, template.name
