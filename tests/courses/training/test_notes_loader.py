"""Lesson files' Trainer notes and Indicator card sections: read apart from the body, loaded
into the lesson once, and kept from learners."""

import pytest

from assessments import mrz
from courses import demo
from courses.content_loader import ContentError, load_courses, parse_lesson
from courses.training import mrz_map

from ...factories import make_course

HEAD = """---
title: Checking tickets
slug: checking-tickets
estimated_minutes: 12
{extra}---
## Objectives
- Spot a ticket bought to be thrown away

## Body
Officers read the whole itinerary, not only the first leg.

## Key points
- Read the whole itinerary

## Check your understanding
? What do you read?
- [x] The whole itinerary -> Yes
- [ ] The first leg -> No

## Sources
Adapted from UNODC, *Smuggling of Migrants by Air* (Issue Paper, 2010).
"""

NOTES = """
## Trainer notes
### Session plan
- **10 min** · Opening: ask who has seen a throwaway ticket (general guidance).
- **20 min** · Pair work: the itinerary on the handout.

### Discussion questions
1. Why read every leg?
   *Model answer:* The onward leg may never be flown.

## Indicator card
- One-way ticket bought in cash
- Onward leg to a visa-free country
"""


def lesson_file(tmp_path, text, name="01-checking-tickets.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_trainer_sections_are_read_apart_from_the_body(tmp_path):
    lesson = parse_lesson(lesson_file(tmp_path, HEAD.format(extra="") + NOTES))
    assert lesson.trainer_notes.startswith("### Session plan")
    assert "*Model answer:* The onward leg may never be flown." in lesson.trainer_notes
    assert lesson.indicator_card == [
        "One-way ticket bought in cash",
        "Onward leg to a visa-free country",
    ]
    everything_learners_get = repr(lesson.stream_data())
    assert "Model answer" not in everything_learners_get
    assert "Session plan" not in everything_learners_get
    assert "One-way ticket" not in everything_learners_get
    assert lesson.body_words == 10  # "Officers read the whole itinerary, not only the first leg."
    assert "Trainer notes" not in lesson.sources_html and "Indicator" not in lesson.sources_html
    assert lesson.handout_mrz_map is False


def test_a_lesson_without_trainer_sections_still_loads(tmp_path):
    lesson = parse_lesson(lesson_file(tmp_path, HEAD.format(extra="")))
    assert lesson.trainer_notes == "" and lesson.indicator_card == []


def test_the_handout_map_is_asked_for_in_the_front_matter(tmp_path):
    lesson = parse_lesson(lesson_file(tmp_path, HEAD.format(extra="handout: mrz-map\n") + NOTES))
    assert lesson.handout_mrz_map is True


def test_trainer_sections_out_of_order_are_refused(tmp_path):
    card, notes = NOTES.split("## Indicator card")
    swapped = HEAD.format(extra="") + "\n## Indicator card" + notes + card
    with pytest.raises(ContentError, match="01-checking-tickets.md: sections must be"):
        parse_lesson(lesson_file(tmp_path, swapped))


def test_trainer_sections_before_the_sources_are_refused(tmp_path):
    text = HEAD.format(extra="").replace("## Sources", NOTES + "\n## Sources")
    with pytest.raises(ContentError, match="sections must be"):
        parse_lesson(lesson_file(tmp_path, text))


def test_an_empty_section_is_refused(tmp_path):
    with pytest.raises(ContentError, match="'Trainer notes' is empty"):
        parse_lesson(lesson_file(tmp_path, HEAD.format(extra="") + "\n## Trainer notes\n\n"))
    with pytest.raises(ContentError, match="'Indicator card' needs at least one"):
        parse_lesson(
            lesson_file(tmp_path, HEAD.format(extra="") + NOTES.split("- One-way")[0] + "\n")
        )


SHIPPED = [(course, lesson) for course in load_courses() for lesson in course.lessons]


@pytest.mark.parametrize("course,lesson", SHIPPED, ids=[lesson.slug for _, lesson in SHIPPED])
def test_every_shipped_lesson_file_parses_and_keeps_its_notes_apart(course, lesson):
    """Each shipped file loads; where it has trainer notes it has an indicator card too, and
    neither reaches what learners are given."""
    assert bool(lesson.trainer_notes) == bool(lesson.indicator_card)
    given = repr(lesson.stream_data())
    for line in lesson.indicator_card:
        assert line not in given
    if lesson.trainer_notes:
        assert "### Session plan" in lesson.trainer_notes
        assert "Session plan" not in given


@pytest.mark.django_db
def test_load_demo_gives_existing_lessons_their_notes_once(tmp_path):
    data = parse_lesson(lesson_file(tmp_path, HEAD.format(extra="") + NOTES))
    lesson = make_course(lessons=1).get_children().first().specific
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    demo.trainer_notes(lesson, data)
    lesson.refresh_from_db()
    assert lesson.trainer_notes == data.trainer_notes
    assert lesson.indicator_list == data.indicator_card
    revisions = lesson.revisions.count()
    demo.trainer_notes(lesson, data)  # a second run changes nothing
    assert lesson.revisions.count() == revisions


@pytest.mark.django_db
def test_load_demo_leaves_edited_notes_and_drafts_alone(tmp_path):
    data = parse_lesson(lesson_file(tmp_path, HEAD.format(extra="") + NOTES))
    course = make_course(lessons=2)
    edited, drafted = (page.specific for page in course.get_children())
    edited.trainer_notes = "Our own plan"
    edited.save_revision().publish()
    edited.refresh_from_db()
    drafted.title = "A new title, in draft"
    drafted.save_revision()
    drafted.refresh_from_db()
    for page in (edited, drafted):
        demo.trainer_notes(page, data)
        page.refresh_from_db()
    assert edited.trainer_notes == "Our own plan"
    assert drafted.trainer_notes == ""


def test_the_mrz_map_agrees_with_the_exercises():
    """Every field of the map holds the specimen's value where assessments.mrz writes it, and
    every check digit is where the exercises read it."""
    spec = mrz_map.SPECIMEN
    line1, line2 = mrz_map.position_map()
    assert (line1.text, line2.text) == mrz.td3_lines(spec)
    assert [len(line.cells) for line in (line1, line2)] == [mrz.LINE_LENGTH] * 2
    values = {
        "issuing-state": spec.issuing_state,
        "document-number": spec.document_number,
        "nationality": spec.nationality,
        "birth-date": spec.birth_date,
        "sex": spec.sex,
        "expiry-date": spec.expiry_date,
    }
    fields = {f.key: f for f in line1.fields + line2.fields}
    for key, value in values.items():
        field = fields[key]
        line = line1 if field in line1.fields else line2
        assert line.text[field.start : field.end] == value, key
    for working in mrz.td3_working(line2.text):
        check = fields[f"{working.field.replace('_', '-')}-check"]
        assert line2.text[check.start] == working.printed == working.expected
    for line in (line1, line2):  # the fields cover the line, once each
        covered = sorted(i for f in line.fields for i in range(f.start, f.end))
        assert covered == list(range(mrz.LINE_LENGTH))


@pytest.mark.django_db
def test_load_demo_loads_notes_and_card_and_stays_idempotent(tmp_path):
    folder = tmp_path / "01-tickets"
    folder.mkdir()
    (folder / "course.md").write_text(
        "---\ntitle: Tickets\nslug: tickets\naudience: public\n---\n"
        "## Summary\nAbout tickets.\n\n## Learning outcomes\n- Read tickets\n",
        encoding="utf-8",
    )
    lesson_file(folder, HEAD.format(extra="handout: mrz-map\n") + NOTES)
    (data,) = load_courses(tmp_path)
    index = demo.course_index(demo.home_page())
    demo.course(index, data)
    from courses.models import LessonPage

    lesson = LessonPage.objects.get(slug="checking-tickets")
    assert "*Model answer:*" in lesson.trainer_notes and lesson.handout_mrz_map
    assert lesson.indicator_list == [
        "One-way ticket bought in cash",
        "Onward leg to a visa-free country",
    ]
    revisions = lesson.revisions.count()
    assert demo.course(index, data)[1] == 0  # nothing created the second time
    assert lesson.revisions.count() == revisions
