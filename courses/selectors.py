"""Reads for the catalogue, course and lesson pages, and "My learning".

Each page costs a fixed number of queries, whatever the number of courses and lessons: lessons
are fetched once for all the courses on a page and grouped here, never one query per course.
"""

from dataclasses import dataclass, field

from django.db import connection

from assessments.models import H5PResult, Quiz
from assessments.selectors import has_passed, passed_quiz_ids
from assessments.translations import quiz_in_language
from cms.accounts.selectors import audiences_for_user
from cms.home import cache as content_cache
from cms.home.reader_pages import Reader
from cms.home.translations import in_language, languages_of, reading_language
from courses.models.pages import in_source_language

from .blocks import option_key
from .locks import course_lock
from .models import (
    CheckAnswer,
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    TrackCourse,
)


@dataclass
class Progress:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0


@dataclass
class CourseEntry:
    course: CoursePage
    is_open: bool
    is_enrolled: bool = False
    is_complete: bool = False
    progress: Progress = field(default_factory=Progress)
    lessons: list = field(default_factory=list)
    next_lesson: LessonPage | None = None
    final_quiz: Quiz | None = None  # published; set where a page shows it (My learning)
    quiz_passed: bool = False
    # A track's: its courses' entries in order, and its lessons alone (its `progress` counts
    # its courses' lessons, its own lessons and its final quiz).
    courses: list = field(default_factory=list)
    lesson_progress: Progress | None = None
    languages: list = field(default_factory=list)  # what it can be read in, when several

    @property
    def is_track(self) -> bool:
        return self.course.is_track

    @property
    def all_lessons_done(self) -> bool:
        lessons = self.lesson_progress or self.progress
        return bool(lessons.total) and lessons.done == lessons.total


def lessons_by_course(courses) -> dict[int, list[LessonPage]]:
    """Live lessons of the given courses, in tree order, from the content cache (one query
    for any courses missing from it)."""
    courses = {course.path: course for course in courses}
    language = reading_language()
    cached = content_cache.remember_many(
        [f"lessons:{language}:{path}" for path in courses],
        lambda keys: _lessons_for(keys, courses, language),
    )
    return {courses[key.rsplit(":", 1)[1]].pk: lessons for key, lessons in cached.items()}


def _lessons_for(keys: list[str], courses: dict, language: str) -> dict[str, list[LessonPage]]:
    paths = [key.rsplit(":", 1)[1] for key in keys]
    grouped = {f"lessons:{language}:{path}": [] for path in paths}
    lessons = LessonPage.of_courses([courses[path] for path in paths]).only(
        "id",
        "title",
        "slug",
        "path",
        "depth",
        "url_path",
        "estimated_minutes",
        "locale_id",
        "translation_key",
    )
    for lesson in in_language(lessons, language):
        grouped[f"lessons:{language}:{lesson.course_path}"].append(lesson)
    return grouped


@dataclass
class LearnerRecord:
    done: set[int] = field(default_factory=set)  # lesson ids
    enrolled: set[int] = field(default_factory=set)  # course ids
    completed: set[int] = field(default_factory=set)  # course ids
    in_class: set[int] = field(default_factory=set)  # lesson ids completed in class


def learner_record(user, course_ids=None) -> LearnerRecord:
    """What a learner has done in these courses (in every course when None), in one query.

    Every signed-in course and lesson page asks this, so the SQL is written out once here
    rather than composed by the ORM on each request (composing it cost more than running it).
    """
    record = LearnerRecord()
    if not user.is_authenticated:
        return record
    in_courses = ""
    if course_ids is not None:
        course_ids = list(course_ids)
        if not course_ids:
            return record
        in_courses = f" AND course_id IN ({', '.join(['%s'] * len(course_ids))})"
    sets = (record.done, record.enrolled, record.completed, record.in_class)
    parts, params = [], []
    for kind, (model, column, only) in enumerate(_RECORD_SOURCES):
        parts.append(
            f"SELECT {kind}, {column} FROM {model._meta.db_table}"  # noqa: S608 names from models, values as parameters
            f" WHERE user_id = %s{only}{in_courses}"
        )
        params += [user.pk, *(course_ids or ())]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for kind, pk in cursor.fetchall():
            sets[kind].add(pk)
    return record


# Where each set of a LearnerRecord comes from, in the order of its fields.
_RECORD_SOURCES = (
    (LessonCompletion, "lesson_id", ""),
    (Enrolment, "course_id", ""),
    (CourseCompletion, "course_id", ""),
    (LessonCompletion, "lesson_id", " AND in_class_session_id IS NOT NULL"),
)


def track_courses(tracks) -> dict[int, list[CoursePage]]:
    """The live courses of each track, in the track's order, by track id, from the content
    cache (one query for any tracks missing from it)."""
    language = reading_language()
    keys = [f"track-courses:{language}:{track.pk}" for track in tracks]
    cached = content_cache.remember_many(keys, lambda keys: _track_courses_for(keys, language))
    return {int(key.rsplit(":", 1)[1]): courses for key, courses in cached.items()}


def _track_courses_for(keys: list[str], language: str) -> dict[str, list[CoursePage]]:
    grouped = {key: [] for key in keys}
    rows = (
        TrackCourse.objects.filter(
            track_id__in=[int(key.rsplit(":", 1)[1]) for key in keys],
            course__live=True,
            course__trackpage__isnull=True,
        )
        .select_related("course")
        .order_by("track_id", "sort_order", "pk")
    )
    rows = list(rows)
    shown = in_language([row.course for row in rows], language)
    for row, course in zip(rows, shown, strict=True):
        grouped[f"track-courses:{language}:{row.track_id}"].append(course)
    return grouped


def with_track_courses(courses) -> list[CoursePage]:
    """These courses, and the courses of those that are tracks (each once, in that order)."""
    courses = list(courses)
    members = track_courses([course for course in courses if course.is_track])
    found = {course.pk: course for course in courses}
    for course in (course for listed in members.values() for course in listed):
        found.setdefault(course.pk, course)
    return list(found.values())


@dataclass(frozen=True)
class TrackFacts:
    """What a reader's tracks show beyond their record: which tracks' final quizzes they have
    passed, and which trainers' tracks open to them through their enrolment as a candidate."""

    passed: frozenset[int] = frozenset()  # quiz ids
    opened: frozenset[int] = frozenset()  # track ids

    def state(self) -> str:
        return f"passed={sorted(self.passed)};opened={sorted(self.opened)}"


def track_facts(user, courses, record: LearnerRecord) -> TrackFacts:
    """The facts for the tracks among `courses` that the learner is enrolled in: one query
    when any has a published final quiz, and more only for a trainer candidate."""
    tracks = [c for c in courses if c.is_track and c.pk in record.enrolled]
    if not tracks:
        return TrackFacts()
    quizzes = _final_quizzes(tracks)
    audiences = audiences_for_user(user=user)
    return TrackFacts(
        passed=frozenset(passed_quiz_ids(user=user, quizzes=list(quizzes.values()))),
        opened=frozenset(
            track.pk
            for track in tracks
            if track.audience not in audiences and track.is_open_to(user)
        ),
    )


def catalogue_page() -> CourseIndexPage | None:
    """The site's course catalogue (the first live one), from the content cache."""
    return content_cache.remember(
        "catalogue-page", lambda: CourseIndexPage.objects.live().order_by("path").first()
    )


def live_courses(index=None) -> list[CoursePage]:
    """Live courses in catalogue order (under `index`, or all), from the content cache."""

    language = reading_language()

    def find():
        courses = in_source_language(CoursePage.objects.live()).order_by("path")
        return in_language(courses.child_of(index) if index is not None else courses, language)

    return content_cache.remember(f"courses:{language}:{index.path if index else '*'}", find)


def _entries(user, courses, record=None, facts=None) -> list[CourseEntry]:
    """An entry for each course; a track's also has its courses' entries. `record` must cover
    the tracks' courses too (`with_track_courses`); `facts` are asked when None."""
    courses = list(courses)
    everything = with_track_courses(courses)
    audiences = audiences_for_user(user=user)
    lessons = lessons_by_course(everything)
    if record is None:
        record = learner_record(user, [c.pk for c in everything])
    if facts is None:
        facts = track_facts(user, courses, record)
    entries = {course.pk: _entry(course, lessons, record, audiences) for course in everything}
    for track_id in facts.opened:
        entries[track_id].is_open = True
    members = track_courses([course for course in courses if course.is_track])
    for track_id, listed in members.items():
        _add_track_courses(entries[track_id], [entries[c.pk] for c in listed], facts.passed)
    return [entries[course.pk] for course in courses]


def _entry(course, lessons, record, audiences) -> CourseEntry:
    course_lessons = lessons.get(course.pk, [])
    for lesson in course_lessons:
        lesson.is_done = lesson.pk in record.done
        lesson.in_class = lesson.pk in record.in_class
    return CourseEntry(
        course=course,
        is_open=course.audience in audiences,
        is_enrolled=course.pk in record.enrolled,
        is_complete=course.pk in record.completed,
        progress=Progress(
            done=sum(lesson.is_done for lesson in course_lessons), total=len(course_lessons)
        ),
        lessons=course_lessons,
        next_lesson=next((x for x in course_lessons if not x.is_done), None),
    )


def _add_track_courses(entry: CourseEntry, courses: list[CourseEntry], passed) -> None:
    """Make a track's entry: its progress across its courses, its lessons and its final quiz;
    its next lesson the first not done in its courses (those open to the learner) in order,
    then in its own lessons."""
    entry.courses = courses
    entry.lesson_progress = Progress(
        done=entry.progress.done + sum(c.progress.done for c in courses),
        total=entry.progress.total + sum(c.progress.total for c in courses),
    )
    entry.final_quiz = _final_quizzes([entry.course]).get(entry.course.pk)
    entry.quiz_passed = bool(entry.final_quiz) and entry.final_quiz.pk in passed
    entry.progress = Progress(
        done=entry.lesson_progress.done + entry.quiz_passed,
        total=entry.lesson_progress.total + bool(entry.final_quiz),
    )
    following = [c.next_lesson for c in courses if c.is_open] + [entry.next_lesson]
    entry.next_lesson = next((lesson for lesson in following if lesson), None)


def catalogue_for_user(*, user, index=None) -> list[CourseEntry]:
    """Every live course, with whether the user may open it and their progress."""
    return _entries(user, live_courses(index))


# Readers: for each page, what a reader sees of their own record, read once, as a reader state
# naming all of it and a function building the page's personal context from those same reads.
# Readers in the same state see the same page, so it can be shared (cms.home.reader_pages).


def _reader_state(user, record: LearnerRecord, *more: str) -> str:
    def ids(values) -> str:
        return ".".join(map(str, sorted(values)))

    audiences = ",".join(sorted(audiences_for_user(user=user)))
    return "|".join(
        [
            audiences,
            ids(record.done),
            ids(record.enrolled),
            ids(record.completed),
            ids(record.in_class),
            *more,
        ]
    )


def _record_and_facts(user, courses) -> tuple[LearnerRecord, TrackFacts]:
    """The learner's record in these courses and their tracks' courses, and their tracks'
    facts."""
    record = learner_record(user, [course.pk for course in with_track_courses(courses)])
    return record, track_facts(user, courses, record)


def catalogue_reader(*, user, index) -> Reader:
    courses = live_courses(index)
    record, facts = _record_and_facts(user, courses)
    return Reader(
        _reader_state(user, record, facts.state()),
        lambda: {"entries": with_languages(_entries(user, courses, record, facts))},
    )


def with_languages(entries: list[CourseEntry]) -> list[CourseEntry]:
    """The entries, each with the languages its course can be read in (one cache read)."""
    languages = languages_of([entry.course for entry in entries])
    for entry in entries:
        entry.languages = languages.get(entry.course.translation_key, [])
    return entries


def course_outline(course: CoursePage) -> dict:
    """The catalogue a course sits in, and its final quiz if published."""
    quiz = _final_quiz(course)
    shown = quiz_in_language(quiz) if quiz and quiz.live else None
    return {"catalogue": course.catalogue, "final_quiz": shown}


def course_reader(*, user, course: CoursePage) -> Reader:
    record = learner_record(user, [course.pk])
    quiz = _final_quiz(course)
    passed = bool(quiz) and has_passed(user=user, quiz=quiz)
    is_open = course.audience in audiences_for_user(user=user)
    lock = course_lock(user=user, course=course, is_open=is_open)

    def context() -> dict:
        entry = _entries(user, [course], record)[0]
        return {"entry": entry, "quiz_passed": passed, "lock": lock}

    lock_state = lock.state if lock else ""
    return Reader(_reader_state(user, record, f"passed={passed:d}", lock_state), context)


def track_reader(*, user, track: CoursePage) -> Reader:
    """A track's page: its entry, with its courses' entries in order (one query for the
    record, one more when the learner is enrolled and the track has a final quiz)."""
    from .training.candidates import may_enrol

    record, facts = _record_and_facts(user, [track])
    enrols = user.is_authenticated and track.pk not in record.enrolled
    enrols = enrols and may_enrol(user=user, course=track)
    is_open = None if track.audience not in audiences_for_user(user=user) else True
    lock = course_lock(user=user, course=track, is_open=is_open)

    def context() -> dict:
        entry = _entries(user, [track], record, facts)[0]
        return {
            "entry": entry,
            "quiz_passed": entry.quiz_passed,
            "may_enrol": enrols,
            "lock": lock,
        }

    states = (facts.state(), f"enrols={enrols:d}", lock.state if lock else "")
    return Reader(_reader_state(user, record, *states), context)


def course_entry_for_user(*, user, course: CoursePage) -> CourseEntry:
    return _entries(user, [course])[0]


def _final_quiz(course: CoursePage) -> Quiz | None:
    if not course.final_quiz_id:
        return None
    return content_cache.remember(  # a deleted quiz is no final quiz, not an error
        f"quiz:{course.final_quiz_id}", Quiz.objects.filter(pk=course.final_quiz_id).first
    )


def lesson_outline(lesson: LessonPage) -> dict:
    """Where a lesson sits in its course: the same for every reader."""
    course = lesson.course
    siblings = lessons_by_course([course]).get(course.pk, [])
    position = next((i for i, x in enumerate(siblings) if x.pk == lesson.pk), None)
    following = position + 1 if position is not None else len(siblings)
    return {
        "course": course,
        "position": (position or 0) + 1,
        "lesson_count": len(siblings),
        "previous_lesson": siblings[position - 1] if position else None,
        "next_lesson": siblings[following] if following < len(siblings) else None,
        "has_activities": bool(_activity_ids(lesson)),
        "check_count": len(check_questions(lesson)),
    }


def lesson_reader(*, user, lesson: LessonPage) -> Reader:
    """One query for the record, one more if the lesson has H5P activities, and one more if
    it has questions to check."""
    course = lesson.course
    record, facts = _record_and_facts(user, [course])  # a track's lesson: the whole track
    results = _h5p_results(user, lesson)
    scores = ".".join(f"{r.package_id}={r.raw}/{r.maximum}" for r in results)
    answers = check_answers(user=user, lesson=lesson)
    checked = ".".join(f"{a.block_id}={a.key}" for a in answers)

    def context() -> dict:
        entry = _entries(user, [course], record, facts)[0]
        return {
            "entry": entry,
            "is_done": lesson.pk in record.done,
            "h5p_results": results,
            "check_answers": answers,
        }

    return Reader(_reader_state(user, record, scores, checked, facts.state()), context)


def lesson_detail_for_user(*, user, lesson: LessonPage) -> dict:
    return {**lesson_outline(lesson), **lesson_reader(user=user, lesson=lesson).context()}


def check_questions(lesson: LessonPage) -> list[tuple[str, dict]]:
    """The lesson's "check your understanding" questions as published: (block id, value)."""
    if not hasattr(lesson, "_check_questions"):
        block = LessonPage.body.field.stream_block.child_blocks["check_understanding"]
        lesson._check_questions = [
            (raw["id"], block.to_python(raw["value"]))
            for raw in lesson.body.raw_data
            if raw["type"] == "check_understanding" and raw.get("id")
        ]
    return lesson._check_questions


def check_question(lesson: LessonPage, block_id: str):
    """One question of the lesson by its block id, or None when it is not (or no longer) there."""
    return next((value for id_, value in check_questions(lesson) if id_ == block_id), None)


@dataclass
class CheckAnswerShown:
    """A learner's answer as their own part of the lesson page shows it."""

    block_id: str
    key: str  # the option's opaque key, as the shared lesson body names it
    choice: str
    is_correct: bool
    feedback: str


def check_answers(*, user, lesson: LessonPage) -> list[CheckAnswerShown]:
    """The learner's latest answers to the lesson's questions as they now stand, in the
    lesson's order (one query, none when the lesson has no question or the reader is signed
    out). An answer to a question since removed, or to an option since rewritten, is left out.

    Every signed-in reading of a lesson with questions asks this, so, as in `learner_record`,
    the SQL is written out rather than composed by the ORM, and the questions are read from
    the body only for a reader who has answered some."""
    if not user.is_authenticated or not any(
        raw["type"] == "check_understanding" for raw in lesson.body.raw_data
    ):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT block_id, choice FROM {CheckAnswer._meta.db_table}"  # noqa: S608 a name from the model, values as parameters
            " WHERE user_id = %s AND lesson_id = %s",
            [user.pk, lesson.pk],
        )
        saved = dict(cursor.fetchall())
    if not saved:
        return []
    shown = []
    for block_id, question in check_questions(lesson):
        chosen = next((c for c in question["choices"] if c["text"] == saved.get(block_id)), None)
        if chosen is not None:
            shown.append(
                CheckAnswerShown(
                    block_id=block_id,
                    key=option_key(lesson.pk, block_id, chosen["text"]),
                    choice=chosen["text"],
                    is_correct=bool(chosen["is_correct"]),
                    feedback=chosen["feedback"] or "",
                )
            )
    return shown


def _activity_ids(lesson: LessonPage) -> list[int]:
    return [block["value"]["activity"] for block in lesson.body.raw_data if block["type"] == "h5p"]


def _h5p_results(user, lesson: LessonPage) -> list:
    """The learner's results on the lesson's H5P activities."""
    ids = _activity_ids(lesson)
    if not ids or not user.is_authenticated:
        return []
    return list(H5PResult.objects.filter(user=user, package_id__in=ids).select_related("package"))


def my_learning(*, user) -> list[CourseEntry]:
    """The courses and tracks a learner is enrolled in, unfinished first, each with its final
    quiz and, once every lesson is done, whether it is passed (one query for all the courses,
    and one for all the tracks)."""
    record = learner_record(user)
    courses = [course for course in live_courses() if course.pk in record.enrolled]
    entries = _entries(user, courses, record)
    quizzes = _final_quizzes(courses)
    for entry in entries:
        entry.final_quiz = quizzes.get(entry.course.pk)
    finished = [
        entry
        for entry in entries
        if entry.final_quiz and entry.all_lessons_done and not entry.is_track
    ]
    passed = passed_quiz_ids(user=user, quizzes=[entry.final_quiz for entry in finished])
    for entry in finished:
        entry.quiz_passed = entry.final_quiz.pk in passed
    return sorted(entries, key=lambda e: (e.is_complete, e.course.path))


def _final_quizzes(courses) -> dict[int, Quiz]:
    """The published final quiz of each course that has one, by course id, from the content
    cache (one query for any quizzes missing from it)."""
    keys = {f"quiz:{course.final_quiz_id}": course for course in courses if course.final_quiz_id}

    def find(missing: list[str]) -> dict:
        ids = [int(key.split(":", 1)[1]) for key in missing]
        found = {f"quiz:{quiz.pk}": quiz for quiz in Quiz.objects.filter(pk__in=ids)}
        return {key: found.get(key) for key in missing}  # a deleted quiz is no final quiz

    quizzes = content_cache.remember_many(list(keys), find)
    return {
        course.pk: quizzes[key]
        for key, course in keys.items()
        if quizzes[key] and quizzes[key].live
    }
