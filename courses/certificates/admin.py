"""Certificates in the CMS, under *Learning records*: read-only, with *Revoke* for staff."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from ..models import Certificate
from .services import certificate_revoke

VIEWSET_NAME = "certificates"


def may_revoke(user) -> bool:
    return user.is_active and (user.is_staff or user.is_superuser)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept with the certificate for the record; the public page shows only the date."
        ),
    )


class CertificateInspectView(InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.status != Certificate.Status.REVOKED and may_revoke(self.request.user):
            url = reverse(f"{VIEWSET_NAME}:revoke", args=[self.object.pk])
            buttons.append(Button(_("Revoke"), url=url, icon_name="cross", priority=30))
        return buttons


def revoke_view(request, pk):
    if not may_revoke(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
        messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate})
        return redirect(f"{VIEWSET_NAME}:inspect", pk)
    return TemplateResponse(
        request,
        "courses/certificates/admin_revoke.html",
        {"certificate": certificate, "form": form},
    )


class CertificateViewSet(ModelViewSet):
    """Every certificate as issued; nobody edits one. Staff may revoke one, with a reason."""

    model = Certificate
    name = VIEWSET_NAME
    url_prefix = "learning/certificates"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = CertificateInspectView
    copy_view_enabled = False
    exclude_form_fields = []  # no form is ever shown: the policy refuses add and edit
    list_display = [
        "holder_name",
        "achievement",
        "kind",
        "organisation_name",
        "issued_at",
        "valid_until",
        "status",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["holder_name", "holder__email", "code", "achievement"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<int:pk>/", revoke_view, name="revoke"),
        ]
