from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from .selectors import must_enrol_mfa


class AccountAdapter(DefaultAccountAdapter):
    """Flightpath's hooks into allauth's account flows."""

    def is_open_for_signup(self, request):
        """Anyone may sign up; courses for officers open only once a coordinator verifies them."""
        return True

    def get_login_redirect_url(self, request):
        """Staff who must use a second factor and have none go to set one up first."""
        if settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF and must_enrol_mfa(user=request.user):
            return reverse("mfa_activate_totp")
        return super().get_login_redirect_url(request)

    def get_logout_redirect_url(self, request):
        """The home page in the language the person was reading."""
        return reverse("wagtail_serve", args=("",))
