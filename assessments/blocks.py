"""The questions a trainer puts in a quiz. Correct answers stay on the server: templates that
learners see are given prompts and choice texts only, never `is_correct` or points."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import mrz

KEY_HELP = _("Short and unique in this quiz, e.g. q1. Branching choices name it in 'Leads to'.")
POINTS_HELP = _("Points per dimension, e.g. 'detection: 1, rights: -2'. Empty: 1 if correct.")
CRITICAL_HELP = _(
    "Dimensions that taking this choice fails whatever the points, e.g. 'rights' for an "
    "unlawful choice. Comma-separated; empty for none."
)
REASON_HELP = _("Why the choice is critical, shown on the result page. Empty: its feedback.")
CRITICAL = "critical"  # in the Markdown form of points: {detection: 2, critical: rights}


def _parts(text: str) -> list[str]:
    return list(filter(None, (p.strip() for p in (text or "").split(","))))


def parse_points(text: str) -> dict[str, int]:
    points = {}
    for part in _parts(text):
        name, _sep, value = part.partition(":")
        try:
            points[name.strip()] = int(value)
        except ValueError as e:
            raise ValidationError(
                _("“%(part)s” is not 'dimension: number'.") % {"part": part}
            ) from e
    return points


def parse_critical(text: str) -> list[str]:
    """The dimensions a 'Critical on' field names."""
    return _parts(text)


def split_critical(text: str) -> tuple[str, list[str]]:
    """The Markdown form `detection: 2, critical: rights` as points text and the critical
    dimensions (`critical:` may be repeated for more than one)."""
    points, critical = [], []
    for part in _parts(text):
        name, _sep, value = part.partition(":")
        if name.strip() == CRITICAL:
            critical.append(value.strip())
        else:
            points.append(part)
    return ", ".join(points), critical


def choice_critical(choice) -> tuple[tuple[str, ...], str]:
    """(dimensions, reason) of an authored choice; a revision saved before choices could be
    critical has neither."""
    dimensions = tuple(parse_critical(choice.get("critical_on") or ""))
    return dimensions, (choice.get("reason") or choice.get("feedback") or "") if dimensions else ""


# The answers to an MRZ question, in mrz.FAULTS order, as learners read them.
MRZ_FAULT_CHOICES = [
    ("none", _("None: every check digit adds up")),
    ("document_number", _("Document number")),
    ("birth_date", _("Date of birth")),
    ("expiry_date", _("Date of expiry")),
    ("composite", _("Composite")),
]


class StructureBlock(blocks.CharBlock):
    """Text the quiz's grading or route depends on (a key, points, a target, a specimen's
    data): the same in every language, so translators are never offered it."""

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class PointsBlock(StructureBlock):
    def clean(self, value):
        value = super().clean(value)
        parse_points(value)
        return value


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    is_correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    feedback = blocks.CharBlock(required=False)
    points = PointsBlock(required=False, help_text=POINTS_HELP)
    critical_on = StructureBlock(required=False, label=_("Critical on"), help_text=CRITICAL_HELP)
    reason = blocks.CharBlock(required=False, label=_("Reason"), help_text=REASON_HELP)


class StepChoiceBlock(AnswerChoiceBlock):
    leads_to = StructureBlock(help_text=_("The key of the next step, or end:ending-slug."))


class QuestionBlock(blocks.StructBlock):
    key = StructureBlock(max_length=20, help_text=KEY_HELP)
    prompt = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul"])
    competencies = StructureBlock(
        required=False, help_text=_("Comma-separated, e.g. indicators, documents, rights.")
    )


class ChoiceQuestionBlock(QuestionBlock):
    """A question whose choices each attempt shows in an order of its own, unless pinned."""

    pin_order = blocks.BooleanBlock(
        required=False,
        label=_("Keep the authored order"),
        help_text=_(
            "Only where the order carries meaning, such as a scale or “none of the above”: "
            "otherwise each attempt shows the choices in an order of its own."
        ),
    )


class SingleChoiceQuestionBlock(ChoiceQuestionBlock):
    choices = blocks.ListBlock(AnswerChoiceBlock(), min_num=2)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleResponseQuestionBlock(ChoiceQuestionBlock):
    choices = blocks.ListBlock(AnswerChoiceBlock(), min_num=3)

    class Meta:
        icon = "list-ul"
        label = _("Multiple response")


class TrueFalseQuestionBlock(ChoiceQuestionBlock):
    choices = blocks.ListBlock(AnswerChoiceBlock(), min_num=2, max_num=2)

    class Meta:
        icon = "tick"
        label = _("True or false")


class OrderingQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        AnswerChoiceBlock(),
        min_num=3,
        help_text=_("In the right order; learners see them shuffled."),
    )

    class Meta:
        icon = "order"
        label = _("Ordering")


class MrzQuestionBlock(QuestionBlock):
    """A specimen passport zone built by the server, with one check digit broken (or none)."""

    surname = StructureBlock()
    given_names = StructureBlock()
    document_number = StructureBlock(max_length=9)
    birth_date = StructureBlock(max_length=6, help_text="YYMMDD")
    sex = blocks.ChoiceBlock(choices=[("F", "F"), ("M", "M"), ("<", "<")])
    expiry_date = StructureBlock(max_length=6, help_text="YYMMDD")
    fault = blocks.ChoiceBlock(choices=MRZ_FAULT_CHOICES)

    class Meta:
        icon = "form"
        label = _("Passport zone (MRZ)")

    def clean(self, value):
        value = super().clean(value)
        try:
            specimen(value)
        except mrz.SpecimenError as e:
            raise blocks.StructBlockValidationError(
                block_errors={"birth_date": ValidationError(str(e))}
            ) from e
        return value


def specimen(value) -> mrz.Specimen:
    return mrz.Specimen(
        "UTO",
        value["surname"],
        value["given_names"],
        value["document_number"],
        "UTO",
        value["birth_date"],
        value["sex"],
        value["expiry_date"],
    )


class StepQuestionBlock(ChoiceQuestionBlock):
    choices = blocks.ListBlock(StepChoiceBlock(), min_num=2)

    class Meta:
        icon = "redirect"
        label = _("Scenario step")


class QuestionsBlock(blocks.StreamBlock):
    single = SingleChoiceQuestionBlock()
    multiple = MultipleResponseQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    ordering = OrderingQuestionBlock()
    mrz = MrzQuestionBlock()
    step = StepQuestionBlock()


class EndingBlock(blocks.StructBlock):
    slug = StructureBlock(max_length=50)
    title = blocks.CharBlock()
    text = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul"])

    class Meta:
        icon = "flag"
        label = _("Scenario ending")
