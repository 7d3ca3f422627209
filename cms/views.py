from django.http import HttpResponse


def bare_anonymous(request):
    """Baseline B0 for `make bench`: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def bare_signed_in(request):
    """Baseline B1 for `make bench`: reads the signed-in user from the session."""
    return HttpResponse(
        request.user.email if request.user.is_authenticated else "anonymous",
        content_type="text/plain",
    )
