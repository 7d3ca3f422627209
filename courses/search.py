"""Site search: what a reader may open, each result with its course, its audience, and a
snippet where the words were found, marked."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale, Page, PageViewRestriction

from cms.accounts.models import Audience
from cms.accounts.selectors import audiences_for_user
from cms.home.translations import reading_language
from cms.inline_markdown import render as render_inline_markdown

from .models import CourseIndexPage, CoursePage, LessonPage

SNIPPET_WORDS = 30


@dataclass
class Result:
    page: Page
    course: CoursePage | None  # the course the page is, or is part of
    is_open: bool
    snippet: SafeString

    @property
    def audience(self) -> str:
        return self.course.audience if self.course else Audience.PUBLIC


def search_pages(*, user, query: str):
    """Live pages matching `query`, without the lessons of courses the user may not open nor
    pages a privacy setting keeps from them.

    The filter runs in the search query itself, so result counts and pages are right.
    """
    hidden = Q()
    closed = CoursePage.objects.exclude(audience__in=audiences_for_user(user=user))
    for path, depth in closed.values_list("path", "depth"):
        hidden |= Q(path__startswith=path, depth__gt=depth)
    for path in _restricted_paths(user):
        hidden |= Q(path__startswith=path)
    pages = in_readers_language(Page.objects.live()).specific()
    if hidden:
        pages = pages.exclude(hidden)
    words = search_words(query)
    return pages.search(" ".join(words)) if words else pages.none()


def in_readers_language(pages):
    """`pages` as the reader's language shows them, one of each: a page's live translation in
    that language where it has one, else the page in the site's language (a translation into
    another language, or a source that has one in the reader's, would be the same page again)."""
    language = reading_language()
    locales = dict(Locale.objects.values_list("language_code", "pk"))
    source = locales.get(settings.LANGUAGE_CODE)
    if language == settings.LANGUAGE_CODE or language not in locales:
        return pages.filter(locale_id=source)
    translated = Page.objects.filter(locale_id=locales[language], live=True)
    has_translation = Page.objects.filter(
        locale_id=source, translation_key__in=translated.values("translation_key")
    )
    return pages.filter(locale_id__in=[source, locales[language]]).exclude(
        pk__in=has_translation.values("pk")
    )


def _restricted_paths(user) -> list[str]:
    """Paths under a Wagtail privacy setting the user does not pass (a password is never
    passed in search: it is asked for on the page)."""
    paths = []
    for restriction in PageViewRestriction.objects.select_related("page"):
        kind = restriction.restriction_type
        if kind == PageViewRestriction.LOGIN and user.is_authenticated:
            continue
        if kind == PageViewRestriction.GROUPS and user.is_authenticated:
            groups = {group.pk for group in restriction.groups.all()}
            if user.is_superuser or groups & set(user.groups.values_list("pk", flat=True)):
                continue
        paths.append(restriction.page.path)
    return paths


def search_words(query: str) -> list[str]:
    """The words of a query. Quotes and operators would reach the full-text engine's own
    syntax (SQLite FTS5, PostgreSQL tsquery) and fail there, so only words are searched."""
    return re.findall(r"\w+", query)[:20]


def search_results(*, user, pages, query: str) -> list[Result]:
    """One page of search results, each with its course, whether the reader may open it, and
    a snippet with the query's words marked."""
    audiences = audiences_for_user(user=user)
    words = search_words(query)
    results = []
    for page in pages:
        course = _course_of(page)
        is_open = course is None or course.audience in audiences
        if isinstance(page, CoursePage):  # its summary, as the catalogue shows it
            shown = mark_words(render_inline_markdown(page.summary), words)
        else:
            shown = snippet(_text_of(page), words)
        results.append(Result(page, course, is_open, shown))
    return results


def _course_of(page) -> CoursePage | None:
    if isinstance(page, CoursePage):
        return page
    if isinstance(page, LessonPage):
        return page.course
    return None


def _text_of(page) -> str:
    if isinstance(page, LessonPage):
        parts = [page.objectives, *page.body.stream_block.get_searchable_content(page.body)]
    else:
        parts = [page.search_description, getattr(page, "introduction", "")]
    return " ".join(strip_tags(str(part)) for part in parts if part)


def _stem(word: str) -> str:
    """The start that the forms of a word share, near enough: "smuggl" for "smuggling",
    "smuggled" and "smugglers"."""
    word = word.lower()
    return word if len(word) <= 4 else word[: max(4, len(word) * 2 // 3)]


def snippet(text: str, words: list[str], size: int = SNIPPET_WORDS) -> SafeString:
    """About `size` words of `text` around the first that matches one of `words`, matches
    marked with <mark>; the text's start when none matches."""
    tokens = text.split()
    stems = [_stem(word) for word in words]

    def matches(token: str) -> bool:
        bare = re.sub(r"^\W+", "", token).lower()
        return any(bare.startswith(stem) for stem in stems)

    first = next((i for i, token in enumerate(tokens) if matches(token)), 0)
    start = max(0, first - size // 3)
    shown = tokens[start : start + size]
    html = " ".join(
        f"<mark>{escape(token)}</mark>" if matches(token) else escape(token) for token in shown
    )
    before = "… " if start > 0 else ""
    after = " …" if start + size < len(tokens) else ""
    return mark_safe(before + html + after)  # noqa: S308 every token escaped above


def mark_words(html: str, words: list[str]) -> SafeString:
    """`html` (safe, our own) with the words that match `words` marked, in its text only."""
    stems = [_stem(word) for word in words]

    def mark(found) -> str:
        word = found.group(0)
        return f"<mark>{word}</mark>" if any(word.lower().startswith(s) for s in stems) else word

    parts = re.split(r"(<[^>]*>)", str(html))
    marked = [
        part if part.startswith("<") else re.sub(r"(?<![&#\w])\w+", mark, part) for part in parts
    ]
    return mark_safe("".join(marked))  # noqa: S308 only <mark> added to safe HTML


def catalogue() -> Page | None:
    """The course catalogue, for readers who found nothing."""
    return CourseIndexPage.objects.live().first()
