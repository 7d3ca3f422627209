"""The check-digit arithmetic taught in *Checking documents* is recomputed with assessments.mrz.

Every number of the worked examples is read back from the lesson as shipped (the parsed body, as
`load_demo` stores it) and checked against the code that builds and marks the MRZ exercises, so
the lesson and the exercise cannot come to disagree.
"""

import html
import re

import pytest

from assessments.mrz import WEIGHTS, Specimen, character_value, check_digit, td3_lines
from courses.content_loader import load_courses

LESSON = next(
    lesson
    for course in load_courses()
    for lesson in course.lessons
    if lesson.slug == "checking-documents"
)
PRODUCT = re.compile(r"(?:\b([A-Z]) )?(\d+)×(\d+)=(\d+)")


def plain(rich_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", rich_text))


def callout(title_part: str) -> tuple[str, str]:
    found = [
        value for kind, value in LESSON.body if kind == "callout" and title_part in value["title"]
    ]
    assert len(found) == 1, f"one callout titled '...{title_part}...' in the lesson"
    return found[0]["title"], found[0]["text"]


def products(text: str) -> list[tuple[str, int, int, int]]:
    """(character, value, weight, product) for each 'C 12×7=84' or '4×1=4' in the text."""
    return [
        (letter or value, int(value), int(weight), int(product))
        for letter, value, weight, product in PRODUCT.findall(text)
    ]


def arithmetic_errors(working: list[tuple[str, int, int, int]], start: int = 0) -> list[str]:
    errors = []
    for position, (character, value, weight, product) in enumerate(working, start):
        if value != character_value(character):
            errors.append(f"{character} is worth {character_value(character)}, not {value}")
        if weight != WEIGHTS[position % 3]:
            errors.append(
                f"character {position + 1} ({character}) takes weight {WEIGHTS[position % 3]}"
            )
        if product != value * weight:
            errors.append(f"{value}×{weight} is {value * weight}, not {product}")
    return errors


def document_number_errors(text: str) -> list[str]:
    number = re.search(r"invented for training: ([A-Z0-9]{9})\.", text)[1]
    working = products(text)
    total, remainder = re.search(r"The total is (\d+), and \1 modulo 10 is (\d)", text).groups()
    shown = re.search(rf"{number} followed by (\d)", text)[1]
    errors = arithmetic_errors(working)
    if "".join(character for character, *_ in working) != number:
        errors.append("the working does not spell the document number")
    if int(total) != sum(product for *_, product in working):
        errors.append(f"the products do not add up to {total}")
    if not remainder == shown == check_digit(number):
        errors.append(f"the check digit of {number} is {check_digit(number)}")
    return errors


def stated_line2(text: str) -> tuple[Specimen, str]:
    """The specimen the composite example describes, and its line 2 as the lesson states it."""
    field = {
        name: re.search(pattern, text).groups()
        for name, pattern in {
            "state": r"passport of \w+ \(([A-Z]{3})\)",
            "number": r"Document number ([A-Z0-9]{9}), check digit (\d)",
            "nationality": r"nationality ([A-Z]{3})",
            "birth": r"Date of birth (\d{6}), check digit (\d)",
            "sex": r"sex ([MF<])",
            "expiry": r"Date of expiry (\d{6}), check digit (\d)",
            "optional": r"Optional data: (\d+) fillers, check digit (<|\d)",
            "composite": r"Composite check digit: (\d)",
        }.items()
    }
    specimen = Specimen(
        issuing_state=field["state"][0],
        surname="SPECIMEN",
        given_names="",
        document_number=field["number"][0],
        nationality=field["nationality"][0],
        birth_date=field["birth"][0],
        sex=field["sex"][0],
        expiry_date=field["expiry"][0],
    )
    line2 = (
        "".join(field["number"])
        + field["nationality"][0]
        + "".join(field["birth"])
        + field["sex"][0]
        + "".join(field["expiry"])
        + "<" * int(field["optional"][0])
        + field["optional"][1]
        + field["composite"][0]
    )
    return specimen, line2


def composite_working(rich_text: str, document_number_text: str):
    """The products of the composite's working, in order, each step's subtotal, and any errors."""
    working, subtotals, errors = [], [], []
    for step in re.findall(r"<li>(.*?)</li>", rich_text):
        step = html.unescape(step)
        if "makes" not in step:
            continue
        shown, carried = products(step), 0
        if earlier := re.search(r"the (\d+) above", step):
            carried = int(earlier[1])
            working += products(document_number_text)
            if carried != sum(product for *_, product in working):
                errors.append(f"{carried} is not the total worked out above")
        if fillers := re.search(r"(\d+) fillers, each worth 0", step):
            shown = [("<", 0, WEIGHTS[(len(working) + i) % 3], 0) for i in range(int(fillers[1]))]
        errors += arithmetic_errors(shown, start=len(working))
        working += shown
        subtotals.append(int(re.search(r"makes (\d+)", step)[1]))
        if subtotals[-1] != carried + sum(product for *_, product in shown):
            errors.append(f"'{step}' does not make {subtotals[-1]}")
    return working, subtotals, errors


def composite_errors(rich_text: str, document_number_text: str) -> list[str]:
    text = plain(rich_text)
    specimen, line2 = stated_line2(text)
    expected = td3_lines(specimen)[1]
    if line2 != expected:
        return [f"line 2 as stated, {line2}, should be {expected}"]
    covered = line2[0:10] + line2[13:20] + line2[21:43]
    working, subtotals, errors = composite_working(rich_text, document_number_text)
    if int(re.search(r"covers (\d+) characters", text)[1]) != len(covered):
        errors.append(f"the composite covers {len(covered)} characters")
    if "".join(character for character, *_ in working) != covered:
        errors.append(f"the working does not run through the {len(covered)} characters in order")
    addends, total = re.search(r"The total is ([\d +]+) = (\d+)", text).groups()
    if [int(a) for a in addends.split("+")] != subtotals or int(total) != sum(subtotals):
        errors.append(f"the total should be {' + '.join(map(str, subtotals))} = {sum(subtotals)}")
    remainder, digit = re.search(
        rf"{total} modulo 10 is (\d), so the composite check digit is (\d)", text
    ).groups()
    if not remainder == digit == str(int(total) % 10) == line2[43]:
        errors.append(f"the composite check digit is {line2[43]}")
    return errors


def test_both_worked_examples_are_marked_as_general_guidance():
    for title_part in ("a made-up document number", "the composite check digit"):
        title, _ = callout(title_part)
        assert "general guidance" in title
    method = [v for kind, v in LESSON.body if kind == "paragraph" and "7, 3, 1" in v]
    assert method and "<b>General guidance</b> from ICAO Doc 9303" in method[0]


def test_document_number_worked_example_is_right():
    _, text = callout("a made-up document number")
    assert document_number_errors(plain(text)) == []


def test_composite_worked_example_is_right():
    _, number_text = callout("a made-up document number")
    _, text = callout("the composite check digit")
    assert composite_errors(text, plain(number_text)) == []


@pytest.mark.parametrize(
    "wrong, right",
    [
        ("makes 94", "makes 95"),  # a subtotal
        ("the 294 above", "the 296 above"),  # the total carried from the first example
        ("4×7=28, makes 322", "4×7=28, makes 323"),  # the step that carries it
        ("2×3=6, makes 94", "2×1=2, makes 90"),  # a weight that restarts at the field
        ("check digit: 6", "check digit: 5"),  # the stated composite digit
        ("466 modulo 10 is 6", "466 modulo 10 is 4"),  # the remainder
        ("Date of expiry 330612", "Date of expiry 330613"),  # a field the working no longer fits
    ],
)
def test_a_drifted_composite_example_is_caught(wrong, right):
    _, number_text = callout("a made-up document number")
    _, text = callout("the composite check digit")
    assert wrong in text
    assert composite_errors(text.replace(wrong, right), plain(number_text)) != []


def test_the_birth_date_question_has_the_right_check_digit():
    question = next(q for q in LESSON.questions if "date of birth" in q["question"])
    date = re.search(r"\b(\d{6})\b", question["question"])[1]
    right = [choice for choice in question["choices"] if choice["is_correct"]]
    assert [choice["text"] for choice in right] == [check_digit(date)]
    weighted = sum(character_value(c) * WEIGHTS[i % 3] for i, c in enumerate(date))
    terms, total, remainder = re.search(
        r"([\d +]+) = (\d+), and \2 modulo 10 is (\d)", right[0]["feedback"]
    ).groups()
    assert [int(t) for t in terms.split("+")] == [
        character_value(c) * WEIGHTS[i % 3] for i, c in enumerate(date)
    ]
    assert int(total) == weighted and remainder == check_digit(date)
