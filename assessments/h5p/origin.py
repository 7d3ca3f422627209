"""The H5P content origin: the player and packages, and nothing else, on a host of their own.

Requests for the content host are answered here, first in the middleware stack, so no session
is read, no cookie is set and no site view is reachable from it. Every response carries a strict
Content-Security-Policy; the one inline script H5P core writes is allowed by its hash.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseNotFound
from django.urls import Resolver404, resolve

H5P_CORE_INLINE_SCRIPT = "'sha256-8CniZYrnO46q7MvZ3m08Wom1HH/ZhyXmm29kBKTV1rk='"


DEFAULT_PORTS = {"http": 80, "https": 443}


def host_and_port(host: str, scheme: str) -> tuple[str, int | None]:
    """A `Host` header however a browser or proxy spells it: without case or a trailing dot,
    and with the port the origin's scheme implies when none is given."""
    try:
        parts = urlsplit(f"//{host}")
        port = parts.port
    except ValueError:  # no site host is spelt like that either
        return host.lower(), None
    return (parts.hostname or "").rstrip("."), port or DEFAULT_PORTS.get(scheme)


def is_content_host(host: str) -> bool:
    origin = urlsplit(settings.H5P_CONTENT_ORIGIN)
    return host_and_port(host, origin.scheme) == host_and_port(origin.netloc, origin.scheme)


def content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {H5P_CORE_INLINE_SCRIPT}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "frame-src 'self'",
            f"frame-ancestors 'self' {settings.FLIGHTPATH_SITE_ORIGIN}",
            "form-action 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


class H5PContentOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_content_host(request.META.get("HTTP_HOST", "")):
            return self.get_response(request)
        try:
            match = resolve(request.path_info, urlconf="assessments.h5p.origin_urls")
        except Resolver404:
            response = HttpResponseNotFound("Not found", content_type="text/plain")
        else:
            response = match.func(request, *match.args, **match.kwargs)
        response["Content-Security-Policy"] = content_security_policy()
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        response.cookies.clear()
        return response
