from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Membership, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "country", "kind", "officer_access"]
    list_filter = ["kind", "officer_access"]
    search_fields = ["name"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    list_display = ["user", "organisation", "role", "status", "decided_at"]
    list_filter = ["role", "status", "organisation"]
    search_fields = ["user__email", "user__last_name"]


class PeopleGroup(SnippetViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 300
    items = (OrganisationViewSet, MembershipViewSet)


register_snippet(PeopleGroup)
