from django import template

from ..training.cohort_selectors import cohort_opening, cohorts_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def training_cohorts(context):
    """For the training hub: the reader's cohorts, and whether (or why not) they may open one."""
    user = context["request"].user
    organisation, reason = cohort_opening(user=user)
    return {
        "cohorts": cohorts_for_user(user=user),
        "may_open": organisation is not None,
        "reason": reason,
    }
