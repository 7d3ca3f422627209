from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import selectors, services
from .forms import DecisionForm, InvitationCsvForm, InvitationForm, JoinRequestForm, RoleForm
from .models import Membership


def _coordinated_or_404(request, slug):
    organisation = selectors.coordinated_organisation(user=request.user, slug=slug)
    if organisation is None:
        raise Http404(_("You do not coordinate this organisation."))
    return organisation


def _member_or_404(organisation, membership_id):
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organisation=organisation
    )


@login_required
def my_organisation(request):
    membership = selectors.current_membership(user=request.user)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and membership is None and form.is_valid():
        try:
            services.membership_request(
                user=request.user, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Your request was sent. A coordinator will verify it."))
        return redirect("accounts:my_organisation")
    return render(
        request, "accounts/my_organisation.html", {"membership": membership, "form": form}
    )


@login_required
def welcome(request):
    """What a new member does next: join their organisation (from the list), and meanwhile
    read the courses open to everyone."""
    context = {
        "membership": selectors.current_membership(user=request.user),
        "organisations": selectors.organisations_open_to_requests(),
    }
    return render(request, "accounts/welcome.html", context)


@login_required
@require_POST
def leave_organisation(request):
    services.membership_leave(user=request.user)
    messages.success(request, _("You have left your organisation."))
    return redirect("accounts:my_organisation")


@login_required
def members(request, slug):
    organisation = _coordinated_or_404(request, slug)
    context = {
        "organisation": organisation,
        "memberships": selectors.organisation_members(organisation=organisation),
        "invitations": selectors.organisation_pending_invitations(organisation=organisation),
        "invite_form": InvitationForm(),
        "csv_form": InvitationCsvForm(),
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/members.html", context)


@login_required
@require_POST
def invite(request, slug):
    organisation = _coordinated_or_404(request, slug)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address and role."))
        return redirect("accounts:members", slug=slug)
    try:
        services.invitation_create(organisation=organisation, by=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
    return redirect("accounts:members", slug=slug)


@login_required
@require_POST
def invite_csv(request, slug):
    organisation = _coordinated_or_404(request, slug)
    form = InvitationCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("accounts:members", slug=slug)
    try:
        count = services.invitations_create_from_csv(
            organisation=organisation,
            data=form.cleaned_data["file"].read(),
            by=request.user,
        )
    except ValidationError as e:
        messages.error(
            request, _("No invitations were sent. %(reasons)s") % {"reasons": " ".join(e.messages)}
        )
    else:
        messages.success(request, _("%(count)d invitations sent.") % {"count": count})
    return redirect("accounts:members", slug=slug)


@login_required
@require_POST
def member_decide(request, slug, membership_id):
    organisation = _coordinated_or_404(request, slug)
    membership = _member_or_404(organisation, membership_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose verify or reject."))
        return redirect("accounts:members", slug=slug)
    try:
        services.membership_decide(
            membership=membership, by=request.user, verify=form.cleaned_data["decision"] == "verify"
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("%(person)s: %(status)s.")
            % {"person": membership.user, "status": membership.get_status_display()},
        )
    return redirect("accounts:members", slug=slug)


@login_required
@require_POST
def member_role(request, slug, membership_id):
    organisation = _coordinated_or_404(request, slug)
    membership = _member_or_404(organisation, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("accounts:members", slug=slug)
    if membership.user_id == request.user.id:
        raise PermissionDenied(_("You cannot change your own role."))
    services.membership_set_role(
        membership=membership, by=request.user, role=form.cleaned_data["role"]
    )
    messages.success(
        request,
        _("%(person)s is now %(role)s.")
        % {"person": membership.user, "role": membership.get_role_display()},
    )
    return redirect("accounts:members", slug=slug)


def invitation(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as e:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(e)}, status=410)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(token=token, user=request.user)
        except services.InvitationError as e:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(e)}, status=410
            )
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organisation.name})
        return redirect("courses:my_learning")
    if not request.user.is_authenticated:
        # Following the link proves the address: signing up with it needs no second e-mail.
        get_adapter(request).stash_verified_email(request, invitation.email)
    context = {
        "invitation": invitation,
        "next": reverse("accounts:invitation", kwargs={"token": token}),
        "email_matches": request.user.is_authenticated
        and request.user.email.lower() == invitation.email.lower(),
    }
    return render(request, "accounts/invitation.html", context)


def set_language(request):
    """Django's language switch, which also remembers a signed-in person's choice for their
    e-mails and next visits. The page to go back to is read in its own language (its path's
    prefix): read in another, `/es/courses/...` was taken for an English page under `es/`,
    and a Spanish reader choosing French landed on `/fr/es/courses/...`."""
    posted = request.POST.get("next", request.GET.get("next", ""))
    with translation.override(translation.get_language_from_path(posted) or settings.LANGUAGE_CODE):
        response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(user=request.user, language=language)
    return response


@login_required
def account(request):
    """Where *Account* leads: the person's e-mail, password and two-factor settings."""
    from allauth.mfa.models import Authenticator

    has_second_factor = Authenticator.objects.filter(user=request.user).exists()
    return render(request, "accounts/account.html", {"has_second_factor": has_second_factor})
