"""The site's programme form: plain fields, lists written as text, turned into a draft."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.accounts.models import Organisation

from . import cache
from .currencies import CURRENCIES
from .models import (
    ActivityStatus,
    Agency,
    DocumentCategory,
    Modality,
    OrganisationRole,
    Theme,
    Visibility,
)
from .records import (
    Budget,
    CountryShare,
    Document,
    Participation,
    ProgrammeDraft,
    SectorShare,
    Text,
)
from .rendering import renderer

ROLE_NAMES = {
    "funding": OrganisationRole.FUNDING,
    "accountable": OrganisationRole.ACCOUNTABLE,
    "extending": OrganisationRole.EXTENDING,
    "implementing": OrganisationRole.IMPLEMENTING,
}
# Draft problems reported under the form field that asks for them.
FIELD_FOR_PROBLEM = {"identifier": "own_id", "participations": "participating_orgs"}


class DateInput(forms.DateInput):
    input_type = "date"


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,;\n]", text or "") if item.strip()]


def _shares(text: str, label: str) -> list[tuple[str, Decimal | None]]:
    """'KE 60, UG 40' as [('KE', 60), ('UG', 40)]; a share without a number has None."""
    shares = []
    for item in _items(text):
        code, _space, number = item.partition(" ")
        try:
            percentage = Decimal(number.strip().rstrip("%")) if number.strip() else None
        except InvalidOperation:
            raise forms.ValidationError(
                _("%(label)s: “%(item)s” is not a code followed by a percentage.")
                % {"label": label, "item": item}
            ) from None
        shares.append((code.strip(), percentage))
    return shares


class _SharedChoices:
    """Choices shared by every copy of the field. Django deep-copies a form's fields for each
    form it builds, choices and all, and the programme form, built on every check of the
    registry, holds seven lists of them. Choices are only ever replaced, never changed in
    place, so each copy reading the same list is safe; the widget is still copied."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class ChoiceField(_SharedChoices, forms.ChoiceField):
    pass


class TypedChoiceField(_SharedChoices, forms.TypedChoiceField):
    pass


class MultipleChoiceField(_SharedChoices, forms.MultipleChoiceField):
    pass


class ProgrammeForm(forms.Form):
    default_renderer = renderer
    reporting_org = forms.ModelChoiceField(
        label=gettext_lazy("Reporting organisation"),
        queryset=Organisation.objects.all(),
        required=False,
    )
    own_id = forms.CharField(
        label=gettext_lazy("Your organisation's own id for it"),
        max_length=80,
        help_text=gettext_lazy("The identifier is your organisation's prefix followed by this id."),
    )
    language = ChoiceField(label=gettext_lazy("Language of the title"), choices=settings.LANGUAGES)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    activity_status = TypedChoiceField(
        label=gettext_lazy("Status"), choices=ActivityStatus.choices, coerce=int
    )
    planned_start = forms.DateField(
        label=gettext_lazy("Planned start"), required=False, widget=DateInput
    )
    planned_end = forms.DateField(
        label=gettext_lazy("Planned end"), required=False, widget=DateInput
    )
    actual_start = forms.DateField(
        label=gettext_lazy("Actual start"), required=False, widget=DateInput
    )
    actual_end = forms.DateField(label=gettext_lazy("Actual end"), required=False, widget=DateInput)
    countries = forms.CharField(
        label=gettext_lazy("Recipient countries"),
        required=False,
        help_text=gettext_lazy(
            "ISO codes with percentages, e.g. “KE 60, UG 40”; one country needs none."
        ),
    )
    airports = forms.CharField(
        label=gettext_lazy("Airports"),
        required=False,
        help_text=gettext_lazy("IATA codes, e.g. “NBO, MBA”."),
    )
    sectors = forms.CharField(
        label=gettext_lazy("Sectors"),
        initial="15190",
        help_text=gettext_lazy(
            "OECD DAC 5-digit codes with percentages, e.g. “15190 70, 15130 30”."
        ),
    )
    themes = MultipleChoiceField(
        label=gettext_lazy("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    agencies = MultipleChoiceField(
        label=gettext_lazy("Target agencies"),
        choices=Agency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modality = ChoiceField(label=gettext_lazy("Modality"), choices=Modality.choices)
    languages = MultipleChoiceField(
        label=gettext_lazy("Languages of delivery"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_planned = forms.IntegerField(
        label=gettext_lazy("Participants planned"), min_value=0, required=False
    )
    participants_actual = forms.IntegerField(
        label=gettext_lazy("Participants actual"), min_value=0, required=False
    )
    participants_female = forms.IntegerField(
        label=gettext_lazy("Women"), min_value=0, required=False
    )
    participants_male = forms.IntegerField(label=gettext_lazy("Men"), min_value=0, required=False)
    participating_orgs = forms.CharField(
        label=gettext_lazy("Participating organisations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One a line: a name or alias, a comma, and its role (funding, accountable, "
            "extending or implementing), e.g. “ONUDC, funding”."
        ),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact name"), max_length=200, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    visibility = ChoiceField(label=gettext_lazy("Who may see it"), choices=Visibility.choices)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if organisation is not None:
            del self.fields["reporting_org"]
        else:
            self.fields["reporting_org"].required = True
        self.fields["token"].initial = uuid.uuid4()

    def clean_countries(self):
        label = _("Recipient countries")
        return [
            CountryShare(code.upper(), p)
            for code, p in _shares(self.cleaned_data["countries"], label)
        ]

    def clean_airports(self):
        return [code.upper() for code in _items(self.cleaned_data["airports"])]

    def clean_sectors(self):
        return [
            SectorShare(code, p) for code, p in _shares(self.cleaned_data["sectors"], _("Sectors"))
        ]

    def clean_participating_orgs(self):
        found = []
        for line in (self.cleaned_data["participating_orgs"] or "").splitlines():
            if not line.strip():
                continue
            name, _comma, role = line.rpartition(",")
            role_code = ROLE_NAMES.get(role.strip().lower())
            if not name.strip() or role_code is None:
                raise forms.ValidationError(
                    _("Participating organisations: “%(line)s” is not a name, a comma and a role.")
                    % {"line": line.strip()}
                )
            organisation = cache.organisation_resolve(name=name) or Organisation(name=name.strip())
            found.append(Participation(organisation, int(role_code)))
        return found

    def reporting_organisation(self):
        return self.organisation or self.cleaned_data.get("reporting_org")

    def to_draft(self) -> ProgrammeDraft:
        data = self.cleaned_data
        reporting = self.reporting_organisation()
        return ProgrammeDraft(
            identifier=f"{cache.identifier_prefix(reporting)}-{data['own_id'].strip()}",
            reporting_org=reporting,
            default_language=data["language"],
            texts=[Text(data["language"], data["title"], data["description"])],
            **{
                name: data[name]
                for name in (
                    "activity_status",
                    "planned_start",
                    "planned_end",
                    "actual_start",
                    "actual_end",
                    "countries",
                    "airports",
                    "sectors",
                    "themes",
                    "agencies",
                    "languages",
                    "modality",
                    "participants_planned",
                    "participants_actual",
                    "participants_female",
                    "participants_male",
                    "contact_name",
                    "contact_email",
                    "visibility",
                )
            },
            participations=data["participating_orgs"],
        )

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for name, messages in problems.items():
            field = FIELD_FOR_PROBLEM.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


def initial_from_draft(draft: ProgrammeDraft, prefix: str) -> dict:
    """The form's fields for a saved programme (editing it)."""
    text = next((t for t in draft.texts if t.language == draft.default_language), draft.texts[0])
    roles = {int(code): name for name, code in ROLE_NAMES.items()}

    def share(code, percentage):
        return f"{code} {percentage.normalize():f}" if percentage is not None else code

    return {
        "own_id": draft.identifier.removeprefix(prefix + "-"),
        "language": text.language,
        "title": text.title,
        "description": text.description,
        "countries": ", ".join(share(c.country, c.percentage) for c in draft.countries),
        "airports": ", ".join(draft.airports),
        "sectors": ", ".join(share(s.code, s.percentage) for s in draft.sectors),
        "participating_orgs": "\n".join(
            f"{p.organisation.name}, {roles[p.role]}" for p in draft.participations
        ),
        **{
            name: getattr(draft, name)
            for name in (
                "activity_status",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "themes",
                "agencies",
                "languages",
                "modality",
                "participants_planned",
                "participants_actual",
                "participants_female",
                "participants_male",
                "contact_name",
                "contact_email",
                "visibility",
            )
        },
    }


# Budget lines and document links: a formset each, one fieldset a line on a phone -------------


class BudgetForm(forms.Form):
    """What one funder puts in: the funder by any of its names, an amount and its currency."""

    default_renderer = renderer

    funder = forms.CharField(
        label=gettext_lazy("Funder"),
        max_length=200,
        help_text=gettext_lazy("A name or alias, in any language."),
        error_messages={
            "required": gettext_lazy("Funder: name the organisation that funds this line.")
        },
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=False,
        error_messages={
            "required": gettext_lazy("Budget amount: give the amount."),
            "invalid": gettext_lazy("Budget amount: a number, e.g. 25000 or 1200.50."),
            "min_value": gettext_lazy("Budget amount: more than zero."),
            "max_digits": gettext_lazy("Budget amount: at most twelve digits before the point."),
            "max_decimal_places": gettext_lazy(
                "Budget amount: at most two digits after the point."
            ),
            "max_whole_digits": gettext_lazy(
                "Budget amount: at most twelve digits before the point."
            ),
        },
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=10,
        help_text=gettext_lazy("Its ISO 4217 code, e.g. EUR, USD or KES."),
        error_messages={
            "required": gettext_lazy("Budget currency: give its ISO 4217 code, e.g. EUR.")
        },
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}),
    )

    def clean_funder(self):
        name = self.cleaned_data["funder"].strip()
        return cache.organisation_resolve(name=name) or Organisation(name=name)

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if code not in CURRENCIES:
            raise forms.ValidationError(
                _("Budget currency: “%(code)s” is not an ISO 4217 code such as EUR, USD or KES.")
                % {"code": code}
            )
        return code


class DocumentForm(forms.Form):
    default_renderer = renderer
    title = forms.CharField(
        label=gettext_lazy("Document title"),
        max_length=300,
        error_messages={"required": gettext_lazy("Document title: give the document a title.")},
    )
    url = forms.URLField(
        label=gettext_lazy("Web address"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": gettext_lazy("Document address: give its web address."),
            "invalid": gettext_lazy(
                "Document address: a full web address, starting with https://."
            ),
        },
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=DocumentCategory.choices,
        initial=DocumentCategory.WEB_PAGE,
        error_messages={
            "required": gettext_lazy("Document category: choose one of the categories."),
            "invalid_choice": gettext_lazy("Document category: choose one of the categories."),
        },
    )

    def has_changed(self):
        """A line is blank until its title or address is given (its category has a default)."""
        return bool(self.changed_data and set(self.changed_data) - {"category"})


MAX_LINES = 50
BudgetFormSet = forms.formset_factory(
    BudgetForm, extra=1, can_delete=True, max_num=MAX_LINES, validate_max=True, renderer=renderer
)
DocumentFormSet = forms.formset_factory(
    DocumentForm,
    extra=1,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
    renderer=renderer,
)


class ProgrammeLines:
    """The form's budget lines and document links. A POST that does not carry a formset (an
    older page, a script) leaves that kind of line as the record has it."""

    def __init__(self, data=None, *, saved: ProgrammeDraft | None = None):
        self.saved = saved
        budgets = [
            {"funder": b.funder.name, "amount": b.amount, "currency": b.currency}
            for b in (saved.budgets if saved else [])
        ]
        documents = [
            {"title": d.title, "url": d.url, "category": d.category}
            for d in (saved.documents if saved else [])
        ]
        self.budgets = BudgetFormSet(
            data if _carries(data, "budget") else None, prefix="budget", initial=budgets
        )
        self.documents = DocumentFormSet(
            data if _carries(data, "document") else None, prefix="document", initial=documents
        )

    def is_valid(self) -> bool:
        formsets = (self.budgets, self.documents)
        return all([formset.is_valid() for formset in formsets if formset.is_bound])

    def fill(self, draft: ProgrammeDraft) -> None:
        """Put the lines into the draft (the record's own where the form sent none)."""
        draft.budgets = (
            [
                Budget(line["funder"], line["amount"], line["currency"])
                for line in _kept(self.budgets)
            ]
            if self.budgets.is_bound
            else list(self.saved.budgets if self.saved else [])
        )
        draft.documents = (
            [
                Document(line["url"], line["title"], category=line["category"])
                for line in _kept(self.documents)
            ]
            if self.documents.is_bound
            else list(self.saved.documents if self.saved else [])
        )


def _carries(data, prefix: str) -> bool:
    return data is not None and f"{prefix}-TOTAL_FORMS" in data


def _kept(formset) -> list[dict]:
    """The filled-in lines not marked for removal (a blank extra line has no cleaned data)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
