from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from .selectors import current_membership


class AccountAdapter(DefaultAccountAdapter):
    """Flightpath's hooks into allauth's account flows."""

    def is_open_for_signup(self, request):
        """Anyone may sign up; courses for officers open only once a coordinator verifies them."""
        return True

    def get_login_redirect_url(self, request):
        """Staff who must use a second factor and have none go to set one up first."""
        if self._must_enrol_mfa(request.user):
            return reverse("mfa_activate_totp")
        return super().get_login_redirect_url(request)

    def _must_enrol_mfa(self, user):
        if not settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF or not user.is_authenticated:
            return False
        from allauth.mfa.models import Authenticator

        membership = current_membership(user=user)
        is_coordinator = bool(membership and membership.role == "coordinator")
        return (user.is_staff or is_coordinator) and not Authenticator.objects.filter(
            user=user
        ).exists()
