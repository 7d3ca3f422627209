"""Reads about people, organisations and what they may see."""

from django.conf import settings

from cms import generations

from .models import Audience, Invitation, Membership, Organisation


def current_membership(*, user) -> Membership | None:
    """The user's requested or verified membership.

    Asked on every page, so it is cached: on the user for the request, and in the shared cache
    until any membership or organisation changes (see `signals.py`).
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_flightpath_membership"):
        generation = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('accounts')}"
        key = f"flightpath:accounts:{generation}:membership:{user.pk}"
        found = generations.get_many([key], 3600)
        if key in found:
            membership = found[key]
        else:
            membership = (
                Membership.objects.filter(user=user, status__in=Membership.CURRENT_STATUSES)
                .select_related("organisation")
                .first()
            )
            generations.set_many({key: membership}, 3600)
        user._flightpath_membership = membership
    return user._flightpath_membership


def audiences_for_user(*, user) -> frozenset[str]:
    """The content audiences a person may open: `public` always, more once verified."""
    if not user.is_authenticated:
        return frozenset({Audience.PUBLIC})
    if user.is_superuser or user.is_staff:
        return frozenset(Audience)
    membership = current_membership(user=user)
    if membership is None or not membership.is_verified:
        return frozenset({Audience.PUBLIC})
    audiences = {Audience.PUBLIC}
    if membership.organisation.officer_access:
        audiences.add(Audience.OFFICERS)
        if membership.role in (Membership.Role.TRAINER, Membership.Role.COORDINATOR):
            audiences.add(Audience.TRAINERS)
    return frozenset(audiences)


def coordinated_organisation(*, user, slug: str) -> Organisation | None:
    """The organisation `slug` if the user coordinates it (verified coordinator), else None."""
    membership = current_membership(user=user)
    if (
        membership
        and membership.is_verified
        and membership.role == Membership.Role.COORDINATOR
        and membership.organisation.slug == slug
    ):
        return membership.organisation
    return None


def organisation_members(*, organisation: Organisation):
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "decided_by")
        .order_by("status", "user__email")
    )


def organisation_pending_invitations(*, organisation: Organisation):
    return Invitation.objects.filter(organisation=organisation).pending().order_by("email")


def may_use_cms(*, user) -> bool:
    """Whether to offer the CMS (Wagtail's user bar) without loading every permission."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    membership = current_membership(user=user)
    return bool(
        membership and membership.is_verified and membership.role == Membership.Role.TRAINER
    )


def must_enrol_mfa(*, user, in_cms: bool = False) -> bool:
    """CMS users (trainers too) and coordinators with no second factor yet (when MFA is
    required of them). `in_cms`: also anyone a group lets into the CMS, a check that costs a
    query and so is made only on the CMS's own pages."""
    if not user.is_authenticated:
        return False
    membership = current_membership(user=user)
    is_coordinator = bool(membership and membership.role == Membership.Role.COORDINATOR)
    if not (
        is_coordinator
        or may_use_cms(user=user)
        or (in_cms and user.has_perm("wagtailadmin.access_admin"))
    ):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user).exists()
