"""Cohort pages: open and edit a cohort, add its learners, schedule its sessions, take
attendance and record lessons completed in class. Outside a person's scope a cohort does not
exist (404); inside it, what they may not do is refused with the reason (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..models import Attendance
from . import cohort_selectors as selectors
from . import cohorts as services
from . import programme_selectors
from .cohort_forms import CohortForm, LearnerCsvForm, LearnerForm, SessionForm


def _cohort_or_404(request, cohort_id):
    found = selectors.cohort_for_user(user=request.user, cohort_id=cohort_id)
    if found is None:
        raise Http404(_("No cohort of yours has this number."))
    return found


def _session_or_404(request, session_id):
    found = selectors.session_for_user(user=request.user, session_id=session_id)
    if found is None:
        raise Http404(_("No session of yours has this number."))
    return found


def _require_teach(access):
    if access.lapsed:
        raise PermissionDenied(
            _(
                "Your trainer certification is not in force (expired, suspended or revoked): "
                "you cannot record sessions. What you recorded before stays."
            )
        )
    if not access.teach:
        raise PermissionDenied(_("Only the cohort's trainer and co-trainers record its sessions."))


def _show_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def cohort_create(request):
    organisation, reason = selectors.cohort_opening(user=request.user)
    if organisation is None:
        raise PermissionDenied(reason)
    trainers = selectors.organisation_certified_trainers(organisation=organisation)
    members = selectors.organisation_verified_members(organisation=organisation)
    initial = {"trainer": request.user.pk, "language": request.LANGUAGE_CODE}
    programmes = programme_selectors.programmes_to_link(user=request.user)
    form = CohortForm(
        request.POST or None,
        trainers=trainers,
        members=members,
        programmes=programmes,
        suggestions_url=reverse("courses:cohort_new_programmes"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _show_errors(form, e)
        else:
            messages.success(request, _("Cohort %(name)s opened.") % {"name": cohort.name})
            return redirect("courses:cohort", cohort_id=cohort.pk)
    context = {"form": form, "organisation": organisation, "trainers": trainers}
    return render(request, "courses/training/cohort_form.html", context)


@login_required
def cohort_edit(request, cohort_id):
    cohort, access = _cohort_or_404(request, cohort_id)
    if not access.manage:
        raise PermissionDenied(
            _("Your trainer certification is not in force: you cannot change this cohort.")
        )
    trainers = selectors.organisation_certified_trainers(organisation=cohort.organisation)
    if cohort.trainer not in trainers:  # kept, though their certification has lapsed since
        trainers.append(cohort.trainer)
    members = selectors.organisation_verified_members(organisation=cohort.organisation)
    initial = {
        "name": cohort.name,
        "language": cohort.language,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "trainer": cohort.trainer_id,
        "co_trainers": [person.pk for person in cohort.co_trainers.all()],
        "programme": programme_selectors.programme_identifier(programme_id=cohort.programme_id),
    }
    programmes = programme_selectors.programmes_to_link(
        user=request.user, current_id=cohort.programme_id
    )
    form = CohortForm(
        request.POST or None,
        trainers=trainers,
        members=members,
        programmes=programmes,
        suggestions_url=reverse("courses:cohort_programmes", kwargs={"cohort_id": cohort.pk}),
        initial=initial,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _show_errors(form, e)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("courses:cohort", cohort_id=cohort.pk)
    context = {"form": form, "cohort": cohort, "organisation": cohort.organisation}
    return render(request, "courses/training/cohort_form.html", context)


@login_required
@require_GET
@never_cache
def cohort_programme_suggestions(request, cohort_id=None):
    """The cohort form's programme chooser: up to twenty programmes the person may deliver the
    cohort under that match `q`, as JSON. Opening a cohort: for those who may open one (403
    otherwise); editing one: for those who manage it (404 outside its scope, 403 inside)."""
    if cohort_id is None:
        organisation, reason = selectors.cohort_opening(user=request.user)
        if organisation is None:
            raise PermissionDenied(reason)
        current_id = None
    else:
        cohort, access = _cohort_or_404(request, cohort_id)
        if not access.manage:
            raise PermissionDenied(
                _("Your trainer certification is not in force: you cannot change this cohort.")
            )
        current_id = cohort.programme_id
    found = programme_selectors.programme_suggestions(
        user=request.user, query=request.GET.get("q", ""), current_id=current_id
    )
    language = get_language()
    results = []
    for programme in found:
        text = programme.text_in(language)
        results.append(
            {
                "identifier": programme.identifier,
                "title": text.title if text else "",
                "language": text.language if text else "",
                "organisation": programme.reporting_org.name,
            }
        )
    return JsonResponse({"results": results})


@login_required
def cohort_detail(request, cohort_id):
    cohort, access = _cohort_or_404(request, cohort_id)
    context = {
        "page": selectors.cohort_page(cohort=cohort),
        "cohort": cohort,
        "programme": programme_selectors.linked_programme(user=request.user, cohort=cohort),
        "access": access,
        "learner_form": LearnerForm(),
        "csv_form": LearnerCsvForm(),
    }
    return render(request, "courses/training/cohort_detail.html", context)


def _report_added(request, result):
    text = ngettext("%(added)d learner added.", "%(added)d learners added.", result.added) % {
        "added": result.added
    }
    if result.already:
        text += " " + ngettext(
            "%(already)d was already in the cohort.",
            "%(already)d were already in the cohort.",
            result.already,
        ) % {"already": result.already}
    messages.success(request, text)


@login_required
@require_POST
def cohort_learner_add(request, cohort_id):
    cohort, access = _cohort_or_404(request, cohort_id)
    form = LearnerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the e-mail address of a member of the organisation."))
        return redirect("courses:cohort", cohort_id=cohort.pk)
    try:
        result = services.cohort_learner_add(
            cohort=cohort, by=request.user, email=form.cleaned_data["email"]
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        _report_added(request, result)
    return redirect("courses:cohort", cohort_id=cohort.pk)


@login_required
@require_POST
def cohort_learners_csv(request, cohort_id):
    cohort, access = _cohort_or_404(request, cohort_id)
    form = LearnerCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("courses:cohort", cohort_id=cohort.pk)
    try:
        result = services.cohort_learners_add_from_csv(
            cohort=cohort, by=request.user, data=form.cleaned_data["file"].read()
        )
    except ValidationError as e:
        messages.error(
            request, _("No learners were added. %(reasons)s") % {"reasons": " ".join(e.messages)}
        )
    else:
        _report_added(request, result)
    return redirect("courses:cohort", cohort_id=cohort.pk)


def _session_form_page(request, cohort, form, session=None):
    context = {"form": form, "cohort": cohort, "session": session}
    return render(request, "courses/training/session_form.html", context)


@login_required
def session_create(request, cohort_id):
    cohort, access = _cohort_or_404(request, cohort_id)
    _require_teach(access)
    lessons = selectors.cohort_lessons(cohort=cohort)
    initial = {"language": cohort.language, "date": max(cohort.starts_on, timezone.localdate())}
    form = SessionForm(request.POST or None, lessons=lessons, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.classroom_session_create(
                cohort=cohort, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            _show_errors(form, e)
        else:
            messages.success(request, _("Session added."))
            return redirect("courses:session_attendance", session_id=session.pk)
    return _session_form_page(request, cohort, form)


@login_required
def session_edit(request, session_id):
    session, access = _session_or_404(request, session_id)
    _require_teach(access)
    cohort = session.cohort
    lessons = selectors.cohort_lessons(cohort=cohort)
    initial = {
        "date": session.date,
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "airport": session.airport,
        "venue": session.venue,
        "language": session.language,
        "lessons": [lesson.pk for lesson in session.lessons.all()],
    }
    form = SessionForm(request.POST or None, lessons=lessons, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.classroom_session_update(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _show_errors(form, e)
        else:
            messages.success(request, _("Session saved."))
            return redirect("courses:session_attendance", session_id=session.pk)
    return _session_form_page(request, cohort, form, session)


@login_required
def session_attendance(request, session_id):
    """The attendance sheet: one row per learner, one submit for them all."""
    session, access = _session_or_404(request, session_id)
    rows = selectors.attendance_sheet(session=session)
    status = 200
    if request.method == "POST":
        _require_teach(access)
        try:
            statuses = _posted_statuses(request.POST)
            count = services.attendance_record(session=session, by=request.user, statuses=statuses)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            for row in rows:  # show what was chosen, so nothing is lost
                row.status = request.POST.get(f"learner-{row.member.user_id}", row.status)
            status = 400
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance recorded for %(count)d learner.",
                    "Attendance recorded for %(count)d learners.",
                    count,
                )
                % {"count": count},
            )
            return redirect("courses:session_attendance", session_id=session.pk)
    context = {
        "session": session,
        "cohort": session.cohort,
        "access": access,
        "rows": rows,
        "airport": selectors.airport_by_code(session.airport),
        "statuses": Attendance.Status.choices,
        "lessons": list(session.lessons.all()),
        "is_future": session.date > timezone.localdate(),
    }
    return render(request, "courses/training/attendance.html", context, status=status)


def _posted_statuses(data) -> dict[int, str]:
    statuses = {}
    for key, value in data.items():
        if not key.startswith("learner-"):
            continue
        try:
            user_id = int(key.removeprefix("learner-"))
        except ValueError as e:
            raise ValidationError(
                _("The form was changed on its way here. Nothing was recorded: reload the page.")
            ) from e
        statuses[user_id] = value
    return statuses


@login_required
@require_POST
def session_in_class(request, session_id):
    """Record the session's lessons as completed in class by the learners present."""
    session, access = _session_or_404(request, session_id)
    _require_teach(access)
    try:
        count = services.in_class_completions_record(session=session, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d lesson completion recorded in class.",
                "%(count)d lesson completions recorded in class.",
                count,
            )
            % {"count": count},
        )
    return redirect("courses:session_attendance", session_id=session.pk)
