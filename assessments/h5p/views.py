"""The site's side of H5P: the statements the lesson page relays from the player."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services, xapi


def refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"recorded": False, "error": str(message)}, status=status)


@login_required
@require_POST
def xapi_statement(request, package_id):
    """A statement relayed by the lesson page from the H5P player (client-reported)."""
    package = selectors.package_by_id(package_id)
    if package is None:
        return refused(_("There is no such activity."), 404)
    try:
        statement = xapi.parse(request.body)
        percent = services.xapi_record(user=request.user, package=package, statement=statement)
    except PermissionDenied as e:
        return refused(e, 403)
    except xapi.StatementError as e:
        return refused(e, e.status)
    return JsonResponse({"recorded": True, "percent": percent, "client_reported": True})
