"""The public verification page, the holder's downloads, and the published key and list."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import credentials
from .ratelimit import within_limit
from .selectors import certificate_by_code, holders_certificate, normalise_code

JSON_OPTIONS = {"indent": 2, "ensure_ascii": False}


def _limited(request):
    """A 429 page once an address looks up too many codes in a minute; None within the limit."""
    if within_limit(request, scope="verify", limit=settings.FLIGHTPATH_VERIFY_PER_MINUTE):
        return None
    response = render(request, "courses/certificates/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


def _public(response):
    # A holder's name is for whoever holds the code, not for search engines; a revocation
    # shows at once.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def verify_form(request):
    typed = request.GET.get("code")
    error = ""
    if typed is not None:
        if refused := _limited(request):
            return refused
        code = normalise_code(typed)
        if code:
            grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
            return redirect("courses:certificate_verify", grouped)
        error = _(
            "This is not a verification code. A code has 16 letters and digits, printed in "
            "four groups of four under the QR code, such as 7KQ2-M4XD-9P3T-HB6W."
        )
    context = {"typed": typed or "", "error": error}
    return _public(render(request, "courses/certificates/verify_form.html", context))


@require_safe
def verify(request, code):
    if refused := _limited(request):
        return refused
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return _public(
            render(request, "courses/certificates/not_found.html", {"code": code}, status=404)
        )
    context = {"certificate": certificate, "standing": certificate.standing()}
    return _public(render(request, "courses/certificates/verify.html", context))


@login_required
@require_safe
def certificate_pdf(request, code):
    certificate = holders_certificate(user=request.user, code=code)
    if certificate is None:
        raise Http404(_("You hold no certificate with this code."))
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"flightpath-certificate-{certificate.grouped_code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def certificate_credential(request, code):
    certificate = holders_certificate(user=request.user, code=code)
    if certificate is None:
        raise Http404(_("You hold no certificate with this code."))
    response = JsonResponse(credentials.credential(certificate), json_dumps_params=JSON_OPTIONS)
    response["Content-Disposition"] = (
        f'attachment; filename="flightpath-credential-{certificate.grouped_code}.json"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def status_list(request, number):
    if number != 1:
        raise Http404
    response = JsonResponse(credentials.status_list_credential(), json_dumps_params=JSON_OPTIONS)
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def issuer(request):
    response = JsonResponse(credentials.issuer_profile(), json_dumps_params=JSON_OPTIONS)
    response["Cache-Control"] = "public, max-age=3600"
    return response
