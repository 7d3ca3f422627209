"""Check digits and specimen zones follow ICAO Doc 9303; no database."""

import pytest

from assessments.mrz import (
    FAULTS,
    FIELDS,
    Specimen,
    SpecimenError,
    check_digit,
    failing_fields,
    td3_lines,
    td3_working,
)

ICAO_SPECIMEN = Specimen(
    issuing_state="UTO",
    surname="Eriksson",
    given_names="Anna Maria",
    document_number="L898902C3",
    nationality="UTO",
    birth_date="740812",
    sex="F",
    expiry_date="120415",
    optional_data="ZE184226B",
)


@pytest.mark.parametrize(
    "field,digit",
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("CZ4817256", "4"),
        ("850317", "2"),
    ],
)
def test_check_digit_weights_seven_three_one(field, digit):
    assert check_digit(field) == digit


def test_icao_published_specimen_is_reproduced_exactly():
    line1, line2 = td3_lines(ICAO_SPECIMEN)
    assert line1 == "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    assert line2 == "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


@pytest.mark.parametrize("fault", FIELDS)
def test_each_broken_field_and_only_it_fails(fault):
    _line1, line2 = td3_lines(ICAO_SPECIMEN, fault=fault)
    assert failing_fields(line2) == [fault]


def test_sound_specimen_has_no_failing_field():
    assert failing_fields(td3_lines(ICAO_SPECIMEN)[1]) == []


def test_lines_are_always_44_characters():
    long_names = Specimen(
        "UTO",
        "Abernathy-Montgomery-Smythe",
        "Maximilian Alexander Johannes",
        "X1",
        "UTO",
        "991231",
        "M",
        "300101",
    )
    line1, line2 = td3_lines(long_names)
    assert len(line1) == len(line2) == 44
    assert failing_fields(line2) == []


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"birth_date": "741312"}, "not a date"),
        ({"expiry_date": "12041"}, "six digits"),
        ({"document_number": "L8989020000"}, "one to nine"),
        ({"sex": "X"}, "M, F or <"),
    ],
)
def test_impossible_specimens_are_refused(changes, message):
    values = {**ICAO_SPECIMEN.__dict__, **changes}
    with pytest.raises(SpecimenError, match=message):
        Specimen(**values)


def test_unknown_fault_is_refused():
    with pytest.raises(SpecimenError):
        td3_lines(ICAO_SPECIMEN, fault="nationality")


# The working shown after submission: each character's value, the 7-3-1 weights, the sum, the
# remainder and the expected digit against the printed one.
def working_by_field(line2):
    return {working.field: working for working in td3_working(line2)}


def test_working_of_the_icao_specimen_shows_each_character_value_and_weight():
    number = working_by_field(td3_lines(ICAO_SPECIMEN)[1])["document_number"]
    assert number.characters == "L898902C3"
    assert [(s.character, s.value, s.weight, s.product) for s in number.steps[:3]] == [
        ("L", 21, 7, 147),
        ("8", 8, 3, 24),
        ("9", 9, 1, 9),
    ]
    assert number.steps[7].value == 12  # C
    assert number.total == sum(s.value * s.weight for s in number.steps)
    assert (number.remainder, number.expected, number.printed) == (6, "6", "6")
    assert number.adds_up


def test_working_counts_the_filler_as_nothing_in_the_composite():
    composite = working_by_field(td3_lines(ICAO_SPECIMEN)[1])["composite"]
    assert composite.characters == "L898902C36" + "7408122" + "1204159ZE184226B<<<<<1"
    fillers = [s for s in composite.steps if s.character == "<"]
    assert fillers and all(s.value == 0 and s.product == 0 for s in fillers)
    assert [s.weight for s in composite.steps[:6]] == [7, 3, 1, 7, 3, 1]
    assert (composite.expected, composite.printed) == ("0", "0")


@pytest.mark.parametrize("fault", FAULTS)
def test_working_agrees_with_the_check_digits_and_finds_the_fault(fault):
    _line1, line2 = td3_lines(ICAO_SPECIMEN, fault=fault)
    for working in td3_working(line2):
        assert working.expected == check_digit(working.characters)
        assert working.expected == str(working.total % 10)
        assert working.adds_up == (working.field != fault)
    assert [w.field for w in td3_working(line2) if not w.adds_up] == failing_fields(line2)


def test_working_names_every_checked_field_in_order():
    assert [w.field for w in td3_working(td3_lines(ICAO_SPECIMEN)[1])] == list(FIELDS)


def test_working_refuses_a_line_of_the_wrong_length():
    with pytest.raises(SpecimenError):
        td3_working("L898902C36UTO")


def test_working_include_is_an_accessible_table_naming_the_fault():
    from django.template.loader import render_to_string

    line2 = td3_lines(ICAO_SPECIMEN, fault="expiry_date")[1]
    html = render_to_string(
        "assessments/includes/mrz_working.html",
        {"working": td3_working(line2), "heading_id": "q7"},
    )
    assert html.count("<caption") == 4 and 'id="q7-expiry_date-caption"' in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.count("it does not add up.") == 1 and html.count("it adds up.") == 3
    assert "&lt;" in html  # the filler, shown as a character of the composite
