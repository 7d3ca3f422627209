"""Machine-readable zones of passports (ICAO Doc 9303, TD3), built for training specimens.

Pure functions, no database: the quiz engine asks for a specimen with one check digit broken on
purpose, and the learner finds which. The check digit of a field weights its characters 7, 3, 1,
7, 3, 1, ... (digits are their value, A-Z are 10-35, the filler '<' is 0) and keeps the last
digit of the sum.
"""

from dataclasses import dataclass

LINE_LENGTH = 44
WEIGHTS = (7, 3, 1)
FIELDS = ("document_number", "birth_date", "expiry_date", "composite")
FAULTS = ("none", *FIELDS)  # what a specimen can have wrong: nothing, or one check digit


class SpecimenError(ValueError):
    pass


def character_value(character: str) -> int:
    if character.isdigit():
        return int(character)
    if "A" <= character <= "Z":
        return ord(character) - ord("A") + 10
    if character == "<":
        return 0
    raise SpecimenError(f"'{character}' cannot appear in a machine-readable zone")


def check_digit(field: str) -> str:
    total = sum(character_value(c) * WEIGHTS[i % 3] for i, c in enumerate(field))
    return str(total % 10)


@dataclass(frozen=True)
class Specimen:
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: str  # YYMMDD
    sex: str  # M, F or <
    expiry_date: str  # YYMMDD
    optional_data: str = ""

    def __post_init__(self):
        for name in ("birth_date", "expiry_date"):
            value = getattr(self, name)
            if len(value) != 6 or not value.isdigit():
                raise SpecimenError(f"{name} must be six digits (YYMMDD), not '{value}'")
            if not (1 <= int(value[2:4]) <= 12 and 1 <= int(value[4:6]) <= 31):
                raise SpecimenError(f"{name} '{value}' is not a date")
        if not 1 <= len(self.document_number) <= 9:
            raise SpecimenError("the document number has one to nine characters")
        if self.sex not in ("M", "F", "<"):
            raise SpecimenError("sex is M, F or <")
        if len(self.issuing_state) != 3 or len(self.nationality) != 3:
            raise SpecimenError("state codes have three letters")


def _pad(text: str, length: int) -> str:
    cleaned = "".join(c if c.isalnum() else "<" for c in text.upper())
    if len(cleaned) > length:
        cleaned = cleaned[:length]
    return cleaned.ljust(length, "<")


def _name_field(surname: str, given_names: str) -> str:
    names = _pad(surname, 39).rstrip("<") + "<<" + "<".join(given_names.upper().split())
    return _pad(names, 39)


def td3_lines(specimen: Specimen, *, fault: str = "none") -> tuple[str, str]:
    """The two 44-character lines, with the check digit of `fault` (a FIELDS name) made wrong."""
    if fault not in FAULTS:
        raise SpecimenError(f"unknown field '{fault}'")
    number = _pad(specimen.document_number, 9)
    optional = _pad(specimen.optional_data, 14)
    digits = {
        "document_number": check_digit(number),
        "birth_date": check_digit(specimen.birth_date),
        "expiry_date": check_digit(specimen.expiry_date),
        "optional": check_digit(optional) if specimen.optional_data else "<",
    }
    if fault in ("document_number", "birth_date", "expiry_date"):
        digits[fault] = _wrong(digits[fault])
    composite_source = (
        number
        + digits["document_number"]
        + specimen.birth_date
        + digits["birth_date"]
        + specimen.expiry_date
        + digits["expiry_date"]
        + optional
        + digits["optional"]
    )
    composite = check_digit(composite_source)
    if fault == "composite":
        composite = _wrong(composite)
    line1 = (
        "P<" + _pad(specimen.issuing_state, 3) + _name_field(specimen.surname, specimen.given_names)
    )
    line2 = (
        number
        + digits["document_number"]
        + _pad(specimen.nationality, 3)
        + specimen.birth_date
        + digits["birth_date"]
        + specimen.sex
        + specimen.expiry_date
        + digits["expiry_date"]
        + optional
        + digits["optional"]
        + composite
    )
    return line1, line2


def _wrong(digit: str) -> str:
    return str((int(digit) + 7) % 10)


def failing_fields(line2: str) -> list[str]:
    """Which check digits of a TD3 second line do not add up, in FIELDS order."""
    return [working.field for working in td3_working(line2) if not working.adds_up]


# The working of a check digit, as a learner shows it on paper: what each checked field holds,
# where it sits in the second line and where its printed check digit is (ICAO Doc 9303, TD3).
CHECKED_SPANS = {
    "document_number": (((0, 9),), 9),
    "birth_date": (((13, 19),), 19),
    "expiry_date": (((21, 27),), 27),
    "composite": (((0, 10), (13, 20), (21, 43)), 43),
}


@dataclass(frozen=True)
class Step:
    """One character of a checked field: its value, its weight and their product."""

    character: str
    value: int
    weight: int

    @property
    def product(self) -> int:
        return self.value * self.weight


@dataclass(frozen=True)
class Working:
    """How the check digit of one field is worked out, against the digit printed for it."""

    field: str  # a FIELDS name
    characters: str
    steps: tuple[Step, ...]
    printed: str

    @property
    def total(self) -> int:
        return sum(step.product for step in self.steps)

    @property
    def remainder(self) -> int:
        return self.total % 10

    @property
    def expected(self) -> str:
        return str(self.remainder)

    @property
    def adds_up(self) -> bool:
        return self.printed == self.expected


def field_working(field: str, characters: str, printed: str) -> Working:
    """The working for `characters` (the field as checked) and the digit printed for it."""
    steps = tuple(
        Step(character, character_value(character), WEIGHTS[i % 3])
        for i, character in enumerate(characters)
    )
    return Working(field=field, characters=characters, steps=steps, printed=printed)


def td3_working(line2: str) -> list[Working]:
    """The working of every checked field of a TD3 second line, in FIELDS order; the one whose
    printed digit differs from the expected one is the fault (`failing_fields` agrees)."""
    if len(line2) != LINE_LENGTH:
        raise SpecimenError(f"a TD3 line has {LINE_LENGTH} characters, not {len(line2)}")
    found = []
    for field in FIELDS:
        spans, digit_at = CHECKED_SPANS[field]
        characters = "".join(line2[start:end] for start, end in spans)
        found.append(field_working(field, characters, line2[digit_at]))
    return found
