"""Reads about the registry: who may see, edit and publish which programmes."""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from cms import generations
from cms.accounts.models import Organisation
from cms.accounts.selectors import current_membership, kept_for

from .models import (
    BudgetLine,
    DocumentLink,
    OrganisationAlias,
    OrganisationReference,
    ParticipatingOrganisation,
    Programme,
    ProgrammeCoordinator,
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
    # Asked on every page of the registry: kept under the accounts generation, which any
    # change of a person's groups or of a group moves (cms.accounts.signals).
    return kept_for(
        user, "registry-moderator", lambda: user.groups.filter(name=MODERATORS_GROUP).exists()
    )


def member_organisation(*, user):
    """The organisation the user is a verified member of, or None."""
    membership = current_membership(user=user)
    if membership is None or not membership.is_verified:
        return None
    return membership.organisation


@dataclass(frozen=True)
class Reader:
    """Which records someone sees, as one rule written twice side by side: as a filter of the
    registry (`records`) and for one row already read (`sees`, which the overlap check applies
    to the candidates it narrowed in one query)."""

    everything: bool = False  # moderators
    organisation_id: int | None = None  # a verified member's organisation

    def records(self):
        programmes = Programme.objects.all()
        if self.everything:
            return programmes
        published = Q(workflow_status=WorkflowStatus.PUBLISHED)
        if self.organisation_id is None:
            return programmes.filter(published, visibility=Visibility.PUBLIC)
        return programmes.filter(published | Q(reporting_org_id=self.organisation_id))

    def sees(self, *, workflow_status: str, visibility: str, reporting_org_id: int) -> bool:
        if self.everything:
            return True
        if self.organisation_id is None:
            return workflow_status == WorkflowStatus.PUBLISHED and visibility == Visibility.PUBLIC
        return (
            workflow_status == WorkflowStatus.PUBLISHED or reporting_org_id == self.organisation_id
        )


def reader(*, user) -> Reader:
    if is_moderator(user=user):
        return Reader(everything=True)
    organisation = member_organisation(user=user)
    return Reader(organisation_id=organisation.pk if organisation is not None else None)


def programmes_visible_to(*, user):
    """Published public records for everyone; published partners-only records for verified
    members of any member organisation; every record of their own organisation for its members;
    everything for moderators."""
    return reader(user=user).records()


def visibility_class(*, user) -> str:
    """A name for the records `programmes_visible_to(user=user)` returns, shared by everyone who
    sees the same ones: "all" for moderators, "public" for everyone outside a member
    organisation, and one per organisation for its members, who also see its unpublished
    records (never shared with another organisation)."""
    if is_moderator(user=user):
        return "all"
    organisation = member_organisation(user=user)
    if organisation is None:
        return "public"
    return f"organisation-{organisation.pk}"


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


# Programme coordinators ---------------------------------------------------------------------


def coordinated_programme_ids(*, user) -> tuple[int, ...]:
    """The programmes `user` coordinates, by id. Asked on every page (the menu offers the
    dashboards to programme coordinators), so cached: on the user for the request, and in the
    shared cache until anything in the registry changes (granting or withdrawing the role
    does)."""
    if not user.is_authenticated or user.pk is None:  # a shared page's reader: nobody
        return ()
    if not hasattr(user, "_flightpath_programmes_coordinated"):
        generation = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('registry')}"
        key = f"flightpath:registry:{generation}:coordinates:{user.pk}"
        user._flightpath_programmes_coordinated = generations.remember(
            key,
            lambda: tuple(
                ProgrammeCoordinator.objects.filter(user=user)
                .order_by("programme_id")
                .values_list("programme_id", flat=True)
            ),
            3600,
        )
    return user._flightpath_programmes_coordinated


def may_see_coordinators(*, user, programme: Programme) -> bool:
    """A programme's coordinators are listed to its members: moderators, the coordinators
    themselves, and verified members of its reporting or participating organisations."""
    if is_moderator(user=user) or programme.pk in coordinated_programme_ids(user=user):
        return True
    organisation = member_organisation(user=user)
    if organisation is None:
        return False
    return organisation.pk == programme.reporting_org_id or any(
        p.organisation_id == organisation.pk for p in programme.participations.all()
    )


def programme_coordinators(*, programme: Programme):
    return ProgrammeCoordinator.objects.filter(programme=programme).select_related("user")


# Merging organisations ---------------------------------------------------------------------


@dataclass(frozen=True)
class MergePreview:
    """What merging `merge` into `keep` would move within the registry, and what outside it
    points at `merge` and must be moved first (a merge leaves members, cohorts... alone)."""

    keep: Organisation
    merge: Organisation
    moves: tuple[tuple[str, int], ...]
    blocks: tuple[tuple[str, int], ...]

    @property
    def blocked(self) -> bool:
        return bool(self.blocks)

    @property
    def fingerprint(self) -> str:
        """The preview in short: a confirmation is valid only for what the moderator saw."""
        seen = [self.keep.pk, self.merge.pk, *[n for _label, n in self.moves + self.blocks]]
        return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:16]


def organisation_merge_preview(*, keep: Organisation, merge: Organisation) -> MergePreview:
    held = ParticipatingOrganisation.objects.filter(
        organisation=keep, programme=OuterRef("programme"), role=OuterRef("role")
    )
    roles = ParticipatingOrganisation.objects.filter(organisation=merge).exclude(Exists(held))
    reference = OrganisationReference.objects.filter(organisation=merge).exists()
    moves = (
        (_("programmes it reports"), Programme.objects.filter(reporting_org=merge).count()),
        (_("roles as a participating organisation"), roles.count()),
        (_("budget lines it funds"), BudgetLine.objects.filter(funder=merge).count()),
        # its own name becomes an alias too
        (_("aliases"), OrganisationAlias.objects.filter(organisation=merge).count() + 1),
        (
            _("IATI organisation identifier"),
            int(reference and not OrganisationReference.objects.filter(organisation=keep).exists()),
        ),
    )
    return MergePreview(keep=keep, merge=merge, moves=moves, blocks=_outside_registry(merge))


def _outside_registry(organisation: Organisation) -> tuple[tuple[str, int], ...]:
    found = []
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == "programs":
            continue
        count = model._default_manager.filter(**{relation.field.name: organisation}).count()
        if count:
            found.append((str(model._meta.verbose_name_plural), count))
    return tuple(found)
