from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from .selectors import is_newcomer, must_enrol_mfa


class AccountAdapter(DefaultAccountAdapter):
    """Flightpath's hooks into allauth's account flows."""

    def is_open_for_signup(self, request):
        """Anyone may sign up; courses for officers open only once a coordinator verifies them."""
        return True

    def get_login_redirect_url(self, request):
        """Staff who must use a second factor and have none go to set one up first; someone
        who belongs to no organisation and never asked to join one (a new member, just
        confirmed) is told what to do next rather than shown an empty My learning."""
        if settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF and must_enrol_mfa(user=request.user):
            return reverse("mfa_activate_totp")
        if is_newcomer(user=request.user):
            return reverse("accounts:welcome")
        return super().get_login_redirect_url(request)

    def get_logout_redirect_url(self, request):
        """The home page in the language the person was reading."""
        return reverse("wagtail_serve", args=("",))

    def get_signup_redirect_url(self, request):
        """A new member goes on to the next step: joining their organisation."""
        return reverse("accounts:welcome")
