"""Every quotation in the shipped lessons is word for word in the document it comes from."""

from courses.content_loader import load_courses, load_translations

ISSUE_PAPER = "unodc-issue-paper-smuggling-of-migrants-by-air.txt"


def quotes() -> list[str]:
    """Every quotation of the lessons, their translations' included: a translation quotes
    the source in its own words, in English."""
    translated = [course for found in load_translations().values() for _, course in found]
    return [
        value["text"]
        for course in [*load_courses(), *translated]
        for lesson in course.lessons
        for kind, value in lesson.body
        if kind == "quote"
    ]


def test_protocol_definition_is_quoted_exactly_as_the_issue_paper_gives_it(sources):
    paper = " ".join((sources / ISSUE_PAPER).read_text().split())
    found = quotes()
    assert found
    for quote in found:
        assert " ".join(quote.split()) in paper
