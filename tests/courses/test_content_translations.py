"""Courses in several languages: translations loaded as wagtail-localize translations of the
English pages, and served to readers of their language under the English page's record."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from cms.markdown_files import ContentError
from courses import demo, demo_translations
from courses.content_loader import load_courses, load_translations
from courses.models import CoursePage, LessonPage
from tests.factories import course_index, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_the_site_language():
    """Requests under a language prefix leave it active in the test's thread; each test
    starts, and leaves the next one, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


FIXTURES = Path(__file__).parent / "translation_fixtures" / "courses"


def _load(directory=FIXTURES, audience=None):
    (data,) = load_courses(directory)
    if audience:
        data.audience = audience
    course, _ = demo.course(course_index(), data)
    made = demo_translations.load({course.slug: course}, directory)
    return course, made


def _french(page):
    return page.get_translation(Locale.objects.get(language_code="fr")).specific


def test_a_translated_course_and_lesson_are_published_as_translations_of_the_english():
    course, made = _load()
    assert made == 3  # French course and lesson, Arabic course
    french = _french(course)
    assert (french.live, french.title) == (True, "Contrôles en transit")
    assert french.audience == course.audience
    lesson = _french(LessonPage.objects.child_of(course).get())
    assert lesson.live and lesson.title == "Échanges de cartes d'embarquement"
    assert "cartes d'embarquement" in str(lesson.body)


def test_the_cms_holds_each_translation_complete_and_synced_with_its_source():
    course, _ = _load()
    lesson = LessonPage.objects.child_of(course).get()
    fr = Locale.objects.get(language_code="fr")
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale=fr
    )
    total, done = translation.get_progress()
    assert total > 5 and done == total


def test_a_translated_quotation_stays_in_english():
    course, _ = _load()
    lesson = _french(LessonPage.objects.child_of(course).get())
    (quote,) = [block.value for block in lesson.body if block.block_type == "quote"]
    assert quote["text"].startswith('"Smuggling of migrants" shall mean')
    assert quote["attribution"] == "Protocole, article 3"


def test_a_translated_question_keeps_the_english_right_answer_and_ids():
    course, _ = _load()
    english = LessonPage.objects.child_of(course).get()
    french = _french(english)
    ids = [block.id for block in english.body]
    assert [block.id for block in french.body] == ids
    question = next(b for b in french.body.raw_data if b["type"] == "check_understanding")
    source = next(b for b in english.body.raw_data if b["type"] == "check_understanding")
    assert [c["id"] for c in question["value"]["choices"]] == [
        c["id"] for c in source["value"]["choices"]
    ]


def test_loading_twice_changes_nothing():
    course, _ = _load()
    pages = Page.objects.count()
    assert demo_translations.load({course.slug: course}, FIXTURES) == 0
    assert Page.objects.count() == pages


def _copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    return target


def test_a_translation_whose_right_answer_differs_is_refused_naming_the_file(tmp_path):
    content = _copy(tmp_path)
    lesson = content / "01-transit" / "translations" / "fr" / "01-swaps.md"
    text = lesson.read_text()
    text = text.replace("- [ ] Le pays", "- [x] Le pays").replace("- [x] Une", "- [ ] Une")
    lesson.write_text(text)
    with pytest.raises(ContentError, match="01-swaps.md: a question's choices"):
        _load(content)


def test_a_translation_with_a_block_more_is_refused_naming_the_file(tmp_path):
    content = _copy(tmp_path)
    lesson = content / "01-transit" / "translations" / "fr" / "01-swaps.md"
    lesson.write_text(
        lesson.read_text().replace(
            "## Key points", "::: callout info En plus\nUn ajout.\n:::\n\n## Key points"
        )
    )
    with pytest.raises(ContentError, match="01-swaps.md: the English has a 'check_understanding'"):
        _load(content)


def test_a_translation_of_an_unknown_lesson_is_refused(tmp_path):
    content = _copy(tmp_path)
    lesson = content / "01-transit" / "translations" / "fr" / "01-swaps.md"
    lesson.write_text(lesson.read_text().replace("slug: swaps", "slug: elsewhere"))
    with pytest.raises(ContentError, match="01-swaps.md: no lesson 'elsewhere'"):
        _load(content)


# Serving


def test_the_catalogue_in_french_shows_the_french_course_and_its_languages():
    course, _ = _load()
    html = Client().get("/fr/courses/").text
    assert "Contrôles en transit" in html
    assert "Transit checks" not in html
    assert 'href="/ar/courses/transit-checks/"' in html


def test_the_course_in_french_reads_in_french_and_links_its_languages():
    _load()
    html = Client().get("/fr/courses/transit-checks/").text
    assert "<h1>Contrôles en transit</h1>" in html
    assert "Échanges de cartes d&#x27;embarquement" in html  # the lesson list
    assert 'href="/courses/transit-checks/"' in html and 'hreflang="en"' in html


def test_a_lesson_not_translated_into_arabic_is_english_marked_as_such():
    course, _ = _load()
    html = Client().get("/ar/courses/transit-checks/swaps/").text
    assert '<h1 lang="en" dir="ltr">Boarding pass swaps</h1>' in html
    assert 'lang="ar" dir="rtl"' in html  # the course in the breadcrumb is in Arabic
    assert Client().get("/courses/transit-checks/swaps/").status_code == 200


def test_english_readers_still_read_english():
    _load()
    html = Client().get("/courses/transit-checks/").text
    assert "<h1>Transit checks</h1>" in html


def test_a_french_reader_s_progress_is_kept_on_the_english_course(officer):
    course, _ = _load()
    client = Client()
    client.force_login(officer)
    assert client.get("/fr/courses/transit-checks/swaps/").status_code == 200
    lesson = LessonPage.objects.child_of(course).get()
    html = client.get("/fr/courses/transit-checks/swaps/").text
    assert f'name="lesson" value="{lesson.pk}"' in html or str(lesson.pk) in html


def test_an_officers_course_in_french_is_not_served_to_a_visitor():
    _load(audience="officers")
    lesson = Client().get("/fr/courses/transit-checks/swaps/")
    assert lesson.status_code == 403  # the page that says who the lesson is for, and nothing of it
    assert "cartes d'embarquement" not in lesson.text
    # the French page's own address (in the French tree) is no way round it either
    french = _french(LessonPage.objects.get(slug="swaps", locale__language_code="en"))
    assert french.url  # the translation is live
    response = Client().get(french.url)
    assert response.status_code in (302, 403, 404)
    assert "cartes d'embarquement" not in response.text


def test_an_officers_course_in_french_opens_to_a_verified_officer(officer):
    _load(audience="officers")
    client = Client()
    client.force_login(officer)
    html = client.get("/fr/courses/transit-checks/swaps/").text
    assert "cartes d'embarquement" in html


def test_a_withdrawn_translation_is_not_served_from_the_cache(settings):
    settings.FLIGHTPATH_PAGE_CACHE_SECONDS = 60
    course, _ = _load()
    assert "Contrôles en transit" in Client().get("/fr/courses/transit-checks/").text
    assert "Contrôles en transit" in Client().get("/fr/courses/").text
    _french(course).unpublish()
    course_page = Client().get("/fr/courses/transit-checks/").text
    assert "Contrôles en transit" not in course_page
    assert '<h1 lang="en" dir="ltr">Transit checks</h1>' in course_page
    assert "Contrôles en transit" not in Client().get("/fr/courses/").text


def test_cached_pages_never_cross_languages(settings):
    settings.FLIGHTPATH_PAGE_CACHE_SECONDS = 60
    _load()
    for _ in range(2):
        assert "Contrôles en transit" in Client().get("/fr/courses/transit-checks/").text
        assert "<h1>Transit checks</h1>" in Client().get("/courses/transit-checks/").text
        arabic = Client().get("/ar/courses/transit-checks/").text
        assert "عمليات التفتيش في العبور" in arabic and "Contrôles" not in arabic


def test_signed_in_pages_are_kept_per_language(officer):
    _load()
    client = Client()
    client.force_login(officer)
    for _ in range(2):
        assert "Contrôles en transit" in client.get("/fr/courses/transit-checks/").text
        assert "<h1>Transit checks</h1>" in client.get("/courses/transit-checks/").text


def test_the_french_page_s_own_address_serves_the_course():
    course, _ = _load()
    french = _french(course)
    response = Client().get(french.url)
    assert response.status_code == 200 and "Contrôles en transit" in response.text
    assert CoursePage.objects.filter(translation_key=course.translation_key).count() == 3


# Quizzes

QUIZZES = FIXTURES.parent / "quizzes"


def _load_quiz(directory=QUIZZES):
    from assessments.content_loader import load_quizzes

    course, _ = _load()
    (spec,) = load_quizzes(directory)
    quiz = demo.quiz(spec, course)
    return quiz, demo_translations.quizzes({quiz.slug: quiz}, directory)


def test_a_translated_quiz_is_published_as_a_translation_grading_as_the_english():
    quiz, made = _load_quiz()
    assert made == 1
    french = quiz.get_translation(Locale.objects.get(language_code="fr"))
    assert (french.live, french.title, french.slug) == (True, "La porte de transit", quiz.slug)
    assert french.grading_structure() == quiz.grading_structure()
    assert demo_translations.quizzes({quiz.slug: quiz}, QUIZZES) == 0  # idempotent


def test_a_quiz_translation_whose_right_answer_differs_is_refused_naming_the_file(tmp_path):
    content = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, content)
    path = content / "translations" / "fr" / "transit-quiz.md"
    text = path.read_text().replace("- [ ] Les laisser", "- [x] Les laisser")
    path.write_text(text.replace("- [x] Vérifier", "- [ ] Vérifier"))
    with pytest.raises(ContentError, match="transit-quiz.md: its questions, right answers"):
        _load_quiz(content)


def test_the_quiz_reads_in_french_and_grades_the_english_quiz(officer):
    from assessments.models import Attempt

    quiz, _ = _load_quiz()
    client = Client()
    client.force_login(officer)
    assert "La porte de transit" in client.get(f"/fr/quizzes/{quiz.slug}/").text
    client.post(f"/fr/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(user=officer)
    assert attempt.quiz_id == quiz.pk
    html = client.get(f"/fr/quizzes/attempts/{attempt.pk}/").text
    assert "Deux passagers échangent" in html
    english = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    assert "Two passengers swap" in english and "Deux passagers" not in english


def test_a_quiz_translation_left_behind_by_the_english_is_not_shown(officer):
    quiz, _ = _load_quiz()
    data = list(quiz.questions.raw_data)
    choices = data[0]["value"]["choices"]
    choices[0]["value"]["is_correct"], choices[1]["value"]["is_correct"] = False, True
    quiz.questions = json.dumps(data)
    quiz.save_revision().publish()
    client = Client()
    client.force_login(officer)
    html = client.get(f"/fr/quizzes/{quiz.slug}/").text
    assert "The transit gate" in html and "La porte de transit" not in html


# The shipped translations


def test_every_shipped_translation_is_a_lesson_in_full():
    """The 300 to 900 words of an English lesson do not bind its translation (French runs a
    fifth longer, Arabic a tenth shorter): a translation's body is 0.7 to 1.5 times its
    English lesson's, so it is neither a summary nor an addition, and it keeps the lesson's
    objectives, key points and questions."""
    english = {lesson.slug: lesson for course in load_courses() for lesson in course.lessons}
    for language, found in load_translations().items():
        for _folder, course in found:
            for lesson in course.lessons:
                source = english[lesson.slug]
                ratio = lesson.body_words / source.body_words
                assert 0.7 <= ratio <= 1.5, (language, lesson.slug, ratio)
                assert len(lesson.objectives) == len(source.objectives), (language, lesson.slug)
                assert len(lesson.key_points) == len(source.key_points), (language, lesson.slug)
                assert len(lesson.questions) == len(source.questions), (language, lesson.slug)


def test_the_fixture_translation_is_checked_like_a_shipped_one():
    found = load_translations(FIXTURES)
    assert sorted(found) == ["ar", "fr"]
    ((_folder, french),) = found["fr"]
    assert [lesson.slug for lesson in french.lessons] == ["swaps"]


# H5P activities

ACTIVITIES = FIXTURES.parent / "h5p" / "activities.md"


def test_a_translated_lesson_plays_the_translated_activity():
    from assessments.h5p import demo as demo_h5p

    (data,) = load_courses(FIXTURES)
    course, _ = demo.course(course_index(), data)
    (activity,) = demo_h5p.activities(ACTIVITIES)
    demo.h5p_activity(activity, course)
    activities = demo_h5p.translated_activities(ACTIVITIES)
    demo_translations.load({course.slug: course}, FIXTURES, activities=activities)
    english = LessonPage.objects.child_of(course).get()
    (played,) = [b.value["activity"] for b in english.body if b.block_type == "h5p"]
    (french,) = [b.value["activity"] for b in _french(english).body if b.block_type == "h5p"]
    assert played.title == "True or false: swaps"
    assert french.title == "Vrai ou faux : les échanges"


def test_a_translated_activity_with_another_answer_is_refused(tmp_path):
    from assessments.h5p import demo as demo_h5p

    shutil.copytree(ACTIVITIES.parent, tmp_path / "h5p")
    translated = tmp_path / "h5p" / "translations" / "fr" / "activities.md"
    translated.write_text(translated.read_text().replace("correct: true", "correct: false"))
    with pytest.raises(ContentError, match="fr/activities.md: 'transit-checks/swaps'"):
        demo_h5p.translated_activities(tmp_path / "h5p" / "activities.md")


def test_translations_are_not_courses_of_their_own():
    from courses.selectors import live_courses
    from courses.training.cohort_forms import CohortForm

    course, _ = _load()
    assert [c.pk for c in live_courses()] == [course.pk]
    field = CohortForm.base_fields["course"]
    assert list(field.queryset.values_list("pk", flat=True)) == [course.pk]


# Review


def test_a_trainer_submits_a_translation_to_the_review_workflow(trainer):
    from wagtail_localize.models import StringTranslation

    course, _ = _load()
    french = _french(course)
    StringTranslation.objects.filter(data="Contrôles en transit").update(
        data="Contrôles dans la zone de transit"
    )
    client = Client()
    client.force_login(trainer)
    url = f"/admin/translations/{french.pk}/review/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    french.refresh_from_db()
    assert french.workflow_in_progress
    assert french.get_latest_revision().as_object().title == "Contrôles dans la zone de transit"
    assert french.title == "Contrôles en transit"  # readers keep the published one until approved
    assert "Contrôles en transit" in Client().get("/fr/courses/transit-checks/").text


def test_a_visitor_cannot_submit_a_translation_for_review(stranger):
    course, _ = _load()
    client = Client()
    client.force_login(stranger)
    response = client.post(f"/admin/translations/{_french(course).pk}/review/")
    assert response.status_code in (302, 403)
    assert not _french(course).workflow_in_progress


def test_the_course_page_names_its_final_quiz_in_french():
    quiz, _ = _load_quiz()
    assert "La porte de transit" in Client().get("/fr/courses/transit-checks/").text
    assert "The transit gate" in Client().get("/courses/transit-checks/").text


# The demo's home page and catalogue


SITE_PAGE_HEADINGS = {"fr": "Cours", "es": "Cursos", "ar": "الدورات", "ru": "Курсы"}


def _site_pages():
    from tests.factories import site_root

    home = site_root()
    home.introduction = demo.HOME_INTRODUCTION
    home.save_revision().publish()
    return home, demo.course_index(home)


def test_the_home_page_and_catalogue_read_in_every_language():
    home, index = _site_pages()
    assert demo_translations.site_pages(home, index) == 8
    for language, heading in SITE_PAGE_HEADINGS.items():
        html = Client().get(f"/{language}/courses/").text
        assert f"<h1>{heading}</h1>" in html, language
        assert index.introduction not in html
    assert "незаконному ввозу мигрантов" in Client().get("/ru/").text
    assert "tráfico ilícito de migrantes" in Client().get("/es/").text
    assert f"<h1>{index.title}</h1>" in Client().get("/courses/").text
    assert demo_translations.site_pages(home, index) == 0  # loading twice changes nothing


def test_a_copy_of_the_catalogue_made_for_a_course_is_translated_an_edited_one_kept():
    home, index = _site_pages()
    _load()  # the French and Arabic course copy the catalogue, in English, as its parent
    arabic = index.get_translation(Locale.objects.get(language_code="ar")).specific
    assert arabic.alias_of_id == index.pk
    arabic.alias_of_id, arabic.introduction = None, "دوراتنا."  # a translator's own
    arabic.save()
    arabic.save_revision().publish()
    demo_translations.site_pages(home, index)
    assert _french(index).title == "Cours"
    assert "fraude documentaire" in _french(index).introduction
    arabic.refresh_from_db()
    assert (arabic.title, arabic.introduction) == ("Courses", "دوراتنا.")


def test_a_site_page_translation_without_a_section_is_refused_naming_the_file(tmp_path):
    home, index = _site_pages()
    text = (demo_translations.SITE_PAGES_DIR / "fr.md").read_text(encoding="utf-8")
    (tmp_path / "fr.md").write_text(text.replace("## Catalogue title\nCours\n", ""))
    with pytest.raises(ContentError, match="fr.md: no 'Catalogue title' section"):
        demo_translations.site_pages(home, index, tmp_path)


def test_a_course_read_only_in_english_says_so_in_the_catalogue():
    _load()  # a course in English, French and Arabic
    html = Client().get("/es/courses/").text
    assert '<a href="/es/courses/transit-checks/" lang="en" dir="ltr">Transit checks</a>' in html
    assert "Disponible en:" in html
    for code in ("en", "fr", "ar"):
        assert f'hreflang="{code}"' in html
    make_course(title="Only in English", slug="only-in-english")
    html = Client().get("/fr/courses/").text
    card = html[html.index(">Only in English<") :]
    card = card[: card.index("</li>")]
    assert "Disponible en" in card and 'hreflang="en"' in card and "English" in card


# English left in a page of another language says so


def test_a_quiz_not_translated_into_the_reader_s_language_is_marked_english(officer):
    from assessments.models import Attempt

    quiz, _ = _load_quiz()  # in English and French
    client = Client()
    client.force_login(officer)
    html = client.get(f"/es/quizzes/{quiz.slug}/").text
    assert '<h1 lang="en" dir="ltr">The transit gate</h1>' in html
    assert '<div class="rich-text" lang="en" dir="ltr"><p>You work at a transit gate.' in html
    client.post(f"/es/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(user=officer)
    html = client.get(f"/es/quizzes/attempts/{attempt.pk}/").text
    assert 'lang="en" dir="ltr">Check both passes against the passengers</label>' in html
    french = client.get(f"/fr/quizzes/attempts/{attempt.pk}/").text
    assert '">Vérifier les deux cartes auprès des passagers</label>' in french
    assert 'dir="ltr">Vérifier' not in french


def test_a_quotation_kept_in_english_in_a_translated_lesson_is_marked_english():
    _load()
    french = Client().get("/fr/courses/transit-checks/swaps/").text
    assert '<blockquote lang="en" dir="ltr"><p>&quot;Smuggling of migrants&quot;' in french
    english = Client().get("/courses/transit-checks/swaps/").text
    assert "<blockquote><p>&quot;Smuggling of migrants&quot;" in english
