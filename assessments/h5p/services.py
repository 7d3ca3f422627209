"""Writes about H5P: storing a checked package, and keeping the statements its player reports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import H5PPackage, H5PResult, H5PStatement
from . import packages, selectors, xapi


def h5p_import(*, source, title: str = "", user=None) -> H5PPackage:
    """Check and store an .h5p package; on any refusal nothing is written (PackageError)."""
    folder, info = packages.import_package(source)
    try:
        with transaction.atomic():
            package = H5PPackage(
                title=(title or info.title)[:200],
                folder=folder,
                main_library=info.main_library,
                libraries=list(info.libraries),
                extracted_bytes=info.extracted_bytes,
                uploaded_by=user,
            )
            package.full_clean()
            package.save()
    except Exception:
        packages.remove_package(folder)
        raise
    return package


def xapi_record(*, user, package: H5PPackage, statement) -> int | None:
    """Keep a statement once; update the learner's result (best or last) when it has one.

    Only about a package the learner may open (PermissionDenied), and only about the learner
    (StatementError); it is kept naming the learner by their account. Returns the learner's
    percent on the activity as it now stands (None: no result yet), without reading it back
    when this statement's score is the one just stored.
    """
    if not selectors.package_open_to(user=user, package=package):
        raise PermissionDenied(_("This activity is used only in courses that are not open to you."))
    checked = xapi.check(statement, activity=package_activity(package), learner=learner(user))
    try:
        with transaction.atomic():
            H5PStatement.objects.create(
                user=user, package=package, key=checked.key, statement=checked.statement
            )
            if checked.has_result and _result_update(user=user, package=package, checked=checked):
                return round(100 * checked.scaled)
    except IntegrityError:
        pass  # sent before: the statement is kept once, and already counted
    result = H5PResult.objects.filter(user=user, package=package).first()
    return result.percent if result else None


def _result_update(*, user, package: H5PPackage, checked: xapi.Checked) -> bool:
    """One conditional UPDATE in the usual case: the last result, or a better one. True when
    the stored result is now this one."""
    values = {"raw": checked.raw, "maximum": checked.maximum, "scaled": checked.scaled}
    results = H5PResult.objects.filter(user=user, package=package)
    replaceable = results
    if package.counting == H5PPackage.Counting.BEST:
        replaceable = results.filter(scaled__lte=checked.scaled)
    if replaceable.update(**values, updated_at=timezone.now()):
        return True
    if results.exists():
        return False  # a better result is kept
    try:
        with transaction.atomic():
            H5PResult.objects.create(user=user, package=package, **values)
    except IntegrityError:  # a parallel statement created it a moment ago
        return bool(replaceable.update(**values, updated_at=timezone.now()))
    return True


def package_activity(package: H5PPackage) -> str:
    """The activity IRI the player is told to use for this package."""
    return f"{settings.FLIGHTPATH_SITE_ORIGIN}/h5p/{package.pk}"


def learner(user) -> xapi.Learner:
    """The signed-in learner as statements may name them; kept statements name their account."""
    return xapi.Learner(
        email=user.email, home_page=settings.FLIGHTPATH_SITE_ORIGIN, account_name=str(user.pk)
    )
