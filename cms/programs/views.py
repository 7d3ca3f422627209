"""The registry's pages: the list, a record, and the form that checks for duplicates first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import exports, selectors, services, validation
from .forms import ProgrammeForm, ProgrammeLines, initial_from_draft
from .models import OverlapDecision, Programme, RelationKind
from .overlap import SHOWN_IN_FULL, compare, find_matches, registry_pairs, signature
from .records import draft_from_programme
from .results import programme_results
from .search import SearchForm, facet_counts, search

PAGE_SIZE = 50


def _searched(request):
    """The records the person may see, narrowed by the search in the query string."""
    form = SearchForm(request.GET or None)
    criteria = form.criteria() if request.GET else {}
    visible = selectors.programmes_visible_to(user=request.user)
    return form, criteria, search(visible, criteria)


def programme_list(request):
    form, criteria, found = _searched(request)
    facets = facet_counts(found)
    page = Paginator(found.for_listing(), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    rows = [(programme, programme.text_in(language)) for programme in page]
    query = request.GET.copy()
    query.pop("page", None)
    facet_fields = [
        (form[name], options, str(criteria.get(name, ""))) for name, options in facets.items()
    ]
    return render(
        request,
        "programs/programme_list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "facet_fields": facet_fields,
            "searched": bool(criteria),
            "query": query.urlencode(),
            "may_create": selectors.may_create(user=request.user),
            "may_review": selectors.is_moderator(user=request.user),
        },
    )


def _export(request):
    _form, _criteria, found = _searched(request)
    visible = selectors.programmes_visible_to(user=request.user)
    return exports.export_queryset(found, visible=visible)


def _attachment(name: str) -> str:
    return f'attachment; filename="flightpath-programmes-{timezone.localdate():%Y%m%d}.{name}"'


def export_csv(request):
    """The searched list as CSV, streamed."""
    response = StreamingHttpResponse(
        exports.csv_chunks(_export(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment("csv")
    return response


def export_xlsx(request):
    """The searched list as an XLSX workbook, written in openpyxl's write-only mode."""
    return FileResponse(
        exports.xlsx_file(_export(request)),
        as_attachment=True,
        filename=f"flightpath-programmes-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_iati(request):
    """The searched list as IATI 2.03 activities, streamed."""
    response = StreamingHttpResponse(
        exports.iati_chunks(_export(request)), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment("xml")
    return response


def _visible_or_404(request, identifier) -> Programme:
    programme = selectors.programme_detail(user=request.user, identifier=identifier)
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


def programme_detail(request, identifier):
    programme = _visible_or_404(request, identifier)
    user = request.user
    may_edit = selectors.may_edit(user=user, programme=programme)
    context = {
        "programme": programme,
        "text": programme.text_in(get_language()),
        "relations": selectors.programme_relations(programme=programme, user=user),
        "may_edit": may_edit,
        "may_submit": may_edit and programme.workflow_status == "draft",
        "may_publish": selectors.may_publish(user=user) and not programme.is_published,
        "results": programme_results(programmes=[programme]).get(programme.pk),
        "coordinators": (
            selectors.programme_coordinators(programme=programme)
            if selectors.may_see_coordinators(user=user, programme=programme)
            else None
        ),
        "may_grant": selectors.is_moderator(user=user),
    }
    return render(request, "programs/programme_detail.html", context)


def _decisions(request, matches) -> list[services.Decision] | None:
    """The person's decision on every match shown, or None while one is missing or the
    matches are not those the person saw."""
    shown = set(request.POST.getlist("shown"))
    if not matches or shown != {str(match.programme.pk) for match in matches}:
        return None if matches else []
    decisions = []
    rest_different = bool(request.POST.get("rest-different"))
    for number, match in enumerate(matches):
        pk = match.programme.pk
        decision = request.POST.get(f"decision-{pk}", "")
        relation = request.POST.get(f"relation-{pk}", "")
        if not decision and rest_different and number >= SHOWN_IN_FULL:
            decision = OverlapDecision.Decision.DIFFERENT  # listed a line each, left open
        if decision not in OverlapDecision.Decision.values:
            return None
        decisions.append(
            services.Decision(
                other=match.programme,
                decision=decision,
                relation=relation if decision == "related" else "",
                kind=match.kind,
                score=match.score,
                reasons=tuple(match.reasons),
            )
        )
    return decisions


def _matches(request, draft):
    """The records the person may see that the draft may duplicate or overlap, each with what
    the person chose for it already (shown again with the form)."""
    matches = find_matches(draft, reader=selectors.reader(user=request.user))
    for match in matches:
        match.chosen = request.POST.get(f"decision-{match.programme.pk}", "")
        match.chosen_relation = request.POST.get(f"relation-{match.programme.pk}", "")
    return matches


def _choices_context(request=None) -> dict:
    posted = request.POST if request is not None else {}
    return {
        "relations": [(k, v) for k, v in RelationKind.choices if k != RelationKind.SAME],
        "decisions": OverlapDecision.Decision.choices,
        # The matches listed a line each: opened again once the person has tried to save.
        "rest_different": bool(posted.get("rest-different")),
        "open_rest": "shown" in posted,
    }


@login_required
def programme_create(request):
    """Check the registry before saving: with matches, the person sees each with its reasons
    and decides on it; the record is saved only with those decisions."""
    if not selectors.may_create(user=request.user):
        raise PermissionDenied
    organisation = (
        None
        if selectors.is_moderator(user=request.user)
        else (selectors.member_organisation(user=request.user))
    )
    form = ProgrammeForm(request.POST or None, organisation=organisation)
    lines = ProgrammeLines(request.POST or None)
    matches = []
    back = request.POST.get("edit") == "1"  # from the matches step to the form as filled in
    if request.method == "POST" and not back and all([form.is_valid(), lines.is_valid()]):
        token = form.cleaned_data["token"]  # unique: at most one record
        already = Programme.objects.filter(creation_token=token).values_list("identifier")[:1]
        if already:  # the same form submitted again
            return redirect("programs:detail", identifier=already[0][0])
        draft = form.to_draft()
        lines.fill(draft)
        problems = validation.problems(draft)
        form.add_problems(problems)
        if not problems:
            matches = _matches(request, draft)
            decisions = _decisions(request, matches)
            if decisions is not None:
                try:
                    programme = services.programme_create(
                        draft=draft,
                        user=request.user,
                        decisions=decisions,
                        creation_token=form.cleaned_data["token"],
                    )
                except ValidationError as error:
                    form.add_problems(error.message_dict)
                else:
                    messages.success(request, _("The programme was saved as a draft."))
                    return redirect("programs:detail", identifier=programme.identifier)
            else:
                if "shown" in request.POST:
                    messages.error(request, _("Decide on every match before saving."))
                return _matches_step(request, draft, matches)
    context = {
        "form": form,
        "matches": matches,
        **_lines_context(lines),
        **_choices_context(request),
    }
    return render(request, "programs/programme_form.html", context)


# Keys of the matches step that are not the record's own fields.
_STEP_KEYS = {"csrfmiddlewaretoken", "shown", "rest-different", "edit"}


def _carried(posted) -> list[tuple[str, str]]:
    """What the person typed into the form, carried through the matches step unchanged."""
    return [
        (name, value)
        for name, values in posted.lists()
        if name not in _STEP_KEYS and not name.startswith(("decision-", "relation-"))
        for value in values
    ]


def _matches_step(request, draft, matches, *, programme=None):
    """The matches on a page of their own, before anything is saved: each with its reasons and
    a decision, what was typed carried as hidden fields, and a way back to the form as it was
    filled in. Lighter than the whole form again, on a slow connection too."""
    context = {
        "programme": programme,
        "draft": draft,
        "title": next(
            (t.title for t in draft.texts if t.language == draft.default_language),
            draft.texts[0].title if draft.texts else "",
        ),
        "places": ", ".join(draft.airports or [c.country for c in draft.countries]),
        "matches": matches,
        "carried": _carried(request.POST),
        **_choices_context(request),
    }
    return render(request, "programs/programme_matches.html", context)


def _lines_context(lines) -> dict:
    return {"budgets": lines.budgets, "documents": lines.documents}


@login_required
def programme_edit(request, identifier):
    programme = _visible_or_404(request, identifier)
    if not selectors.may_edit(user=request.user, programme=programme):
        raise PermissionDenied
    saved = draft_from_programme(programme)
    prefix = validation.identifier_prefix(programme.reporting_org)
    form = ProgrammeForm(
        request.POST or None,
        organisation=programme.reporting_org,
        initial=initial_from_draft(saved, prefix),
    )
    lines = ProgrammeLines(request.POST or None, saved=saved)
    matches = []
    back = request.POST.get("edit") == "1"
    if request.method == "POST" and not back and all([form.is_valid(), lines.is_valid()]):
        draft = form.to_draft()
        draft.pk = programme.pk
        changed = {text.language for text in draft.texts}
        draft.texts += [text for text in saved.texts if text.language not in changed]
        lines.fill(draft)
        problems = validation.problems(draft)
        form.add_problems(problems)
        if not problems:
            # Checked again when the edit changes what the check reads; decided pairs never
            # come back.
            if signature(draft) != signature(saved):
                matches = _matches(request, draft)
            decisions = _decisions(request, matches)
            if decisions is not None:
                try:
                    services.programme_update(
                        programme=programme, draft=draft, user=request.user, decisions=decisions
                    )
                except ValidationError as error:
                    form.add_problems(error.message_dict)
                else:
                    messages.success(request, _("The programme was saved."))
                    return redirect("programs:detail", identifier=programme.identifier)
            else:
                if "shown" in request.POST:
                    messages.error(request, _("Decide on every match before saving."))
                return _matches_step(request, draft, matches, programme=programme)
    context = {
        "form": form,
        "programme": programme,
        "matches": matches,
        **_lines_context(lines),
        **_choices_context(request),
    }
    return render(request, "programs/programme_form.html", context)


@login_required
@require_POST
def programme_submit(request, identifier):
    """Before a draft goes to the moderators, the registry is checked again: a match nobody
    has decided on yet (a record added since, or an import) is decided on first."""
    programme = _visible_or_404(request, identifier)
    if not selectors.may_edit(user=request.user, programme=programme):
        raise PermissionDenied
    decisions = []
    if programme.workflow_status == "draft":
        matches = _matches(request, draft_from_programme(programme))
        decisions = _decisions(request, matches)
        if decisions is None:
            if "shown" in request.POST:
                messages.error(request, _("Decide on every match before submitting."))
            context = {"programme": programme, "matches": matches, **_choices_context(request)}
            return render(request, "programs/programme_check.html", context)
    services.programme_submit(programme=programme, user=request.user, decisions=decisions)
    messages.success(request, _("The programme was submitted to the registry's moderators."))
    return redirect("programs:detail", identifier=programme.identifier)


@login_required
@require_POST
def programme_publish(request, identifier):
    programme = _visible_or_404(request, identifier)
    services.programme_publish(programme=programme, user=request.user)
    messages.success(request, _("The programme was published."))
    return redirect("programs:detail", identifier=programme.identifier)


def _moderator_or_403(request):
    if not selectors.is_moderator(user=request.user):
        raise PermissionDenied


@login_required
def duplicates(request):
    """For moderators: every pair the registry would raise, with a decision on each."""
    _moderator_or_403(request)
    context = {"pairs": registry_pairs(), **_choices_context()}
    return render(request, "programs/duplicates.html", context)


@login_required
@require_POST
def duplicate_decide(request):
    _moderator_or_403(request)
    found = {
        p.identifier: p
        for p in Programme.objects.prefetch_related(*selectors.PROGRAMME_PREFETCH).filter(
            identifier__in=[request.POST.get("a"), request.POST.get("b")]
        )
    }
    first, second = found.get(request.POST.get("a")), found.get(request.POST.get("b"))
    if first is None or second is None or first == second:
        raise Http404(_("No such pair of programmes."))
    match = compare(draft_from_programme(first), draft_from_programme(second))
    decision = services.Decision(
        other=first,
        decision=request.POST.get("decision", ""),
        relation=request.POST.get("relation", ""),
        kind=match.kind if match else "",
        score=match.score if match else 0.0,
        reasons=tuple(match.reasons) if match else (),
    )
    try:
        services.decision_record(programme=second, decision=decision, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision was recorded."))
    return redirect("programs:duplicates")


@login_required
def api_tokens(request):
    """A person's keys to the registry's API: made here, shown once, revoked here."""
    key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                pk = int(request.POST["revoke"])
            except ValueError:
                pk = 0
            if services.api_token_revoke(user=request.user, pk=pk):
                messages.success(request, _("The token was revoked."))
            return redirect("programs:api_tokens")
        _token, key = services.api_token_create(
            user=request.user, name=request.POST.get("name", "")
        )
    tokens = request.user.registry_api_tokens.all()
    return render(request, "programs/api_tokens.html", {"tokens": tokens, "key": key})
