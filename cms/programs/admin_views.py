"""The registry's screens in the CMS, for registry moderators: search every record (drafts and
submitted ones included) with the site's facets, publish from the list, and merge two records of
one organisation after seeing what would move."""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView, DeleteView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from cms.accounts.models import Organisation

from . import selectors, services
from .models import OrganisationMerge, Programme, ProgrammeCoordinator, WorkflowStatus
from .search import SearchForm, facet_counts, search

PAGE_SIZE = 50
MODERATOR_PERMISSION = "programs.change_programme"  # the Registry moderators group holds it
# Records waiting for a moderator come first.
REVIEW_ORDER = Case(
    When(workflow_status=WorkflowStatus.SUBMITTED, then=Value(0)),
    When(workflow_status=WorkflowStatus.DRAFT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class NotModerator(Exception):
    pass


def _moderator_or_403(request) -> None:
    if not selectors.is_moderator(user=request.user):
        raise NotModerator


def moderators_only(view):
    """A 403 page for CMS users who do not moderate the registry (Wagtail would turn a
    PermissionDenied into a redirect to the dashboard)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotModerator:
            return TemplateResponse(request, "programs/admin/forbidden.html", status=403)

    return wrapped


class ModeratorMenuItem(MenuItem):
    """Shown to staff and to holders of the moderators' permission, read from the permissions
    Wagtail's menu loads anyway: the menu costs no query of its own on every CMS page."""

    def is_shown(self, request):
        user = request.user
        return user.is_staff or user.is_superuser or user.has_perm(MODERATOR_PERMISSION)


# Search ---------------------------------------------------------------------------------------


def _workflow(request) -> str:
    wanted = request.GET.get("workflow", "")
    return wanted if wanted in WorkflowStatus.values else ""


def programme_search(request):
    """Every record, narrowed by the site's search and facets and by workflow status."""
    _moderator_or_403(request)
    form = SearchForm(request.GET or None)
    criteria = form.criteria() if request.GET else {}
    found = search(Programme.objects.all(), criteria)
    workflow = _workflow(request)
    workflow_counts = dict(found.order_by().values_list("workflow_status").annotate(n=Count("pk")))
    if workflow:
        found = found.filter(workflow_status=workflow)
    facets = facet_counts(found)
    listing = found.for_listing().order_by(REVIEW_ORDER, "-updated_at", "identifier")
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": [(programme, programme.text_in(language)) for programme in page],
        "page": page,
        "facet_fields": [
            (form[name], options, str(criteria.get(name, ""))) for name, options in facets.items()
        ],
        "workflow": workflow,
        "workflows": [
            (value, label, workflow_counts.get(value, 0)) for value, label in WorkflowStatus.choices
        ],
        "searched": bool(criteria) or bool(workflow),
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "programs/admin/search.html", context)


@require_POST
def programme_publish(request, pk):
    """Publish from the list, then back to the list as it was."""
    _moderator_or_403(request)
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404(_("No such programme."))
    services.programme_publish(programme=programme, user=request.user)
    messages.success(request, _("%(identifier)s was published.") % {"identifier": programme})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("registry-search:index")
    return redirect(back)


class ProgrammeSearchViewSet(ViewSet):
    name = "registry-search"
    url_prefix = "registry/search"
    icon = "search"
    menu_label = gettext_lazy("Search programmes")
    menu_item_class = ModeratorMenuItem

    def get_urlpatterns(self):
        return [
            path("", moderators_only(programme_search), name="index"),
            path("<int:pk>/publish/", moderators_only(programme_publish), name="publish"),
        ]


# Merging organisations ---------------------------------------------------------------------


SELF_MERGE = gettext_lazy(
    "Choose two different organisations: an organisation cannot be merged into itself."
)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.slug}, {obj.country.code})"


class MergeForm(forms.Form):
    keep = OrganisationChoiceField(
        label=gettext_lazy("Keep"),
        queryset=Organisation.objects.order_by("name"),
        help_text=gettext_lazy("The organisation that stays."),
    )
    merge = OrganisationChoiceField(
        label=gettext_lazy("Merge into it"),
        queryset=Organisation.objects.order_by("name"),
        help_text=gettext_lazy(
            "Another record of the same organisation: it is deleted, and its name becomes an "
            "alias of the one kept."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("keep") and data.get("keep") == data.get("merge"):
            raise ValidationError(SELF_MERGE)
        return data


def _merged_message(pk: int) -> str | None:
    """What became of an organisation that no longer exists, if a merge took it."""
    record = OrganisationMerge.objects.filter(merged_id=pk).first()
    if record is None:
        return None
    return _("%(merged)s was already merged into %(kept)s by someone else: choose again.") % {
        "merged": record.merged_name,
        "kept": record.kept_name,
    }


def _stale(data) -> str | None:
    """Why a confirmation no longer holds, or None."""
    for name in ("keep", "merge"):
        try:
            pk = int(data.get(name, ""))
        except ValueError:
            return _("The form was changed on its way here: choose the organisations again.")
        if not Organisation.objects.filter(pk=pk).exists():
            return _merged_message(pk) or _(
                "One of these organisations no longer exists: choose again."
            )
    return None


def organisation_merge(request):
    """Pick two organisations, see what would move, confirm."""
    _moderator_or_403(request)
    if request.method == "POST":
        return _merge_confirmed(request)
    form = MergeForm(request.GET or None)
    preview = None
    if request.GET and form.is_valid():
        preview = selectors.organisation_merge_preview(
            keep=form.cleaned_data["keep"], merge=form.cleaned_data["merge"]
        )
    return TemplateResponse(
        request, "programs/admin/merge.html", {"form": form, "preview": preview}
    )


def _merge_confirmed(request):
    stale = _stale(request.POST)
    if stale:
        messages.error(request, stale)
        return redirect("organisation-merge:index")
    form = MergeForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "programs/admin/merge.html", {"form": form})
    keep, merge = form.cleaned_data["keep"], form.cleaned_data["merge"]
    preview = selectors.organisation_merge_preview(keep=keep, merge=merge)
    if request.POST.get("seen") != preview.fingerprint:
        messages.warning(
            request, _("What would move has changed since you looked: check it again.")
        )
        context = {"form": form, "preview": preview}
        return TemplateResponse(request, "programs/admin/merge.html", context)
    try:
        record = services.organisation_merge(keep=keep, merge=merge, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        context = {"form": form, "preview": preview}
        return TemplateResponse(request, "programs/admin/merge.html", context)
    messages.success(
        request,
        _("%(merged)s was merged into %(kept)s.")
        % {"merged": record.merged_name, "kept": record.kept_name},
    )
    return redirect("organisation-merges:inspect", record.pk)


class OrganisationMergeScreenViewSet(ViewSet):
    name = "organisation-merge"
    url_prefix = "registry/merge"
    icon = "resubmit"
    menu_label = gettext_lazy("Merge organisations")
    menu_item_class = ModeratorMenuItem

    def get_urlpatterns(self):
        return [path("", moderators_only(organisation_merge), name="index")]


# Programme coordinators ----------------------------------------------------------------------


class ModeratorsPolicy(ModelPermissionPolicy):
    """Registry moderators and staff grant (add), list and withdraw (delete) a record; nobody
    edits one: a grant is withdrawn and made again."""

    ACTIONS = ("add", "delete", "view")

    def _moderates(self, user) -> bool:
        return user.is_active and (
            user.is_staff or user.is_superuser or user.has_perm(MODERATOR_PERMISSION)
        )

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and self._moderates(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not set(actions) & set(self.ACTIONS):
            return get_user_model().objects.none()
        moderators = Q(is_staff=True) | Q(is_superuser=True)
        moderators |= Q(groups__name=selectors.MODERATORS_GROUP)
        return get_user_model().objects.filter(moderators, is_active=True).distinct()


class ProgrammeCoordinatorForm(WagtailAdminModelForm):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("The account of the person who coordinates the programme."),
    )

    class Meta:
        model = ProgrammeCoordinator
        fields = ["programme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("identifier")

    def clean_email(self):
        email = self.cleaned_data["email"]
        found = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if found is None:
            raise ValidationError(_("Nobody has an account with this e-mail address."))
        self.instance.user = found
        return email

    def clean(self):
        data = super().clean()
        programme, user = data.get("programme"), getattr(self.instance, "user", None)
        if programme and user and programme.coordinators.filter(user=user).exists():
            raise ValidationError(_("This person already coordinates this programme."))
        return data


class GrantView(CreateView):
    def save_instance(self):
        return services.programme_coordinator_grant(
            programme=self.form.cleaned_data["programme"],
            user=self.form.instance.user,
            by=self.request.user,
        )

    def get_success_buttons(self):
        return []


class WithdrawView(DeleteView):
    def delete_action(self):
        services.programme_coordinator_withdraw(grant=self.object, by=self.request.user)
