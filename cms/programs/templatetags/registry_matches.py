"""The overlap check's matches on the create, edit and submit pages, written in Python: a
record may meet eighty matches, and each would otherwise cost an include and a few dozen template
lookups. Plain string building over the standard library's escape, marked safe once.

The strongest `SHOWN_IN_FULL` are shown with their titles, reasons and a decision each; the
rest are listed one line each inside a disclosure the person opens, each with its own decision,
and one box decides "different" for those left open (the view applies it only to them)."""

from html import escape
from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cms.programs.overlap import SHOWN_IN_FULL

register = template.Library()

# "Score 0.81" in each language, written once per process: scores are rounded to two places,
# so a language has at most a hundred and one of them.
_SCORES: dict[str, dict[float, str]] = {}


class _Words:
    """What every match repeats, translated and escaped once per page."""

    def __init__(self, decisions, relations):
        self.same = escape(_("Possibly the same programme"))
        self.overlap = escape(_("Overlapping effort"))
        self.score = escape(_("Score %(score)s"))
        self.scores = _SCORES.setdefault(get_language() or settings.LANGUAGE_CODE, {})
        self.decision = escape(_("Your decision"))
        self.how = escape(_("If related, how"))
        self.decisions = [(escape(value), escape(str(label))) for value, label in decisions]
        self.relations = [(escape(value), escape(str(label))) for value, label in relations]
        self.no_decision = _options(self.decisions, "")
        self.no_relation = _options(self.relations, "")
        # Every record's page is this address with its identifier in place of the marker.
        self.detail = escape(reverse("programs:detail", args=["IDENTIFIER"])).split("IDENTIFIER")

    def kind(self, match) -> str:
        return self.same if match.kind == "same" else self.overlap

    def scored(self, match) -> str:
        """ "Score 0.81", written once per score and language."""
        if match.score not in self.scores:
            self.scores[match.score] = self.score % {"score": escape(floatformat(match.score, 2))}
        return self.scores[match.score]


def _options(choices, chosen: str) -> str:
    return "".join(
        f'<option value="{value}"{" selected" if value == chosen else ""}>{label}</option>'
        for value, label in choices
    )


def _chosen(choices, chosen: str, unchosen: str) -> str:
    """The options with `chosen` selected; those with none selected are written once a page."""
    return _options(choices, escape(chosen)) if chosen else unchosen


def _relation(pk: int, match, words) -> str:
    options = _chosen(words.relations, getattr(match, "chosen_relation", ""), words.no_relation)
    return (
        f'<label for="relation-{pk}">{words.how}</label>'
        f'<select id="relation-{pk}" name="relation-{pk}"><option value="">—</option>'
        f"{options}</select>"
    )


def _link(other, words) -> str:
    identifier = escape(other.identifier)
    url = quote(other.identifier, safe="!$&'()*+,;=/~:@")
    return (
        f'<a href="{words.detail[0]}{escape(url)}{words.detail[1]}">{identifier}</a> '
        f'<span class="muted">({escape(other.reporting_org.name)})</span>'
    )


def _full(match, words) -> str:
    other, pk = match.programme, int(match.programme.pk)
    chosen = escape(getattr(match, "chosen", ""))
    titles = "".join(
        f'<li lang="{escape(language)}">{escape(title)}</li>' for language, title in match.titles
    )
    reasons = "".join(f"<li>{escape(str(reason))}</li>" for reason in match.reasons)
    radios = "".join(
        f'<label class="choice"><input type="radio" name="decision-{pk}" '
        f'value="{value}"{" checked" if value == chosen else ""} required> {label}</label>'
        for value, label in words.decisions
    )
    return (
        f'<fieldset class="match match--{escape(match.kind)}">'
        f"<legend>{words.kind(match)}: {_link(other, words)}</legend>"
        f'<input type="hidden" name="shown" value="{pk}">'
        f'<ul class="match__titles">{titles}</ul>'
        f'<p class="match__score">{words.scored(match)}</p>'
        f'<ul class="match__reasons">{reasons}</ul>'
        f'<div class="match__decision"><fieldset class="choice-group">'
        f"<legend>{words.decision}</legend>{radios}</fieldset>"
        f"{_relation(pk, match, words)}</div></fieldset>"
    )


def _line(match, words) -> str:
    other, pk = match.programme, int(match.programme.pk)
    reasons = escape("; ".join(str(reason) for reason in match.reasons))
    what = f"{_link(other, words)} · {words.kind(match)} · {words.scored(match)}"
    return (
        f'<li class="match-line match-line--{escape(match.kind)}">'
        f'<input type="hidden" name="shown" value="{pk}">'
        f'<p class="match-line__what">{what}</p>'
        f'<p class="match-line__reasons">{reasons}</p>'
        f'<div class="match-line__decision">'
        f'<label for="decision-{pk}">{words.decision}</label>'
        f'<select id="decision-{pk}" name="decision-{pk}"><option value="">—</option>'
        f"{_chosen(words.decisions, getattr(match, 'chosen', ''), words.no_decision)}</select>"
        f"{_relation(pk, match, words)}</div></li>"
    )


@register.simple_tag
def match_list(matches, decisions, relations, *, rest_different=False, open_rest=False):
    """Every match with its decision: the strongest in full, the rest a line each."""
    full, rest = matches[:SHOWN_IN_FULL], matches[SHOWN_IN_FULL:]
    words = _Words(decisions, relations)
    parts = [_full(match, words) for match in full]
    if rest:
        opened = open_rest or any(getattr(m, "chosen", "") for m in rest)
        summary = ngettext(
            "%(count)d more match, with a lower score",
            "%(count)d more matches, with lower scores",
            len(rest),
        ) % {"count": len(rest)}
        # Outside the f-string, where makemessages finds it.
        different = _("Each match below that I leave undecided is a different programme")
        parts.append(
            f'<details class="matches__more"{" open" if opened else ""}>'
            f"<summary>{escape(summary)}</summary>"
            f'<label class="choice"><input type="checkbox" name="rest-different" value="1"'
            f"{' checked' if rest_different else ''}> "
            f"{escape(different)}"
            f'</label><ol class="match-lines">'
        )
        parts += [_line(match, words) for match in rest]
        parts.append("</ol></details>")
    return mark_safe("".join(parts))  # noqa: S308 every value escaped as it is added


@register.simple_tag
def carried_fields(carried):
    """What the person typed, as hidden fields: (name, value) pairs, a name as often as it was
    posted (themes, agencies)."""
    return mark_safe(  # noqa: S308 every value escaped as it is added
        "".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in carried
        )
    )
