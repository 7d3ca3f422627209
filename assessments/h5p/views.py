"""The site's side of H5P: the statements the lesson page relays from the player."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import H5PPackage
from . import services
from .xapi import StatementError


@login_required
@require_POST
def xapi_statement(request, package_id):
    """A statement relayed by the lesson page from the H5P player (client-reported)."""
    package = get_object_or_404(H5PPackage, pk=package_id)
    try:
        statement = json.loads(request.body or b"null")
    except ValueError:
        return JsonResponse({"recorded": False, "error": _("That is not JSON.")}, status=400)
    try:
        percent = services.xapi_record(user=request.user, package=package, statement=statement)
    except PermissionDenied as e:
        return JsonResponse({"recorded": False, "error": str(e)}, status=403)
    except StatementError as e:
        return JsonResponse({"recorded": False, "error": str(e)}, status=422)
    return JsonResponse({"recorded": True, "percent": percent, "client_reported": True})
