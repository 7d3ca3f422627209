"""Certification pages: *My certification*, observed sessions for master trainers, and an
organisation's trainers for its coordinators. Thin: the rules are in `certification` and
`observations`, the reads in `certification_selectors`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.accounts.selectors import coordinated_organisation

from . import certification, observations, requirements
from . import certification_selectors as selectors
from .certification import CertificationError, Level
from .certification_forms import CandidateSearchForm, ObservationForm, ReasonForm

CHANGES = {
    "suspend": (certification.suspend, gettext_lazy("Suspend")),
    "reinstate": (certification.reinstate, gettext_lazy("Reinstate")),
    "revoke": (certification.revoke, gettext_lazy("Revoke")),
}


@login_required
def my_certification(request):
    context = {"mine": selectors.my_certification(user=request.user)}
    return render(request, "courses/training/my_certification.html", context)


@login_required
@require_POST
def certification_renew(request):
    mine = selectors.my_certification(user=request.user)
    renewal = mine.renewal
    if renewal is None or not renewal.may_renew:
        messages.error(request, _("Your certification cannot be renewed yet."))
        return redirect("courses:my_certification")
    try:
        certification.renew(
            user=request.user,
            level=mine.renewal_level,
            recorded_by=request.user,
            evidence=_("Refresher %(course)s completed on %(day)s.")
            % {"course": renewal.refresher.title, "day": renewal.refresher_done_on},
        )
    except CertificationError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Your certification is renewed."))
    return redirect("courses:my_certification")


@login_required
def observations_list(request):
    """The sessions the signed-in master trainer observed."""
    may_record = selectors.is_master_in_force(user=request.user)
    sessions = list(selectors.observations_by(observer=request.user))
    if not (may_record or sessions or request.user.is_staff):
        raise PermissionDenied(_("Only master trainers observe sessions."))
    context = {"sessions": sessions, "may_record": may_record, "search": CandidateSearchForm()}
    return render(request, "courses/training/observations.html", context)


@login_required
def observation_new(request):
    """Find a candidate by their e-mail address, then rate their session on the rubric."""
    if not selectors.is_master_in_force(user=request.user):
        raise PermissionDenied(_("Only a master trainer whose certification is in force can."))
    data = request.POST if request.method == "POST" else request.GET
    search = CandidateSearchForm(data if "email" in data else None)
    candidate = None
    if search.is_bound and search.is_valid():
        candidate = selectors.candidate_by_email(email=search.cleaned_data["email"])
        if candidate is None:
            search.add_error("email", _("No verified member has this address."))
        elif candidate.pk == request.user.pk:
            search.add_error("email", _("Nobody can observe their own session."))
            candidate = None
    if candidate is None:
        return render(request, "courses/training/observation_new.html", {"search": search})
    rubric = observations.rubric_current()
    form = ObservationForm(
        request.POST if request.method == "POST" else None, rubric=rubric, candidate=candidate
    )
    if request.method == "POST" and form.is_valid():
        record = _record(request, form, candidate, rubric)
        if record is not None:
            return redirect("courses:observation", pk=record.pk)
    context = {"search": search, "candidate": candidate, "form": form, "rubric": rubric}
    return render(request, "courses/training/observation_new.html", context)


def _record(request, form, candidate, rubric):
    data = form.cleaned_data
    try:
        record, created = observations.observed_session_record(
            candidate=candidate,
            observer=request.user,
            date=data["date"],
            course=data["course"],
            lesson=data["lesson"],
            classroom_session=data["classroom_session"],
            co_trainers=data["co_trainers"],
            rubric=rubric,
            scores=form.scores(),
            notes=form.notes(),
            comment=data["comment"],
            token=data["token"],
        )
    except ValidationError as e:
        for message in e.messages:
            form.add_error(None, message)
        return None
    if created:
        messages.success(request, _("The observed session is recorded."))
    else:
        messages.info(request, _("This observed session was already recorded."))
    return record


@login_required
def observation_detail(request, pk):
    record = selectors.observation_for(user=request.user, pk=pk)
    if record is None:
        raise Http404(_("No observed session you may read has this number."))
    scores = {s.criterion: s for s in record.scores.all()}
    rows = [(c, scores.get(c.key)) for c in observations.criteria_of(record.rubric)]
    context = {"record": record, "rows": rows, "may_certify": _may_certify(request, record)}
    if context["may_certify"]:
        context["checklist"] = requirements.trainer_checklist(user=record.candidate)
    return render(request, "courses/training/observation.html", context)


def _may_certify(request, record) -> bool:
    if not record.passed or request.user.pk == record.candidate_id:
        return False
    held = certification.latest(user=record.candidate, level=Level.TRAINER)
    if certification.standing(held) in certification.IN_FORCE | {certification.Standing.SUSPENDED}:
        return False
    return selectors.is_master_in_force(user=request.user)


@login_required
@require_POST
def observation_certify(request, pk):
    """Certify the candidate of a passed observed session: the master's explicit decision."""
    record = selectors.observation_for(user=request.user, pk=pk)
    if record is None:
        raise Http404(_("No observed session you may read has this number."))
    try:
        certification.certify(
            user=record.candidate,
            level=Level.TRAINER,
            certified_by=request.user,
            organisation=record.organisation,
            evidence=_("Observed session of %(day)s, rubric version %(version)s, average %(avg)s.")
            % {"day": record.date, "version": record.rubric.version, "avg": record.overall},
        )
    except CertificationError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("%(person)s is certified as a trainer.") % {"person": record.candidate}
        )
    return redirect("courses:observation", pk=record.pk)


def _coordinated_or_404(request, slug):
    organisation = coordinated_organisation(user=request.user, slug=slug)
    if organisation is None:
        raise Http404(_("You do not coordinate this organisation."))
    return organisation


@login_required
def organisation_trainers(request, slug):
    organisation = _coordinated_or_404(request, slug)
    context = {
        "organisation": organisation,
        "rows": selectors.organisation_trainers(organisation=organisation),
        "levels": Level.choices,
    }
    return render(request, "courses/training/organisation_trainers.html", context)


@login_required
def certification_change(request, slug, user_id, level, action):
    """Suspend, reinstate or revoke: a confirmation page with the reason, then the change."""
    organisation = _coordinated_or_404(request, slug)
    if action not in CHANGES or level not in Level.values:
        raise Http404
    row = certification.latest(user=_person(user_id), level=level)
    if row is None or row.organisation_id != organisation.pk:
        raise Http404(_("This organisation holds no such certification."))
    change, label = CHANGES[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change(user=row.user, level=level, by=request.user, reason=form.cleaned_data["reason"])
        except CertificationError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("%(person)s: done.") % {"person": row.user})
            return redirect(reverse("courses:organisation_trainers", args=[slug]))
    context = {
        "organisation": organisation,
        "row": row,
        "standing": certification.STANDING_LABELS[certification.standing(row)],
        "action": action,
        "label": label,
        "form": form,
    }
    return render(request, "courses/training/certification_change.html", context)


def _person(user_id):
    person = get_user_model().objects.filter(pk=user_id).first()
    if person is None:
        raise Http404
    return person
