from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cms.home.templatetags.flightpath_tags import link
from cms.read_only import ReadOnlyPermissionPolicy

from .admin_views import (
    GrantView,
    ModeratorMenuItem,
    ModeratorsPolicy,
    OrganisationMergeScreenViewSet,
    ProgrammeCoordinatorForm,
    ProgrammeSearchViewSet,
    WithdrawView,
)
from .models import (
    OrganisationAlias,
    OrganisationMerge,
    OverlapDecision,
    ProgrammeCoordinator,
    ProgrammeRevision,
)


@hooks.register("site_nav_links")
def programmes_in_the_menu(request):
    return [(link("programs:list"), _("Programmes"))]


class OrganisationAliasViewSet(ModelViewSet):
    """Other names of organisations, in any language: every alias leads to one organisation in
    the overlap check and in reports."""

    model = OrganisationAlias
    name = "organisation-aliases"
    url_prefix = "registry/aliases"
    icon = "tag"
    menu_label = _("Organisation aliases")
    form_fields = ["organisation", "name", "language"]
    list_display = ["name", "organisation", "language"]
    search_fields = ["name", "organisation__name"]
    copy_view_enabled = False


class ProgrammeCoordinatorViewSet(ModelViewSet):
    """Who coordinates which programme: granted and withdrawn here by the registry's
    moderators. A programme coordinator's dashboards show what was delivered under it."""

    model = ProgrammeCoordinator
    name = "programme-coordinators"
    url_prefix = "registry/coordinators"
    icon = "user"
    menu_label = _("Programme coordinators")
    menu_item_class = ModeratorMenuItem
    add_view_class = GrantView
    delete_view_class = WithdrawView
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return ProgrammeCoordinatorForm

    list_display = ["programme", "user", "granted_by", "granted_at"]
    search_fields = ["programme__identifier", "user__email"]


class RecordViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # no form is ever shown: the policy refuses add and edit


class OrganisationMergeViewSet(RecordViewSet):
    model = OrganisationMerge
    name = "organisation-merges"
    url_prefix = "registry/merges"
    icon = "resubmit"
    menu_label = _("Organisation merges")
    list_display = ["merged_name", "kept_name", "merged_by", "merged_at"]


class OverlapDecisionViewSet(RecordViewSet):
    model = OverlapDecision
    name = "duplicate-decisions"
    url_prefix = "registry/decisions"
    icon = "list-ul"
    menu_label = _("Duplicate decisions")
    list_display = ["low", "high", "decision", "relation", "decided_by", "decided_at"]
    list_filter = ["decision"]


class ProgrammeRevisionViewSet(RecordViewSet):
    model = ProgrammeRevision
    name = "programme-revisions"
    url_prefix = "registry/revisions"
    icon = "history"
    menu_label = _("Programme revisions")
    list_display = ["programme", "number", "note", "created_by", "created_at"]
    search_fields = ["programme__identifier"]


class RegistryGroup(ViewSetGroup):
    menu_label = _("Programme registry")
    menu_icon = "site"
    menu_order = 320
    items = (
        ProgrammeSearchViewSet,
        OrganisationAliasViewSet,
        ProgrammeCoordinatorViewSet,
        OrganisationMergeScreenViewSet,
        OrganisationMergeViewSet,
        OverlapDecisionViewSet,
        ProgrammeRevisionViewSet,
    )


register_permission_policy(ProgrammeCoordinator, ModeratorsPolicy(ProgrammeCoordinator))
for record_model in (OrganisationMerge, OverlapDecision, ProgrammeRevision):
    register_permission_policy(record_model, ReadOnlyPermissionPolicy(record_model))


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryGroup()
