"""The shipped curriculum is complete, well-formed and loads idempotently."""

import io
import re

import pytest
from django.core.management import call_command

from cms.accounts.models import User
from courses.content_loader import ContentError, load_courses, parse_lesson
from courses.models import LessonPage

LOADED = load_courses()
COURSES = [course for course in LOADED if not course.is_track]
LESSONS = [(course, lesson) for course in LOADED for lesson in course.lessons]


def test_four_courses_with_at_least_fourteen_lessons():
    assert [c.slug for c in COURSES] == [
        "recognising-smuggling-by-air",
        "document-abuse",
        "corruption-resistance",
        "profiling-ethics-and-rights",
    ]
    assert [c.audience for c in COURSES] == ["public", "officers", "officers", "public"]
    assert sum(len(course.lessons) for course in COURSES) >= 14


def test_the_train_the_trainers_track_takes_the_four_courses_in_order():
    (track,) = [course for course in LOADED if course.is_track]
    assert (track.slug, track.audience) == ("train-the-trainers", "trainers")
    assert track.courses == [course.slug for course in COURSES]


@pytest.mark.parametrize("course,lesson", LESSONS, ids=[lesson.slug for _, lesson in LESSONS])
def test_lesson_is_complete(course, lesson):
    assert 300 <= lesson.body_words <= 900
    assert len(lesson.objectives) >= 3
    assert len(lesson.key_points) >= 3
    assert lesson.questions and all(
        any(choice["is_correct"] for choice in q["choices"]) for q in lesson.questions
    )
    assert "UNODC" in lesson.sources_html or "INTERPOL" in lesson.sources_html


def test_malformed_lesson_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "01-bad.md"
    bad.write_text("---\ntitle: T\nslug: t\n---\n## Objectives\n- x\n## Body\ntext\n")
    with pytest.raises(ContentError, match="01-bad.md: sections must be"):
        parse_lesson(bad)


def test_unclosed_callout_is_refused(tmp_path):
    bad = tmp_path / "01-bad.md"
    bad.write_text(
        "---\ntitle: T\nslug: t\n---\n## Objectives\n- x\n"
        "## Body\n::: callout info T\nnever closed\n## Key points\n- x\n"
        "## Check your understanding\n? Q\n- [x] a -> b\n- [ ] c -> d\n## Sources\nS\n"
    )
    with pytest.raises(ContentError, match="not closed"):
        parse_lesson(bad)


@pytest.mark.django_db
def test_load_demo_creates_no_accounts_outside_dev_settings(settings):
    settings.FLIGHTPATH_DEMO_ACCOUNTS = False
    call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()
    english = LessonPage.objects.live().filter(locale__language_code="en")
    assert english.count() == len(LESSONS)


def test_every_protocol_quotation_says_it_is_quoted_from_the_issue_paper():
    attributions = [
        value["attribution"]
        for _, lesson in LESSONS
        for kind, value in lesson.body
        if kind == "quote"
    ]
    assert attributions
    assert all(a.endswith("as quoted in the UNODC issue paper") for a in attributions)


QUESTIONS = [(lesson.slug, question) for _, lesson in LESSONS for question in lesson.questions]
GIVEAWAY = re.compile(
    r"\b(never|always|in any country|under no circumstances|in all cases)\b", re.I
)


def right_option_is_strictly_longest(question) -> bool:
    lengths = sorted((len(c["text"]), c["is_correct"]) for c in question["choices"])
    (longest, is_right), runner_up = lengths[-1], lengths[-2][0]
    return is_right and longest > runner_up


def test_the_right_option_of_a_lesson_question_is_seldom_the_longest():
    tell = [slug for slug, question in QUESTIONS if right_option_is_strictly_longest(question)]
    assert len(tell) <= 0.3 * len(QUESTIONS), tell


def test_no_option_of_a_lesson_question_gives_itself_away_with_an_absolute():
    giveaways = [
        choice["text"]
        for _, question in QUESTIONS
        for choice in question["choices"]
        if GIVEAWAY.search(choice["text"])
    ]
    assert giveaways == []


FURTHER_READING = [
    "UNODC Model Law against Smuggling of Migrants",
    "UNODC Model Forensic Document Laboratory Guide",
    "UNODC Basic Training Manual on Investigating and Prosecuting Migrant Smuggling",
]


@pytest.mark.parametrize("course", COURSES, ids=[course.slug for course in COURSES])
def test_each_course_ends_with_the_further_reading_the_issue_paper_names(course):
    closing_note = " ".join(course.lessons[-1].sources_html.split())
    assert "Further reading" in closing_note
    assert all(title in closing_note for title in FURTHER_READING)
