"""Search results: the course, the audience, a snippet with the match marked; stemming; a
helpful answer when nothing matches; never a page the reader may not open."""

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from cms.search_backend import config_for
from courses.search import snippet

from ..factories import make_lesson

pytestmark = pytest.mark.django_db

SECRET = "Specimen bio-data page substitution technique"


@pytest.fixture
def smuggling_lesson(public_course):
    return make_lesson(
        public_course, 7, text="Facilitators smuggled migrants through transit hubs."
    )


def search(client, query):
    return client.get("/search/", {"q": query}).text


def test_a_result_names_its_course_and_audience(client, smuggling_lesson, public_course):
    page = search(client, "transit hubs")
    assert smuggling_lesson.title in page
    assert f"Course: {public_course.title}" in page
    assert "Open to everyone" in page


def test_the_snippet_marks_the_words_found(client, smuggling_lesson):
    page = search(client, "transit")
    assert "<mark>transit</mark> hubs" in page


def test_a_word_finds_its_other_forms(client, smuggling_lesson):
    page = search(client, "smuggling")  # the lesson says "smuggled"
    assert smuggling_lesson.title in page
    assert "<mark>smuggled</mark>" in page


def test_a_locked_course_is_found_with_its_audience_but_not_its_lessons(
    client, newcomer, officers_course
):
    lesson = make_lesson(officers_course, 9, text=SECRET)
    client.force_login(newcomer)
    page = search(client, "specimen")
    assert lesson.title not in page and SECRET not in page
    course_page = search(client, officers_course.title)
    assert "Verified officers · locked" in course_page


def test_an_officer_finds_the_officers_lessons_with_their_audience(
    client, officer, officers_course
):
    lesson = make_lesson(officers_course, 9, text=SECRET)
    client.force_login(officer)
    page = search(client, "specimen")
    assert lesson.title in page and "<mark>Specimen</mark>" in page
    assert "Verified officers" in page and "locked" not in page


def test_a_page_under_a_privacy_setting_is_hidden_from_those_it_keeps_out(
    client, stranger, public_course
):
    lesson = make_lesson(public_course, 8, text="Quarantined walkthrough of the boarding gate.")
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
    assert lesson.title not in search(client, "quarantined")
    client.force_login(stranger)
    assert lesson.title in search(client, "quarantined")


def test_no_results_suggests_fewer_words_the_catalogue_and_signing_in(client, public_course):
    page = search(client, "zebra passport")
    assert "Nothing matched" in page
    assert 'href="?q=passport"' in page
    assert f'href="{public_course.get_parent().url}"' in page
    assert "/accounts/login/?next=" in page


def test_the_snippet_escapes_the_text_it_shows():
    shown = snippet("A <script> tag near the word transit", ["transit"])
    assert "&lt;script&gt;" in shown and "<mark>transit</mark>" in shown


def test_the_snippet_shows_the_words_around_the_first_match():
    text = " ".join(f"w{n}" for n in range(100)) + " target " + " ".join("x" * 3 for _ in range(50))
    shown = snippet(text, ["target"], size=12)
    assert shown.startswith("… ") and "<mark>target</mark>" in shown and shown.endswith(" …")


@pytest.mark.parametrize(
    ("language", "config"),
    [("en", "english"), ("fr", "french"), ("es", "spanish"), ("ar", "arabic"), ("ru", "russian")],
)
def test_each_language_is_stemmed_with_its_own_postgresql_configuration(language, config):
    assert config_for(language) == config
    assert config_for("zh-hans") == "simple"


def test_the_search_index_stems_in_the_database_in_use(client, public_course):
    """PostgreSQL stems each language with its own configuration; SQLite stems English and
    folds accents for every language."""
    lesson = make_lesson(public_course, 6, text="Les passeurs organisent le réseau.")
    if connection.vendor == "postgresql":
        assert lesson.title in client.get("/fr/search/", {"q": "passeur"}).text
    else:
        assert lesson.title in search(client, "reseau")


def test_a_course_result_shows_its_summary_rendered_with_the_words_marked():
    from courses.search import mark_words

    shown = mark_words("Based on <em>Smuggling of Migrants</em> &amp; more", ["smuggling", "amp"])
    assert shown == "Based on <em><mark>Smuggling</mark> of Migrants</em> &amp; more"


# One hit per page in the reader's language


def _translated_course():
    from courses import demo, demo_translations
    from courses.content_loader import load_courses

    from ..factories import course_index
    from .test_content_translations import FIXTURES

    (data,) = load_courses(FIXTURES)
    course, _ = demo.course(course_index(), data)
    demo_translations.load(
        {course.slug: course}, FIXTURES
    )  # French course and lesson, Arabic course
    return course


def results(client, query, language):
    html = client.get(f"/{language}/search/", {"q": query}).text
    return html.count('class="result"'), html


def test_a_french_reader_finds_each_page_once_in_french(client):
    _translated_course()
    count, html = results(client, "transit", "fr")  # the course and lesson in both languages
    assert count == 2
    assert ">Contrôles en transit</a>" in html and ">Échanges de cartes" in html
    assert "Transit checks" not in html and "Boarding pass swaps" not in html
    html = results(client, "embarquement", "fr")[1]
    assert html.count('href="/fr/courses/transit-checks/swaps/">Échanges de cartes') == 1
    assert results(client, "boarding", "fr")[0] == 0  # the English of a page read in French


def test_a_page_not_translated_into_the_reader_s_language_is_found_in_english(client):
    _translated_course()
    # The lesson exists in English and French. (On PostgreSQL an Arabic reader's query is read
    # with the Arabic configuration, which does not stem English: "swap" as it is indexed.)
    count, html = results(client, "swap", "ar")
    assert count == 1
    assert (
        'href="/ar/courses/transit-checks/swaps/" lang="en" dir="ltr">Boarding pass swaps' in html
    )
    html = results(client, "embarquement", "ar")[1]  # the French lesson's word
    assert "Échanges de cartes" not in html and "/fr/courses/" not in html


def test_an_english_reader_finds_only_the_english(client):
    _translated_course()
    html = client.get("/search/", {"q": "transit"}).text
    assert html.count('class="result"') == 2 and ">Transit checks</a>" in html
    assert "Contrôles en transit" not in html and "عمليات" not in html
    assert client.get("/search/", {"q": "embarquement"}).text.count('class="result"') == 0
