"""Signed-in pages served from the cache: one copy per reader state, not per reader.

A lesson page differs from one officer to the next only in what the page works out from their
record (their progress in the course, whether the lesson is done, their activity results), and
in the CSRF token; the course and catalogue pages likewise. So a page names what it shows of
the reader as a short *reader state*, and is rendered once per content generation, host,
language, page and reader state, for a stand-in reader who is signed in but nobody in
particular, with a marker where the CSRF token goes. A request then costs its reader state
(one query for the learner's record), one cache read and its own token. Pages take part with
`ReaderPageMixin`.

Nothing that identifies a reader can reach a shared copy: the shared context and the template
see only a stand-in request, whose reader has no name, e-mail or id, and which carries none of
the real request's cookies, session, messages, query string or headers. Whatever else a page
shows of its reader must be part of its reader state, which `get_reader` returns as a
`Reader`. Some requests are served the ordinary way, as their pages may hold more than the
reader state: someone with messages waiting (they follow an action, once), people who use the
CMS (they get Wagtail's user bar), and requests with a query string or route arguments.
Previews never use a shared copy: Wagtail renders them from the page's `get_context`, and a
preview request reaching `serve` is turned away here too."""

import hashlib
import secrets
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.accounts.selectors import may_use_cms

from . import cache as content_cache


class Reader(NamedTuple):
    """What a page shows of one reader: their state, and their personal context built from
    the same reads (called only when the page is rendered for them)."""

    state: str
    context: Callable[[], dict]


class AnySignedInReader:
    """`user` while a shared copy renders: signed in, and nobody in particular."""

    is_authenticated = True
    is_anonymous = False
    is_staff = is_superuser = False
    pk = id = None
    _flightpath_membership = None  # no organisation, so no role (cms.accounts.selectors)

    def __getattr__(self, name):
        raise AttributeError(f"a page shared between readers cannot show a reader's {name}")

    def __str__(self):
        return ""


# What a shared copy may know of the request it answers: where it was asked, nothing of who.
_SHARED_META = (
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",  # read only with USE_X_FORWARDED_HOST
    "HTTP_X_FORWARDED_PORT",  # read only with USE_X_FORWARDED_PORT
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "wsgi.url_scheme",
)
_SHARED_ATTRIBUTES = ("LANGUAGE_CODE", "_wagtail_site", "_wagtail_cached_site_root_paths")


def stand_in_for(request) -> HttpRequest:
    """A request for the same page from a reader who is signed in and nobody in particular:
    no cookie, session, message, query string or header of the real request."""
    stand_in = HttpRequest()
    stand_in.method = "GET"
    stand_in.path, stand_in.path_info = request.path, request.path_info
    meta_keys = [*_SHARED_META, *(settings.SECURE_PROXY_SSL_HEADER or ())[:1]]
    stand_in.META = {key: request.META[key] for key in meta_keys if key in request.META}
    for name in _SHARED_ATTRIBUTES:
        if hasattr(request, name):
            setattr(stand_in, name, getattr(request, name))
    stand_in.user = AnySignedInReader()
    stand_in.session = {}
    stand_in._messages = []
    return stand_in


def applies(request, *args, **kwargs) -> bool:
    """Whether this request may be answered with a shared copy. A query string or route
    arguments could change what the page shows, so they are served the ordinary way."""
    return (
        request.method == "GET"
        and not request.GET
        and not args
        and not kwargs
        and request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not may_use_cms(user=request.user)
        and not len(get_messages(request))  # looks without marking them read
    )


def render(
    request, *, key: str, reader_state: str, template_name: str, context, stand_in=None
) -> HttpResponse:
    """The page for this request. `context()` builds the template context (it is called only
    when no copy exists for this reader state) from `stand_in` (by default a stand-in for
    `request`), and must hold nothing personal that `reader_state` does not name."""
    stand_in = stand_in or stand_in_for(request)
    where = f"{request.scheme}:{request.get_host()}:{get_language()}:{template_name}"
    state = hashlib.md5(reader_state.encode(), usedforsecurity=False).hexdigest()  # any length
    parts = content_cache.remember(
        f"reader-page:{where}:{key}:{state}",
        lambda: _render_shared(stand_in, template_name, context),
    )
    return HttpResponse(get_token(request).join(parts))


def _render_shared(stand_in, template_name: str, context) -> list[str]:
    """The page for the stand-in reader, split where each CSRF token goes."""
    marker = f"<!--csrf-token-{secrets.token_hex(8)}-->"  # content cannot guess it
    values = {**context(), "request": stand_in, "csrf_token": mark_safe(marker)}  # noqa: S308 our own marker
    html = render_to_string(template_name, values, request=stand_in)
    return html.split(marker)


class ReaderPageMixin:
    """A Wagtail page served to signed-in readers from one rendering per reader state.

    The page says what every reader sees (`get_shared_context`, Wagtail's context and more,
    given a stand-in request when the copy is shared) and what this reader sees (`get_reader`:
    their `Reader`). Everyone else is served the ordinary way, with both.
    """

    def get_shared_context(self, request) -> dict:
        return super().get_context(request)

    def get_reader(self, request) -> Reader:
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = self.get_shared_context(request)
        context.update(self.get_reader(request).context())
        return context

    def serve(self, request, *args, **kwargs):
        if not applies(request, *args, **kwargs):
            return super().serve(request, *args, **kwargs)
        reader = self.get_reader(request)
        stand_in = stand_in_for(request)
        return render(
            request,
            key=f"page:{self.pk}",
            reader_state=reader.state,
            template_name=self.get_template(request, *args, **kwargs),
            context=lambda: {**self.get_shared_context(stand_in), **reader.context()},
            stand_in=stand_in,
        )
