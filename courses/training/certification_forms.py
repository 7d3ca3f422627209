"""Forms of the certification pages: finding a candidate, the rubric, a reason for a change."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models.pages import in_source_language

from ..models import ClassroomSession, CoursePage, LessonPage, Rubric
from .observations import SCORES, criteria_of


class CandidateSearchForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("The candidate's e-mail address"),
        help_text=gettext_lazy("A verified member of any organisation; the whole address."),
    )


class ObservationForm(forms.Form):
    """The rubric: a score from 1 to 4 and a note for each criterion, and what was taught."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    date = forms.DateField(
        label=gettext_lazy("Date of the session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course or track taught"), queryset=CoursePage.objects.none()
    )
    lesson = forms.ModelChoiceField(
        label=gettext_lazy("Lesson taught"), queryset=LessonPage.objects.none(), required=False
    )
    classroom_session = forms.ModelChoiceField(
        label=gettext_lazy("Classroom session of a cohort"),
        queryset=ClassroomSession.objects.none(),
        required=False,
        help_text=gettext_lazy("If the session was one of a cohort the candidate teaches."),
    )
    co_trainers = forms.CharField(
        label=gettext_lazy("Co-trainers of the session"),
        required=False,
        help_text=gettext_lazy("Their e-mail addresses, separated by commas."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Overall comment"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, rubric: Rubric, candidate, **kwargs):
        kwargs.setdefault("initial", {}).update(
            {"token": uuid.uuid4(), "date": timezone.localdate()}
        )
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.criteria = criteria_of(rubric)
        self.fields["course"].queryset = in_source_language(CoursePage.objects.live()).order_by(
            "title"
        )
        self.fields["lesson"].queryset = in_source_language(LessonPage.objects.live()).order_by(
            "path"
        )
        self.fields["classroom_session"].queryset = (
            ClassroomSession.objects.filter(
                Q(cohort__trainer=candidate) | Q(cohort__co_trainers=candidate)
            )
            .select_related("cohort")
            .distinct()
            .order_by("-date")
        )
        for c in self.criteria:
            self.fields[f"score_{c.key}"] = forms.TypedChoiceField(
                label=c.label,
                choices=[(n, str(n)) for n in SCORES],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=c.description,
            )
            self.fields[f"note_{c.key}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": c.label},
                required=False,
                widget=forms.Textarea({"rows": 2}),
            )

    def clean_co_trainers(self):
        emails = [e.strip() for e in self.cleaned_data["co_trainers"].split(",") if e.strip()]
        people = list(get_user_model().objects.filter(email__in=emails))
        unknown = {e.lower() for e in emails} - {p.email.lower() for p in people}
        if unknown:
            raise forms.ValidationError(
                _("Nobody has these addresses: %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return people

    def rubric_rows(self):
        """Each criterion with its score and note fields, for the template."""
        return [(c, self[f"score_{c.key}"], self[f"note_{c.key}"]) for c in self.criteria]

    def scores(self) -> dict[str, int]:
        return {c.key: self.cleaned_data[f"score_{c.key}"] for c in self.criteria}

    def notes(self) -> dict[str, str]:
        return {c.key: self.cleaned_data[f"note_{c.key}"] for c in self.criteria}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea({"rows": 3}),
        help_text=gettext_lazy("Kept with the certification, for its history."),
    )
