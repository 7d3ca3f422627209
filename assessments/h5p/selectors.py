"""Reads about H5P packages: who may use one.

A package has no audience of its own: it takes the audiences of the live pages that use it
(a package used only in officers' lessons is for officers). Those pages belong to the app that
places packages in lessons, which assessments never imports; that app answers through the
Wagtail hook `h5p_package_audiences(package) -> set of audiences`.
"""

from wagtail import hooks

from cms.accounts.selectors import audiences_for_user, may_use_cms
from cms.home import cache as content_cache

from ..models import H5PPackage

AUDIENCES_HOOK = "h5p_package_audiences"


def package_by_id(package_id: int) -> H5PPackage | None:
    """The package a statement is about, from the content cache: every statement its player
    reports asks, and saving or deleting a package moves the content generation."""
    return content_cache.remember(
        f"h5p-package:{package_id}", H5PPackage.objects.filter(pk=package_id).first
    )


def package_audiences(*, package: H5PPackage) -> set[str]:
    """The audiences of the live pages that use `package` (empty when none does)."""
    return {audience for hook in hooks.get_hooks(AUDIENCES_HOOK) for audience in hook(package)}


def package_open_to(*, user, package: H5PPackage) -> bool:
    """Whether `user` may play `package` and report on it. One that no live page uses is only
    for the people who write content, who try it before it is published."""
    audiences = package_audiences(package=package)
    if not audiences:
        return may_use_cms(user=user)
    return bool(audiences & audiences_for_user(user=user))
