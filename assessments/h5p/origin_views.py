import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import H5PPackage
from .packages import store_root
from .services import package_activity

OWN_ASSETS = Path(__file__).resolve().parent / "player"


def _file(base: Path, relative: str) -> FileResponse:
    base = base.resolve()
    target = (base / relative).resolve()
    if base not in target.parents or not target.is_file():
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(open(target, "rb"), content_type=content_type)  # noqa: SIM115 - closed by FileResponse
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def player(request, folder):
    package = get_object_or_404(H5PPackage, folder=folder)
    context = {
        "package": package,
        "site_origin": settings.FLIGHTPATH_SITE_ORIGIN,
        "activity": package_activity(package),
    }
    response = render(request, "assessments/h5p/player.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def package_file(request, folder, path):
    return _file(store_root() / folder, path)


@require_GET
def asset(request, path):
    """The h5p-standalone player (npm), and Flightpath's own two small player scripts."""
    if path.startswith("flightpath-"):
        return _file(OWN_ASSETS, path)
    return _file(Path(settings.H5P_PLAYER_DIR), path)
