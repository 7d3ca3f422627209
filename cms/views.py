from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.static import serve
from wagtail.documents.views.serve import serve as wagtail_document_serve

from courses.media import may_see_upload

# Whatever a trainer put in a file, the browser saves it and runs nothing in it: a document
# opened from the site must not act with the site's origin (its cookies, its CMS, its users).
UPLOAD_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"


def bare_anonymous(request):
    """Baseline B0 for `make bench`: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def bare_signed_in(request):
    """Baseline B1 for `make bench`: reads the signed-in user from the session."""
    return HttpResponse(
        request.user.email if request.user.is_authenticated else "anonymous",
        content_type="text/plain",
    )


def media_for_cms_users(request, path):
    """Uploaded files as stored, for the people who write content (the CMS shows them).

    Everyone else reaches documents and images through views that check who may see them, and
    so does a CMS user for the files of courses closed to them.
    """
    if not may_see_upload(request.user, path):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    return as_sandboxed_download(response, filename=path.rsplit("/", 1)[-1])


def document_download(request, document_id, document_filename):
    """Wagtail's document view (audience check, signal, ETag), sent as a sandboxed download."""
    response = wagtail_document_serve(request, document_id, document_filename)
    if response.status_code != 200:
        return response
    return as_sandboxed_download(response, filename=document_filename)


def as_sandboxed_download(response, *, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CONTENT_SECURITY_POLICY
    return response


def bare_insert(request):
    """Baseline B2 for `make bench`: a signed-in POST that inserts one row in a transaction."""
    import uuid
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    if not request.user.is_authenticated or request.method != "POST":
        return HttpResponse(status=403)
    with transaction.atomic():
        Session.objects.create(
            session_key=uuid.uuid4().hex, session_data="", expire_date=timezone.now() - timedelta(1)
        )
    return HttpResponse("ok", content_type="text/plain")
