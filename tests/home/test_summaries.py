"""Course summaries are written in inline Markdown and shown rendered, never as raw markup."""

import pytest

from cms.inline_markdown import render
from courses.models import CoursePage

from ..factories import make_course

pytestmark = pytest.mark.django_db

SUMMARY = "Based on the UNODC issue paper *Smuggling of Migrants by Air* (2010)."
RENDERED = "Based on the UNODC issue paper <em>Smuggling of Migrants by Air</em> (2010)."


@pytest.fixture
def course():
    course = make_course(title="Recognising smuggling", slug="recognising", lessons=1)
    CoursePage.objects.filter(pk=course.pk).update(summary=SUMMARY)
    return course


def test_home_page_shows_a_course_summary_rendered(client, course):
    text = client.get("/").text
    assert RENDERED in text
    assert "*Smuggling" not in text


def test_catalogue_shows_a_course_summary_rendered(client, course):
    text = client.get(course.get_parent().url).text
    assert RENDERED in text
    assert "*Smuggling" not in text


def test_course_page_shows_its_summary_rendered(client, course):
    assert RENDERED in client.get(course.url).text


def test_search_results_show_a_course_summary_rendered(client, course):
    text = client.get("/search/", {"q": "Recognising"}).text
    assert RENDERED in text
    assert "*Smuggling" not in text


def test_html_in_a_summary_is_shown_as_text(client, course):
    CoursePage.objects.filter(pk=course.pk).update(summary="<script>alert(1)</script> *now*")
    text = client.get(course.get_parent().url).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <em>now</em>" in text


def test_strong_emphasis_and_code_are_rendered():
    assert render("**Stop** and *ask*, then `check`") == (
        "<strong>Stop</strong> and <em>ask</em>, then <code>check</code>"
    )


def test_underscores_inside_words_are_kept():
    assert render("snake_case_name and _this_") == "snake_case_name and <em>this</em>"


def test_markup_inside_code_is_shown_as_written():
    assert render("`*not emphasis* <b>`") == "<code>*not emphasis* &lt;b&gt;</code>"


def test_a_web_link_is_rendered():
    assert render("See [the paper](https://www.unodc.org/paper.pdf).") == (
        'See <a href="https://www.unodc.org/paper.pdf">the paper</a>.'
    )


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example"]
)
def test_a_link_that_could_run_script_or_leave_unnoticed_stays_text(href):
    rendered = render(f"[click]({href})")
    assert "<a" not in rendered
    assert rendered == f"[click]({href})"


def test_quotes_in_a_link_cannot_leave_the_attribute():
    assert render('[x](https://a.example/"onmouseover="alert(1))') == (
        '<a href="https://a.example/&quot;onmouseover=&quot;alert(1">x</a>)'
    )


def test_an_unclosed_asterisk_is_kept():
    assert render("5 * 3 = 15 and *open") == "5 * 3 = 15 and *open"
