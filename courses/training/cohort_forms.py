from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models.pages import in_source_language

from ..models import CoursePage, LessonPage


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})" if obj.get_full_name() else obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})" if obj.get_full_name() else obj.email


class ProgrammeChooser(forms.TextInput):
    """A text input for a programme's identifier. Without JavaScript the person types the
    identifier; static/js/programme-chooser.js turns it into an ARIA combobox offering up to
    twenty programmes from the JSON endpoint named in `data-programme-chooser`."""

    template_name = "courses/training/widgets/programme_chooser.html"

    def __init__(self, attrs=None):
        defaults = {
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "none",
            "dir": "auto",
            "class": "programme-chooser__input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


class ProgrammeIdentifierField(forms.CharField):
    """A programme of the registry, given by its identifier, that is one of `queryset` (the
    programmes the person may deliver a cohort under); cleans to the Programme or None."""

    widget = ProgrammeChooser

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset
        super().__init__(max_length=150, **kwargs)

    def prepare_value(self, value):
        return getattr(value, "identifier", value)

    def clean(self, value):
        identifier = super().clean(value).replace("\x00", "").strip()
        if not identifier:
            return None
        found = self.queryset.filter(identifier=identifier).first() or (
            self.queryset.filter(identifier__iexact=identifier).order_by("identifier").first()
        )
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"label": self.label, "identifier": identifier},
            )
        return found


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CohortForm(forms.Form):
    """A cohort's details; `trainers` are who may lead it, `members` who may co-train."""

    course = forms.ModelChoiceField(
        label=_("Course or track"),
        queryset=in_source_language(CoursePage.objects.live()).order_by("path"),
        empty_label=_("Choose a course or a track"),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    trainer = PersonChoiceField(label=_("Trainer"), queryset=None, empty_label=None)
    co_trainers = PeopleChoiceField(
        label=_("Co-trainers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = ProgrammeIdentifierField(
        label=_("Delivered under a programme"),
        required=False,
        help_text=_(
            "Optional. Type part of its IATI identifier, its title in any language or an "
            "organisation’s name, and choose one of the suggestions; or type its identifier in "
            "full. A published programme of the registry: its page counts the participants "
            "trained, completions and certified trainers from the cohorts delivered under it."
        ),
        error_messages={
            "invalid_choice": _(
                "%(label)s: no published programme of the registry that you can see has the "
                "identifier “%(identifier)s”. Choose one of the suggestions, type an identifier "
                "exactly as the registry shows it, or leave the field empty."
            )
        },
    )

    def __init__(
        self, *args, trainers, members, programmes, suggestions_url="", editing=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        people = get_user_model().objects
        self.fields["trainer"].queryset = people.filter(pk__in=[p.pk for p in trainers])
        self.fields["co_trainers"].queryset = members
        self.fields["programme"].queryset = programmes
        self.fields["programme"].widget.attrs["data-programme-chooser"] = suggestions_url
        if editing:
            del self.fields["course"]  # its sessions cover lessons of it

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        trainer = data.get("trainer")
        if trainer and trainer in data.get("co_trainers", []):
            self.add_error("co_trainers", _("The trainer cannot also be a co-trainer."))
        return data


class LearnerForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("A verified member of the cohort's organisation."),
    )


class LearnerCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One learner a row: their e-mail address first (further columns are ignored). "
            "Every one must be a verified member of the organisation."
        ),
    )

    MAX_BYTES = 512 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 KB."))
        return upload


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, initial=90
    )
    airport = forms.CharField(
        label=_("Airport (IATA code)"),
        max_length=3,
        required=False,
        help_text=_("Three letters, such as NBO. Leave empty for a place without an airport."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    lessons = forms.ModelMultipleChoiceField(
        label=_("Lessons covered"),
        queryset=LessonPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("That lesson is not a lesson of this cohort's course."),
            "invalid_pk_value": _("That lesson is not a lesson of this cohort's course."),
        },
    )

    def __init__(self, *args, lessons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lessons"].queryset = LessonPage.objects.filter(
            pk__in=[lesson.pk for lesson in lessons]
        ).order_by("path")
