"""IATI 2.03's ruleset as it applies to a Flightpath programme.

`problems(draft)` returns every problem at once as {field: [message, ...]}; each message names
its field in words, so a form, an import row or an API answer can show it as it is.
"""

import re
from collections import defaultdict
from decimal import Decimal

import airportsdata
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as iso_countries

from . import models
from .currencies import CURRENCIES
from .records import ProgrammeDraft

# IATI: an identifier must not contain "/", "&", "|", "?" or white space.
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9][^\s/&|?]*$")
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
DAC5_RE = re.compile(r"^\d{5}$")
HUNDRED = Decimal(100)
# The codelists a record's codes come from, each a set made once. Labels in the checks below
# are lazy: a check translates them only for a problem it reports.
THEMES = frozenset(models.Theme.values)
AGENCIES = frozenset(models.Agency.values)
MODALITIES = frozenset(models.Modality.values)
VISIBILITIES = frozenset(models.Visibility.values)
STATUSES = frozenset(models.ActivityStatus.values)
ROLES = frozenset(models.OrganisationRole.values)
CATEGORIES = frozenset(models.DocumentCategory.values)

_airports = None


def airport(iata: str) -> dict | None:
    """The airport with this IATA code (airportsdata), or None."""
    global _airports
    if _airports is None:
        _airports = airportsdata.load("IATA")
    return _airports.get((iata or "").upper())


def identifier_prefix(organisation) -> str:
    """The prefix of the identifiers an organisation reports: its IATI organisation identifier,
    or Flightpath's own `FP-<SLUG>` when it has none."""
    try:
        return organisation.iati_reference.ref
    except models.OrganisationReference.DoesNotExist:
        return "FP-" + organisation.slug.upper()


def problems(draft: ProgrammeDraft) -> dict[str, list[str]]:
    found = defaultdict(list)
    for check in CHECKS:
        for name, message in check(draft):
            found[name].append(message)
    return dict(found)


def _identifier(draft):
    if not draft.identifier:
        yield "identifier", _("Identifier: give the programme an identifier.")
        return
    if not IDENTIFIER_RE.match(draft.identifier):
        yield (
            "identifier",
            _("Identifier: use letters, digits, dashes and dots; no spaces, “/”, “&”, “|” or “?”."),
        )
    if draft.reporting_org is None:
        yield "reporting_org", _("Reporting organisation: choose the organisation reporting it.")
        return
    from .cache import identifier_prefix as kept  # kept per organisation, under the registry

    prefix = kept(draft.reporting_org) + "-"
    if not draft.identifier.startswith(prefix) or draft.identifier == prefix:
        yield (
            "identifier",
            _(
                "Identifier: it must start with the reporting organisation's prefix “%(prefix)s” "
                "followed by the organisation's own id."
            )
            % {"prefix": prefix},
        )


def _texts(draft):
    if not draft.texts:
        yield "title", _("Title: give the programme a title in at least one language.")
    seen = set()
    for text in draft.texts:
        if not LANGUAGE_RE.match(text.language or ""):
            yield "language", _("Language: use a two-letter ISO 639-1 code such as “en”.")
        elif text.language in seen:
            yield "language", _("Language: give one title and description per language.")
        seen.add(text.language)
        if not (text.title or "").strip():
            yield "title", _("Title: the title may not be empty.")
        if not (text.description or "").strip():
            yield "description", _("Description: describe the programme in a sentence or two.")


def _dates(draft):
    if draft.planned_start is None and draft.actual_start is None:
        yield "planned_start", _("Start date: give a planned or an actual start date.")
    for start, end, field_name, label in (
        (draft.planned_start, draft.planned_end, "planned_end", gettext_lazy("Planned end")),
        (draft.actual_start, draft.actual_end, "actual_end", gettext_lazy("Actual end")),
    ):
        if start and end and end < start:
            yield (
                field_name,
                _("%(label)s: the end date comes before the start date.") % {"label": label},
            )
    today = timezone.localdate()
    for value, field_name, label in (
        (draft.actual_start, "actual_start", gettext_lazy("Actual start")),
        (draft.actual_end, "actual_end", gettext_lazy("Actual end")),
    ):
        if value and value > today:
            yield (
                field_name,
                _("%(label)s: an actual date cannot be in the future.") % {"label": label},
            )


def _percentages(shares, field_name, label):
    """IATI: with more than one entry every entry has a percentage, and they add up to 100."""
    for share in shares:
        if share.percentage is not None and not (0 <= share.percentage <= HUNDRED):
            yield (
                field_name,
                _("%(label)s: a percentage lies between 0 and 100.") % {"label": label},
            )
            return
    if len(shares) < 2 and all(s.percentage in (None, HUNDRED) for s in shares):
        return
    if any(s.percentage is None for s in shares):
        yield field_name, _("%(label)s: give a percentage for each entry.") % {"label": label}
        return
    total = sum(s.percentage for s in shares)
    if total != HUNDRED:
        yield (
            field_name,
            _("%(label)s: the percentages add up to %(total)s, not 100.")
            % {
                "label": label,
                "total": f"{total.normalize():f}",
            },
        )


def _places(draft):
    label = gettext_lazy("Recipient countries")
    codes = [c.country for c in draft.countries]
    for code in codes:
        if code not in iso_countries:
            yield (
                "countries",
                _("Recipient countries: “%(code)s” is not an ISO 3166 code.") % {"code": code},
            )
    if len(set(codes)) != len(codes):
        yield "countries", _("Recipient countries: each country once.")
    yield from _percentages(draft.countries, "countries", label)
    for iata in draft.airports:
        if airport(iata) is None:
            yield (
                "airports",
                _("Airports: “%(code)s” is not a known IATA airport code.") % {"code": iata},
            )
    if draft.countries and any(b.recipient_country for b in draft.budgets):
        yield (
            "budgets",
            _(
                "Budgets: name the recipient country on the programme or on its budget lines, "
                "not both."
            ),
        )


def _sectors(draft):
    if not draft.sectors:
        yield "sectors", _("Sectors: give at least one sector, e.g. DAC 15190.")
    by_vocabulary = defaultdict(list)
    for sector in draft.sectors:
        by_vocabulary[sector.vocabulary].append(sector)
        if sector.vocabulary == "1" and not DAC5_RE.match(sector.code):
            yield (
                "sectors",
                _("Sectors: “%(code)s” is not a 5-digit OECD DAC code.") % {"code": sector.code},
            )
    for shares in by_vocabulary.values():
        yield from _percentages(shares, "sectors", gettext_lazy("Sectors"))


def _codes(draft):
    for values, allowed, field_name, label in (
        (draft.themes, THEMES, "themes", gettext_lazy("Themes")),
        (draft.agencies, AGENCIES, "agencies", gettext_lazy("Target agencies")),
        ([draft.modality], MODALITIES, "modality", gettext_lazy("Modality")),
        ([draft.visibility], VISIBILITIES, "visibility", gettext_lazy("Visibility")),
        ([draft.activity_status], STATUSES, "activity_status", gettext_lazy("Status")),
    ):
        for value in values:
            if value not in allowed:
                yield (
                    field_name,
                    _("%(label)s: “%(value)s” is not one of the choices.")
                    % {
                        "label": label,
                        "value": value,
                    },
                )
    for language in draft.languages:
        if not LANGUAGE_RE.match(language):
            yield "languages", _("Languages of delivery: use two-letter codes such as “fr”.")


def _people(draft):
    by_sex = (draft.participants_female or 0) + (draft.participants_male or 0)
    if draft.participants_actual is not None and by_sex > draft.participants_actual:
        yield (
            "participants_actual",
            _("Participants: women and men together are more than the participants."),
        )


def _organisations(draft):
    if not draft.participations:
        yield "participations", _("Participating organisations: name at least one, with its role.")
    for participation in draft.participations:
        if participation.role not in ROLES:
            yield "participations", _("Participating organisations: unknown role.")
    for budget in draft.budgets:
        if budget.amount is None or budget.amount <= 0:
            yield "budgets", _("Budgets: an amount is more than zero.")
        if budget.currency not in CURRENCIES:
            yield "budgets", _("Budgets: the currency is a three-letter ISO 4217 code.")
    for document in draft.documents:
        if document.category not in CATEGORIES:
            yield "documents", _("Documents: the category is one of IATI's document categories.")


CHECKS = (_identifier, _texts, _dates, _places, _sectors, _codes, _people, _organisations)
