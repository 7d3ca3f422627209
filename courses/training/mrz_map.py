"""The position map of a passport's machine-readable zone (ICAO Doc 9303, TD3), for handouts.

Which characters of the two 44-character lines hold which field, and where the check digits
are. The check digits' positions and what each covers are taken from `assessments.mrz`, the
code that builds and marks the MRZ exercises, so the handout and the exercises agree.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments import mrz

# A specimen of Utopia, the imaginary State of ICAO's examples (ICAO Doc 9303).
SPECIMEN = mrz.Specimen(
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

CHECK_DIGIT_LABELS = {
    "document_number": _("check digit of the document number"),
    "birth_date": _("check digit of the date of birth"),
    "expiry_date": _("check digit of the date of expiry"),
    "composite": _("composite check digit"),
}


@dataclass(frozen=True)
class Field:
    """Characters `start` to `end` (0-based, end excluded) of one line."""

    key: str
    label: str
    start: int
    end: int
    check_digit: bool = False
    covers: str = ""  # for a check digit: what it is computed over

    @property
    def first(self) -> int:
        """The first position, counted from 1 as the handout shows it."""
        return self.start + 1

    @property
    def last(self) -> int:
        return self.end

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def slice(self) -> str:
        """For the `slice` template filter: this field's characters of its line."""
        return f"{self.start}:{self.end}"


def _check(field: str, covers: str) -> Field:
    _spans, at = mrz.CHECKED_SPANS[field]
    return Field(
        f"{field.replace('_', '-')}-check", CHECK_DIGIT_LABELS[field], at, at + 1, True, covers
    )


def _spans_text(field: str) -> str:
    spans, _at = mrz.CHECKED_SPANS[field]
    return ", ".join(f"{start + 1}–{end}" for start, end in spans)


def line1_fields() -> list[Field]:
    return [
        Field("document-code", _("document code (P: passport) and type"), 0, 2),
        Field("issuing-state", _("issuing State or organisation"), 2, 5),
        Field("name", _("surname, <<, given names; < fills the rest"), 5, mrz.LINE_LENGTH),
    ]


def line2_fields() -> list[Field]:
    number_spans = mrz.CHECKED_SPANS["document_number"][0]
    birth_spans = mrz.CHECKED_SPANS["birth_date"][0]
    expiry_spans = mrz.CHECKED_SPANS["expiry_date"][0]
    composite_at = mrz.CHECKED_SPANS["composite"][1]
    expiry_check = mrz.CHECKED_SPANS["expiry_date"][1]
    optional_check = composite_at - 1
    return [
        Field("document-number", _("document number"), *number_spans[0]),
        _check(
            "document_number", _("positions %(spans)s") % {"spans": _spans_text("document_number")}
        ),
        Field("nationality", _("nationality"), number_spans[0][1] + 1, birth_spans[0][0]),
        Field("birth-date", _("date of birth (YYMMDD)"), *birth_spans[0]),
        _check("birth_date", _("positions %(spans)s") % {"spans": _spans_text("birth_date")}),
        Field("sex", _("sex (M, F or <)"), birth_spans[0][1] + 1, expiry_spans[0][0]),
        Field("expiry-date", _("date of expiry (YYMMDD)"), *expiry_spans[0]),
        _check("expiry_date", _("positions %(spans)s") % {"spans": _spans_text("expiry_date")}),
        Field(
            "optional-data", _("optional data (personal number)"), expiry_check + 1, optional_check
        ),
        Field(
            "optional-data-check",
            _("check digit of the optional data (< when it is empty)"),
            optional_check,
            optional_check + 1,
            True,
            _("positions %(first)s–%(last)s") % {"first": expiry_check + 2, "last": optional_check},
        ),
        _check("composite", _("positions %(spans)s") % {"spans": _spans_text("composite")}),
    ]


@dataclass(frozen=True)
class Cell:
    position: int  # from 1
    character: str
    field: Field


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    fields: list[Field]
    cells: list[Cell]


def position_map() -> list[Line]:
    """Both lines of the specimen, each character with its position and field."""
    lines = []
    for number, (text, fields) in enumerate(
        zip(mrz.td3_lines(SPECIMEN), (line1_fields(), line2_fields()), strict=True), start=1
    ):
        by_position = {i: f for f in fields for i in range(f.start, f.end)}
        cells = [Cell(i + 1, character, by_position[i]) for i, character in enumerate(text)]
        lines.append(Line(number, text, fields, cells))
    return lines
