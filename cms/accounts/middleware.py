from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path

from .selectors import must_enrol_mfa


class RequireMFAMiddleware:
    """Where MFA is required, CMS users and coordinators without a second factor can do nothing
    but set one up (or sign out) until they have."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/jsi18n/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.FLIGHTPATH_REQUIRE_MFA_FOR_STAFF
            and not self.allowed(request.path)
            and must_enrol_mfa(user=request.user, in_cms=request.path.startswith("/admin/"))
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def allowed(self, path: str) -> bool:
        """Allowed in every language: `/fr/accounts/...` is the set-up page in French."""
        language = get_language_from_path(path)
        if language and path.startswith(f"/{language}/"):
            path = path[len(language) + 1 :]
        return path.startswith(self.ALLOWED_PREFIXES)
