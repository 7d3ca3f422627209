import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

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


class IdleSessionMiddleware:
    """Signs out a session left idle longer than FLIGHTPATH_SESSION_IDLE_SECONDS.

    The last activity is written to the session at most once every `REFRESH_SECONDS` (or a
    tenth of the limit, if shorter), so a signed-in page costs no session write.
    """

    KEY = "flightpath_seen"
    REFRESH_SECONDS = 300

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.FLIGHTPATH_SESSION_IDLE_SECONDS
        if limit and request.user.is_authenticated:
            self.touch(request, limit)
        return self.get_response(request)

    def touch(self, request, limit: int) -> None:
        now = int(time.time())
        seen = request.session.get(self.KEY)
        if seen is not None and now - seen > limit:
            logout(request)
            messages.info(request, _("You were signed out after a while without activity."))
        elif seen is None or now - seen >= min(self.REFRESH_SECONDS, limit // 10):
            self.seen_now(request.session)

    @classmethod
    def seen_now(cls, session) -> None:
        session[cls.KEY] = int(time.time())


class MembershipNoticeMiddleware:
    """On a person's first request after a coordinator decided on their membership, a message
    says what was decided. Costs nothing otherwise: the notice is a column of the user row that
    every signed-in request reads anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.membership_notice_id:
            self.show(request)
        return self.get_response(request)

    def show(self, request) -> None:
        from .services import membership_notice_take

        membership = membership_notice_take(user=request.user)
        if membership is None:
            return
        organisation = membership.organisation.name
        if membership.is_verified:
            messages.success(
                request,
                _(
                    "%(organisation)s verified your membership: courses for officers are "
                    "open to you."
                )
                % {"organisation": organisation},
            )
        elif membership.status == membership.Status.REJECTED:
            messages.warning(
                request,
                _(
                    "%(organisation)s did not verify your membership. If you work there, ask "
                    "its coordinator why; or ask to join another organisation."
                )
                % {"organisation": organisation},
            )
