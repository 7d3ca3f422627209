"""Content not yet translated keeps its own language and direction inside a page in another."""

import pytest

pytestmark = pytest.mark.django_db

ENGLISH = 'lang="en" dir="ltr"'


def test_an_english_course_under_arabic_is_marked_english_left_to_right(client, public_course):
    html = client.get("/ar/courses/recognising/").text
    assert f"<h1 {ENGLISH}>Recognising smuggling</h1>" in html
    assert f'<p class="lead" {ENGLISH}>' in html


def test_an_english_lesson_body_under_arabic_is_marked(client, public_course):
    html = client.get("/ar/courses/recognising/lesson-1/").text
    assert f'<div class="lesson__body" {ENGLISH}>' in html
    assert '<h2 id="objectives">' in html  # the site's own heading stays in the page's language


def test_the_catalogue_under_french_marks_english_titles(client, public_course):
    html = client.get("/fr/courses/").text
    assert f'href="/fr/courses/recognising/" {ENGLISH}>Recognising smuggling</a>' in html


def test_english_pages_carry_no_extra_marks(client, public_course):
    for path in ("/courses/recognising/", "/courses/recognising/lesson-1/"):
        assert client.get(path).text.count(ENGLISH) == 1  # on <html> only
