"""The cascade page: who trained whom, and how far their training reached."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from cms.accounts.models import Membership
from cms.accounts.selectors import current_membership

from . import cascade


def cascade_scope(*, user) -> cascade.Scope | None:
    """Staff see every trainer, a coordinator their organisation's, a trainer the part of
    the tree below them; anyone else nothing."""
    if user.is_staff or user.is_superuser:
        return cascade.Scope("all")
    membership = current_membership(user=user)
    if not (membership and membership.is_verified):
        return None
    if membership.role == Membership.Role.COORDINATOR:
        return cascade.Scope("organisation", membership.organisation_id)
    if membership.role == Membership.Role.TRAINER:
        return cascade.Scope("trainer", user.pk)
    return None


def _number(value: str | None, default: int | None = None) -> int | None:
    """A positive whole number from the query string; anything else is a page not found."""
    if value is None:
        return default
    if not value.isdigit() or len(value) > 12 or int(value) < 1:
        raise Http404
    return int(value)


@login_required
def cascade_page(request):
    scope = cascade_scope(user=request.user)
    if scope is None:
        raise PermissionDenied
    focus = _number(request.GET.get("trainer"))
    page = _number(request.GET.get("page"), default=1)
    rows, total = cascade.cascade_reach(
        scope=scope,
        focus_id=focus,
        offset=(page - 1) * cascade.PAGE_SIZE,
        limit=cascade.PAGE_SIZE,
    )
    if not rows and (focus or page > 1):
        raise Http404  # not in the reader's part of the tree, or past its end
    query = f"trainer={focus}&" if focus else ""
    return render(
        request,
        "courses/training/cascade.html",
        {
            "rows": rows,
            "tree": cascade.as_tree(list(rows)),
            "total": total,
            "focus": rows[0] if focus and page == 1 else None,
            "focused": bool(focus),
            "scope": scope,
            "previous_page": f"?{query}page={page - 1}" if page > 1 else None,
            "next_page": f"?{query}page={page + 1}" if page * cascade.PAGE_SIZE < total else None,
            "first": (page - 1) * cascade.PAGE_SIZE + 1,
            "last": (page - 1) * cascade.PAGE_SIZE + len(rows),
        },
    )
