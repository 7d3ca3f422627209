from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import must_enrol_mfa


class RequireMFAMiddleware:
    """Where MFA is required, coordinators and staff without a second factor can do nothing
    but set one up (or sign out) until they have."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/jsi18n/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and must_enrol_mfa(user=request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
