"""Signed-in pages served from the cache: one copy per reader state, not per reader.

A lesson page differs from one officer to the next only in what the page works out from their
record (their progress in the course, whether the lesson is done, their activity results), and
in the CSRF token; the course and catalogue pages likewise. So a page names what it shows of
the reader as a short *reader state*, and is rendered once per content generation, host,
language, page and reader state, for a stand-in reader who is signed in but nobody in
particular, with a marker where the CSRF token goes. A request then costs its reader state
(one query for the learner's record), one cache read and its own token. Pages take part with
`ReaderPageMixin`.

Nothing that identifies a reader can reach a shared copy: the stand-in has no name, e-mail or
id. Whatever else a page shows of its reader must be part of its reader state. Two kinds of
request are served the ordinary way, as their pages hold more than the reader state: someone
with messages waiting (they follow an action, once), and people who use the CMS (they get
Wagtail's user bar). Previews never use a shared copy: Wagtail renders them from the page's
`get_context`, and a preview request reaching `serve` is turned away here too."""

import copy
import hashlib
import secrets
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.accounts.selectors import may_use_cms

from . import cache as content_cache


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


def applies(request) -> bool:
    return (
        request.method == "GET"
        and request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not may_use_cms(user=request.user)
        and not len(get_messages(request))  # looks without marking them read
    )


def render(request, *, key: str, reader_state: str, template_name: str, context) -> HttpResponse:
    """The page for this request. `context()` builds the template context (it is called only
    when no copy exists for this reader state) and must hold nothing personal that
    `reader_state` does not name."""
    where = f"{request.get_host()}:{get_language()}:{template_name}"
    state = hashlib.md5(reader_state.encode(), usedforsecurity=False).hexdigest()  # any length
    parts = content_cache.remember(
        f"reader-page:{where}:{key}:{state}",
        lambda: _render_shared(request, template_name, context),
    )
    return HttpResponse(get_token(request).join(parts))


def _render_shared(request, template_name: str, context) -> list[str]:
    """The page for the stand-in reader, split where each CSRF token goes."""
    marker = f"<!--csrf-token-{secrets.token_hex(8)}-->"  # content cannot guess it
    stand_in = copy.copy(request)
    stand_in.user = AnySignedInReader()
    stand_in._messages = []
    values = {**context(), "request": stand_in, "csrf_token": mark_safe(marker)}  # noqa: S308 our own marker
    html = render_to_string(template_name, values, request=stand_in)
    return html.split(marker)


class ReaderPageMixin:
    """A Wagtail page served to signed-in readers from one rendering per reader state.

    The page says what every reader sees (`get_shared_context`, Wagtail's context and more) and
    what this reader sees (`get_reader`: their reader state, and a function building their
    context from the same reads). Everyone else is served the ordinary way, with both.
    """

    def get_shared_context(self, request) -> dict:
        return super().get_context(request)

    def get_reader(self, request) -> tuple[str, Callable[[], dict]]:
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = self.get_shared_context(request)
        context.update(self.get_reader(request)[1]())
        return context

    def serve(self, request, *args, **kwargs):
        if not applies(request):
            return super().serve(request, *args, **kwargs)
        reader_state, personal = self.get_reader(request)
        return render(
            request,
            key=f"page:{self.pk}",
            reader_state=reader_state,
            template_name=self.get_template(request, *args, **kwargs),
            context=lambda: {**self.get_shared_context(request), **personal()},
        )
