"""Reads about people, organisations and what they may see."""

from django.conf import settings
from django.utils import timezone
from wagtail import hooks

from cms import generations

from .models import Audience, Invitation, Membership, Organisation


def current_membership(*, user) -> Membership | None:
    """The user's requested or verified membership.

    Asked on every page, so it is cached: on the user for the request, and in the shared cache
    until any membership or organisation changes (see `signals.py`).
    """
    if not user.is_authenticated:
        return None
    return kept_for(
        user,
        "membership",
        lambda: (
            Membership.objects.filter(user=user, status__in=Membership.CURRENT_STATUSES)
            .select_related("organisation")
            .first()
        ),
    )


def kept_for(user, what: str, compute):
    """`compute()`, an answer about `user` that pages ask for again and again: kept on the
    user for the request, and in the shared cache under the accounts generation, which every
    change that could alter such an answer moves (`signals.py`, and apps' own receivers)."""
    attribute = "_flightpath_" + what.replace("-", "_")
    if not hasattr(user, attribute):
        generation = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('accounts')}"
        key = f"flightpath:accounts:{generation}:{what}:{user.pk}"
        setattr(user, attribute, generations.remember(key, compute, 3600))
    return getattr(user, attribute)


def audiences_for_user(*, user) -> frozenset[str]:
    """The content audiences a person may open: `public` always, `officers` once a verified
    member of an organisation with officer access, `trainers` for staff and whoever an app's
    `extra_audiences` hook gives it to (courses: trainers whose certification is in force)."""
    if not user.is_authenticated:
        return frozenset({Audience.PUBLIC})
    if user.is_superuser or user.is_staff:
        return frozenset(Audience)
    audiences = {Audience.PUBLIC}
    membership = current_membership(user=user)
    if membership and membership.is_verified and membership.organisation.officer_access:
        audiences.add(Audience.OFFICERS)
    return frozenset(audiences) | extra_audiences(user=user)


# Apps grant audiences that cms.accounts cannot know about with a hook:
# `extra_audiences(user) -> set of audiences`. The answer is asked once per person and day and
# cached until the accounts generation moves: whatever changes an answer moves it.
EXTRA_AUDIENCES_HOOK = "extra_audiences"


def extra_audiences(*, user) -> frozenset[str]:
    """The audiences the `extra_audiences` hooks give `user`: asked on every page, so cached
    like `current_membership` (on the user for the request, and in the shared cache)."""
    if user.pk is None:  # the reader a shared page is rendered for is nobody in particular
        return frozenset()
    if not hasattr(user, "_flightpath_extra_audiences"):
        generation = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('accounts')}"
        day = timezone.localdate().isoformat()  # a certification ends with a day, not a change
        key = f"flightpath:accounts:{generation}:audiences:{user.pk}:{day}"
        user._flightpath_extra_audiences = generations.remember(
            key,
            lambda: frozenset(
                audience
                for hook in hooks.get_hooks(EXTRA_AUDIENCES_HOOK)
                for audience in hook(user)
            ),
            3600,
        )
    return user._flightpath_extra_audiences


def authoring_audiences(*, user) -> frozenset[str]:
    """The audiences whose content a person may write and review in the CMS. Writing is not
    reading: the trainers and coordinators of an organisation with officer access author the
    trainers' content, certified or not, while only certified trainers read it as learners."""
    audiences = audiences_for_user(user=user)
    membership = current_membership(user=user) if user.is_authenticated else None
    if (
        membership
        and membership.is_verified
        and membership.organisation.officer_access
        and membership.role in (Membership.Role.TRAINER, Membership.Role.COORDINATOR)
    ):
        audiences |= {Audience.TRAINERS}
    return audiences


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


def organisations_open_to_requests():
    """The organisations a person may ask to join, by country then name."""
    return Organisation.objects.order_by("country", "name")


def is_newcomer(*, user) -> bool:
    """Signed in, and never a member of any organisation nor asked to be."""
    return (
        user.is_authenticated
        and current_membership(user=user) is None
        and not Membership.objects.filter(user=user).exists()
    )


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
    return not has_second_factor(user=user)


def has_second_factor(*, user) -> bool:
    """Whether the person has set up a second factor. Asked on every page of a coordinator or
    a CMS user, so cached like `current_membership`: until any second factor is set up or
    removed (see `signals.py`), which moves the accounts generation in the same request."""
    from allauth.mfa.models import Authenticator

    return kept_for(user, "second-factor", lambda: Authenticator.objects.filter(user=user).exists())
