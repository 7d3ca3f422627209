"""The site's Content-Security-Policy: its own scripts, styles and images only, no inline script.

The H5P content origin (assessments/h5p/origin.py) answers before this middleware with its
own policy; an uploaded file keeps the stricter policy its view sets (cms/views.py).
"""

from django.conf import settings


def policy_header(directives: dict[str, list[str]], *, frame_sources=()) -> str:
    directives = {**directives}
    if frame_sources:
        directives["frame-src"] = [*directives.get("frame-src", []), *frame_sources]
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def site_policy() -> str:
    # Lessons (and their previews in the CMS) frame the H5P player, wherever it is configured.
    return policy_header(settings.FLIGHTPATH_CSP, frame_sources=[settings.H5P_CONTENT_ORIGIN])


def admin_policy() -> str:
    return policy_header(settings.FLIGHTPATH_CSP_ADMIN, frame_sources=[settings.H5P_CONTENT_ORIGIN])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            in_admin = request.path_info.startswith(settings.FLIGHTPATH_CSP_ADMIN_PREFIX)
            response["Content-Security-Policy"] = admin_policy() if in_admin else site_policy()
        return response
