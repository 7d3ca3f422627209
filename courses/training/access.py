"""Who may open the training pages (cohorts, observed sessions, the cascade)."""

from cms.accounts.models import Membership
from cms.accounts.selectors import current_membership


def may_open_training(*, user) -> bool:
    """Verified trainers and coordinators, and staff; asked for the menu on every page, so it
    reads only the membership each page reads already."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    membership = current_membership(user=user)
    return bool(
        membership
        and membership.is_verified
        and membership.role in (Membership.Role.TRAINER, Membership.Role.COORDINATOR)
    )
