"""The site's programme form: plain fields, lists written as text, turned into a draft."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cms.accounts.models import Organisation

from . import services
from .models import ActivityStatus, Agency, Modality, OrganisationRole, Theme, Visibility
from .records import CountryShare, Participation, ProgrammeDraft, SectorShare, Text
from .validation import identifier_prefix

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


class ProgrammeForm(forms.Form):
    reporting_org = forms.ModelChoiceField(
        label=_lazy("Reporting organisation"), queryset=Organisation.objects.all(), required=False
    )
    own_id = forms.CharField(
        label=_lazy("Your organisation's own id for it"),
        max_length=80,
        help_text=_lazy("The identifier is your organisation's prefix followed by this id."),
    )
    language = forms.ChoiceField(label=_lazy("Language of the title"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_lazy("Title"), max_length=300)
    description = forms.CharField(
        label=_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    activity_status = forms.TypedChoiceField(
        label=_lazy("Status"), choices=ActivityStatus.choices, coerce=int
    )
    planned_start = forms.DateField(label=_lazy("Planned start"), required=False, widget=DateInput)
    planned_end = forms.DateField(label=_lazy("Planned end"), required=False, widget=DateInput)
    actual_start = forms.DateField(label=_lazy("Actual start"), required=False, widget=DateInput)
    actual_end = forms.DateField(label=_lazy("Actual end"), required=False, widget=DateInput)
    countries = forms.CharField(
        label=_lazy("Recipient countries"),
        required=False,
        help_text=_lazy("ISO codes with percentages, e.g. “KE 60, UG 40”; one country needs none."),
    )
    airports = forms.CharField(
        label=_lazy("Airports"), required=False, help_text=_lazy("IATA codes, e.g. “NBO, MBA”.")
    )
    sectors = forms.CharField(
        label=_lazy("Sectors"),
        initial="15190",
        help_text=_lazy("OECD DAC 5-digit codes with percentages, e.g. “15190 70, 15130 30”."),
    )
    themes = forms.MultipleChoiceField(
        label=_lazy("Themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    agencies = forms.MultipleChoiceField(
        label=_lazy("Target agencies"),
        choices=Agency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modality = forms.ChoiceField(label=_lazy("Modality"), choices=Modality.choices)
    languages = forms.MultipleChoiceField(
        label=_lazy("Languages of delivery"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_planned = forms.IntegerField(
        label=_lazy("Participants planned"), min_value=0, required=False
    )
    participants_actual = forms.IntegerField(
        label=_lazy("Participants actual"), min_value=0, required=False
    )
    participants_female = forms.IntegerField(label=_lazy("Women"), min_value=0, required=False)
    participants_male = forms.IntegerField(label=_lazy("Men"), min_value=0, required=False)
    participating_orgs = forms.CharField(
        label=_lazy("Participating organisations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy(
            "One a line: a name or alias, a comma, and its role (funding, accountable, "
            "extending or implementing), e.g. “ONUDC, funding”."
        ),
    )
    contact_name = forms.CharField(label=_lazy("Contact name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_lazy("Contact e-mail"), required=False)
    visibility = forms.ChoiceField(label=_lazy("Who may see it"), choices=Visibility.choices)
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
            organisation = services.organisation_resolve(name=name) or Organisation(
                name=name.strip()
            )
            found.append(Participation(organisation, int(role_code)))
        return found

    def reporting_organisation(self):
        return self.organisation or self.cleaned_data.get("reporting_org")

    def to_draft(self) -> ProgrammeDraft:
        data = self.cleaned_data
        reporting = self.reporting_organisation()
        return ProgrammeDraft(
            identifier=f"{identifier_prefix(reporting)}-{data['own_id'].strip()}",
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
