from django import template

from cms.accounts.models import Membership
from cms.accounts.selectors import current_membership

from ..training.certification_selectors import is_master_in_force

register = template.Library()


@register.simple_tag(takes_context=True)
def certification_links(context) -> dict:
    """What the signed-in person's certification section of the training hub links to."""
    user = context["request"].user
    membership = current_membership(user=user)
    coordinates = (
        membership and membership.is_verified and membership.role == Membership.Role.COORDINATOR
    )
    return {
        "observes": is_master_in_force(user=user),
        "organisation": membership.organisation if coordinates else None,
    }
