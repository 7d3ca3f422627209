"""A visitor and an officer walk Flightpath in each of its other languages: no string of the
project's own is left in English, and no page scrolls sideways on a 360 px phone or a 1280 px
screen.

"The project's own strings" are the msgids of Flightpath's catalogues (`locale/<lang>/
LC_MESSAGES/django.po`) whose translation differs from the English. Each page's text nodes, its
title and its labelling attributes are read in the browser, leaving out what the page itself
marks as written in another language (`lang="en"`: a course not yet translated, its lessons and
quizzes, a quotation kept as written); a text node or attribute that is one of those msgids,
word for word, is English left behind, and so is one made mostly of English words (a string
nobody marked for translation). Strings of a few letters, and those the language writes as
English does, are not looked for. The demo's home page and catalogue are translated into every
language, so their English title and introduction are looked for too, marked or not."""

import re
from functools import cache

import polib
import pytest
from django.conf import settings

from ..factories import site_root

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "es", "ar", "ru"]
WIDTHS = [360, 1280]
# A term of each language that the demo's lessons contain.
SEARCH_TERMS = {"fr": "migrants", "es": "migrants", "ar": "المهاجرين", "ru": "migrants"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")

# The page's text as the reader meets it: text nodes, the title, and the attributes that
# label or describe (read aloud, shown on hover or in an empty field), except where an element
# says its text is in another language than the page's.
PAGE_TEXT = """() => {
    const language = document.documentElement.lang;
    const own = (element) => {
        const marked = element.closest("[lang]");
        return !marked || marked.lang === language;
    };
    const tidy = (text) => text.replace(/\\s+/g, " ").trim();
    const found = [{text: tidy(document.title), own: true, cited: false}];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const element = walker.currentNode.parentElement;
        if (!element || element.closest("script, style, noscript, template")) continue;
        found.push({
            text: tidy(walker.currentNode.textContent),
            own: own(element),
            cited: Boolean(element.closest("i, em, cite")),  // a work's title, as written
        });
    }
    const labelled = "[aria-label], [placeholder], [title], img[alt], input[type=submit][value]";
    for (const element of document.body.querySelectorAll(labelled)) {
        const texts = ["aria-label", "placeholder", "title", "alt"]
            .filter((name) => element.hasAttribute(name))
            .map((name) => element.getAttribute(name));
        if (element.matches("input[type=submit]")) texts.push(element.value);
        for (const text of texts) found.push({text: tidy(text), own: own(element), cited: false});
    }
    return found.filter((item) => item.text);
}"""


@cache
def english_strings(language: str) -> tuple[set[str], list[re.Pattern]]:
    """The msgids of `language`'s catalogue that it translates differently: the plain ones, and
    those with placeholders as patterns a whole text must match."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    plain, patterns = set(), []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            forms = list(entry.msgstr_plural.values())
            pairs = [(entry.msgid, forms[0]), (entry.msgid_plural, forms[-1])]
        for msgid, msgstr in pairs:
            msgid = " ".join(msgid.split())
            if not msgstr or " ".join(msgstr.split()) == msgid or "<" in msgid:
                continue
            letters = PLACEHOLDER.sub("", msgid)
            if sum(c.isalpha() for c in letters) < 4:  # "OK", "No", a lone placeholder
                continue
            if PLACEHOLDER.search(msgid):
                parts = PLACEHOLDER.split(msgid)
                literal = [re.escape(p) for i, p in enumerate(parts) if i % 2 == 0]
                patterns.append(re.compile(".+?".join(literal).join(["^", "$"])))
            else:
                plain.add(msgid)
    return plain, patterns


# Words English writes often and the other four languages never: a text of the page's own
# made mostly of them is English, whether or not it was marked for translation.
ENGLISH_WORDS = {
    *("the", "and", "of", "to", "is", "are", "you", "your", "with", "for", "this", "that"),
    *("was", "were", "has", "have", "not", "be", "by", "from", "or", "will", "can", "may"),
    *("on", "in", "it", "its", "their", "they", "an"),
}


def sounds_english(text: str) -> bool:
    words = re.findall(r"\w+", text.lower())
    found = sum(word in ENGLISH_WORDS for word in words)
    return found >= 2 and found * 3 >= len(words)


def english_left(page, language: str, demo_text: set[str]) -> list[str]:
    """The page's text that is English: the catalogue's msgids, any text of its own that reads
    as English (but the titles of works, in italics, which are cited as written), and the demo
    home page's and catalogue's English."""
    plain, patterns = english_strings(language)
    left = set()
    for item in page.evaluate(PAGE_TEXT):
        text = item["text"]
        if text in demo_text:
            left.add(text)
        if not item["own"]:
            continue
        in_catalogue = text in plain or any(pattern.match(text) for pattern in patterns)
        if in_catalogue or (not item["cited"] and sounds_english(text)):
            left.add(text)
    return sorted(left)


def check(page, language: str, path: str | None, problems: list[str], demo_text=()) -> None:
    """The page at `path` in `language`, at each width: its English strings and sideways
    scroll added to `problems`."""
    if path is not None:
        url = f"/{language}{path}"
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
    url = page.url.split("://", 1)[-1].split("/", 1)[-1]
    assert page.evaluate("document.documentElement.lang") == language, url
    for leak in english_left(page, language, set(demo_text)):
        problems.append(f"/{url}: English “{leak}”")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"/{url} is {scroll} px wide at {width} px")


# What the walks open of the demo: its home page and catalogue, its first public course (read
# in French and Arabic, in English elsewhere) with its final quiz, and its accounts; not the
# rest of `load_demo` (other courses, activities, registry, cascade), for speed.
COURSE = "01-recognising-smuggling-by-air"
QUIZ = "the-transit-lounge"


def content_of_one_course(folder):
    """A content folder for the demo loaders holding the course, its quiz and their
    translations only (links to the shipped files)."""
    from assessments.content_loader import CONTENT_DIR as QUIZZES
    from courses.content_loader import CONTENT_DIR as COURSES

    (folder / "courses").mkdir()
    (folder / "courses" / COURSE).symlink_to(COURSES / COURSE)
    (folder / "quizzes").mkdir()
    (folder / "quizzes" / f"{QUIZ}.md").symlink_to(QUIZZES / f"{QUIZ}.md")
    for language in ("fr", "ar"):
        translations = folder / "quizzes" / "translations" / language
        translations.mkdir(parents=True)
        (translations / f"{QUIZ}.md").symlink_to(QUIZZES / "translations" / language / f"{QUIZ}.md")
    return folder / "courses", folder / "quizzes"


@pytest.fixture
def demo(db, tmp_path):
    from assessments.content_loader import load_quizzes
    from cms.accounts.models import User
    from courses import demo as site
    from courses import demo_translations, services
    from courses.content_loader import load_courses

    courses_folder, quizzes_folder = content_of_one_course(tmp_path)
    home = site_root()  # transactional tests flush the tree Wagtail's migrations make
    home.introduction = site.HOME_INTRODUCTION
    home.save_revision().publish()
    catalogue = site.course_index(home)
    (data,) = load_courses(courses_folder)
    course, _created = site.course(catalogue, data)
    (spec,) = load_quizzes(quizzes_folder)
    quiz = site.quiz(spec, course)
    demo_translations.site_pages(home, catalogue)
    demo_translations.load({course.slug: course}, courses_folder)
    demo_translations.quizzes({quiz.slug: quiz}, quizzes_folder)
    site.accounts(site.organisations()[site.DEMO_ORGANISATION])
    lesson = course.get_children().live().specific().first()
    officer = User.objects.get(email="officer@example.org")
    services.enrolment_create(user=officer, course=course)
    services.lesson_complete(user=officer, lesson=lesson)
    return {
        "demo_text": {catalogue.title, catalogue.introduction, home.introduction},
        "catalogue": catalogue.url,
        "course": course.url,
        "lesson": lesson.url,
        "quiz": f"/quizzes/{quiz.slug}/",
    }


def visitor_walk(page, language: str, demo, problems: list[str]) -> None:
    for path in [
        "/",
        demo["catalogue"],
        demo["course"],
        demo["lesson"],
        f"/search/?q={SEARCH_TERMS[language]}",
        "/search/?q=zzyzx",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        check(page, language, path, problems, demo["demo_text"])


def officer_walk(page, language: str, demo, problems: list[str]) -> None:
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=login]").fill("officer@example.org")
    page.locator("input[name=password]").fill("flightpath")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    check(page, language, None, problems)  # where signing in leads
    for path in [
        "/my-learning/",
        demo["course"],
        demo["lesson"],
        demo["quiz"],
        "/accounts/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/organisations/",
        "/organisations/welcome/",
    ]:
        check(page, language, path, problems, demo["demo_text"])
    page.goto(f"/{language}{demo['quiz']}")
    page.locator("form[action$='/start/'] button").click()
    page.wait_for_url("**/attempts/**")
    check(page, language, None, problems)  # the questions
    page.locator("form.quiz > button[type=submit]").click()
    page.wait_for_url("**/review/")
    check(page, language, None, problems)  # what is still unanswered
    page.locator("form[action$='/submit/'] button[name=confirm]").click()
    page.wait_for_url("**/result/")
    check(page, language, None, problems)  # the result, question by question
    page.goto(f"/{language}/accounts/logout/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)


def test_visitor_and_officer_meet_no_english_and_no_sideways_scroll(new_page, demo):
    problems: list[str] = []
    visitor = new_page(viewport={"width": 1280, "height": 800})
    officer = new_page(viewport={"width": 1280, "height": 800})
    for language in LANGUAGES:
        visitor_walk(visitor, language, demo, problems)
        officer_walk(officer, language, demo, problems)
    assert problems == [], "\n".join(problems)
