"""Reads about the registry: who may see, edit and publish which programmes."""

from django.db.models import Prefetch, Q

from cms.accounts.selectors import current_membership

from .models import (
    BudgetLine,
    DocumentLink,
    ParticipatingOrganisation,
    Programme,
    ProgrammeRelation,
    Visibility,
    WorkflowStatus,
)

MODERATORS_GROUP = "Registry moderators"
PROGRAMME_PREFETCH = (
    "texts",
    "countries",
    "airports",
    "sectors",
    "tags",
    Prefetch(
        "participations",
        queryset=ParticipatingOrganisation.objects.select_related("organisation"),
    ),
    # Budget lines and documents in the order they were entered, as the form shows them.
    Prefetch(
        "budgets",
        queryset=BudgetLine.objects.select_related("funder").order_by("programme_id", "pk"),
    ),
    Prefetch("documents", queryset=DocumentLink.objects.order_by("programme_id", "pk")),
)


def is_moderator(*, user) -> bool:
    """Staff, or a member of the Wagtail group "Registry moderators": they publish records."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if not hasattr(user, "_flightpath_registry_moderator"):
        user._flightpath_registry_moderator = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user._flightpath_registry_moderator


def member_organisation(*, user):
    """The organisation the user is a verified member of, or None."""
    membership = current_membership(user=user)
    if membership is None or not membership.is_verified:
        return None
    return membership.organisation


def programmes_visible_to(*, user):
    """Published public records for everyone; published partners-only records for verified
    members of any member organisation; every record of their own organisation for its members;
    everything for moderators."""
    programmes = Programme.objects.all()
    if is_moderator(user=user):
        return programmes
    published = Q(workflow_status=WorkflowStatus.PUBLISHED)
    organisation = member_organisation(user=user)
    if organisation is None:
        return programmes.filter(published, visibility=Visibility.PUBLIC)
    return programmes.filter(published | Q(reporting_org=organisation))


def programme_list(*, user):
    return programmes_visible_to(user=user).for_listing()


def programme_detail(*, user, identifier: str) -> Programme | None:
    if "\x00" in identifier:  # no identifier holds one, and PostgreSQL refuses to compare it
        return None
    return (
        programmes_visible_to(user=user)
        .select_related("reporting_org")
        .prefetch_related(*PROGRAMME_PREFETCH)
        .filter(identifier=identifier)
        .first()
    )


def programme_relations(*, programme: Programme, user):
    """The programme's relations either way, to records the user may see."""
    visible = programmes_visible_to(user=user)
    return (
        ProgrammeRelation.objects.filter(Q(programme=programme) | Q(related=programme))
        .filter(programme__in=visible, related__in=visible)
        .select_related("programme", "related")
    )


def may_create(*, user) -> bool:
    return is_moderator(user=user) or member_organisation(user=user) is not None


def may_edit(*, user, programme: Programme) -> bool:
    if is_moderator(user=user):
        return True
    organisation = member_organisation(user=user)
    return organisation is not None and organisation.pk == programme.reporting_org_id


def may_publish(*, user) -> bool:
    return is_moderator(user=user)
