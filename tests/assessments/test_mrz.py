"""Check digits and specimen zones follow ICAO Doc 9303; no database."""

import pytest

from assessments.mrz import FIELDS, Specimen, SpecimenError, check_digit, failing_fields, td3_lines

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
