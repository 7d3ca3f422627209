from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

_ORDER_SALT = "flightpath.courses.check-understanding"
_OPTION_SALT = "flightpath.courses.check-understanding.option"
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning")), ("example", _("Example"))],
        default="info",
    )
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout_block.html"
        label = _("Callout")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text=_("Quote exactly, word for word."))
    attribution = blocks.CharBlock()

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote_block.html"
        label = _("Quotation")


class KeyPointsBlock(blocks.StructBlock):
    points = blocks.ListBlock(blocks.CharBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/key_points_block.html"
        label = _("Key points")


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    is_correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    feedback = blocks.CharBlock(required=False)


class CheckUnderstandingBlock(blocks.StructBlock):
    """A formative question: the learner chooses, checks, and sees whether it was right and
    the feedback on their choice. Recorded for the learner's own progress, not graded.

    A lesson is one rendering shared by its readers, so nothing in it may be personal or say
    which option is right. The options are shown in an order drawn once per question, not as
    written: sorted by an HMAC under SECRET_KEY of the question and the option, the same in
    every rendering and unknown to learners. Each option is sent as an opaque key, an HMAC of
    the lesson, the question block and the option's text, which the server maps back; an
    option rewritten since the page was read no longer matches (a stale answer)."""

    question = blocks.CharBlock()
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)

    class Meta:
        icon = "help"
        template = "courses/blocks/check_understanding_block.html"
        label = _("Check your understanding")

    def shown_choices(self, value) -> list:
        def drawn(choice) -> str:
            text = f"{value['question']}\n{choice['text']}"
            return salted_hmac(_ORDER_SALT, text, algorithm="sha256").hexdigest()

        return sorted(value["choices"], key=drawn)

    def find_choice(self, value, *, lesson_id, block_id, key: str):
        """The option whose opaque key is `key`, or None (forged, or stale)."""
        for choice in value["choices"]:
            if constant_time_compare(option_key(lesson_id, block_id, choice["text"]), key):
                return choice
        return None

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        lesson_id, block_id = context.get("lesson_id"), context.get("block_id")
        # Only the text and the opaque key reach the template: never correctness or feedback.
        context["choices"] = [
            {
                "text": choice["text"],
                "key": option_key(lesson_id, block_id, choice["text"]) if block_id else "",
            }
            for choice in self.shown_choices(value)
        ]
        return context


def option_key(lesson_id, block_id, text: str) -> str:
    """The opaque identifier of an option of a lesson question, as sent to browsers."""
    message = f"{lesson_id}\n{block_id}\n{text}"
    return salted_hmac(_OPTION_SALT, message, algorithm="sha256").hexdigest()[:24]


class SourceNoteBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/source_note_block.html"
        label = _("Source note")


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/figure_block.html"
        label = _("Image")


class QuizBlock(blocks.StructBlock):
    """A scenario quiz placed in a lesson: a link to it, graded on its own page."""

    quiz = SnippetChooserBlock("assessments.Quiz")

    class Meta:
        icon = "help"
        template = "courses/blocks/quiz_block.html"
        label = _("Scenario quiz")


class H5PActivityBlock(blocks.StructBlock):
    """An H5P activity, played in a sandboxed frame from the H5P content origin."""

    activity = SnippetChooserBlock("assessments.H5PPackage")
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "courses/blocks/h5p_block.html"
        label = _("H5P activity")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["content_origin"] = settings.H5P_CONTENT_ORIGIN
        return context


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    image = FigureBlock()
    embed = EmbedBlock(label=_("Video or embed"), icon="media")
    callout = CalloutBlock()
    quote = QuoteBlock()
    key_points = KeyPointsBlock()
    check_understanding = CheckUnderstandingBlock()
    source_note = SourceNoteBlock()
    quiz = QuizBlock()
    h5p = H5PActivityBlock()
