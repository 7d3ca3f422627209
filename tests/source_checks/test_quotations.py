"""Every quotation in the shipped lessons is word for word in the document it comes from."""

from courses.content_loader import load_courses

ISSUE_PAPER = "unodc-issue-paper-smuggling-of-migrants-by-air.txt"


def quotes() -> list[str]:
    return [
        value["text"]
        for course in load_courses()
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
