"""Writes to the registry: programmes, their revisions, duplicate decisions and organisations."""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.accounts.models import Organisation

from . import selectors, summaries, validation
from .models import (
    ApiToken,
    BudgetLine,
    DocumentLink,
    OrganisationAlias,
    OrganisationMerge,
    OrganisationReference,
    OverlapDecision,
    ParticipatingOrganisation,
    Programme,
    ProgrammeAirport,
    ProgrammeCoordinator,
    ProgrammeCountry,
    ProgrammeRelation,
    ProgrammeRevision,
    ProgrammeSector,
    ProgrammeTag,
    ProgrammeText,
    RelationKind,
    WorkflowStatus,
    normalise_name,
)
from .records import ProgrammeDraft, snapshot

# Organisations ------------------------------------------------------------------------------


def organisation_resolve(*, name: str) -> Organisation | None:
    """The canonical organisation called `name` or known by it as an alias, in any language."""
    wanted = normalise_name(name)
    if not wanted:
        return None
    alias = OrganisationAlias.objects.select_related("organisation").filter(normalised=wanted)
    found = alias.first()
    if found is not None:
        return found.organisation
    return Organisation.objects.filter(name__iexact=name.strip()).order_by("pk").first()


def alias_add(*, organisation: Organisation, name: str, language: str = "") -> OrganisationAlias:
    """Another name of `organisation`; a name already standing for another one is refused."""
    normalised = normalise_name(name)
    existing = OrganisationAlias.objects.filter(normalised=normalised).first()
    if existing is not None:
        if existing.organisation_id != organisation.pk:
            message = _("Alias: “%(name)s” already stands for another organisation.")
            raise ValidationError({"name": message % {"name": name}})
        return existing
    return OrganisationAlias.objects.create(
        organisation=organisation, name=name.strip(), normalised=normalised, language=language
    )


def organisation_create(*, name: str, country: str, language: str = "") -> Organisation:
    """A new canonical organisation for a name the registry does not know yet."""
    existing = organisation_resolve(name=name)
    if existing is not None:
        return existing
    base = slugify(name)[:80] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation.objects.create(
        name=name.strip(),
        slug=slug,
        country=country,
        kind=Organisation.Kind.INTERNATIONAL,
        officer_access=False,
    )
    if language:
        alias_add(organisation=organisation, name=name, language=language)
    return organisation


def _references_outside_registry(organisation: Organisation) -> list[str]:
    """What else points at an organisation (members, cohorts...): a merge leaves those alone."""
    found = []
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == "programs":
            continue
        if model._default_manager.filter(**{relation.field.name: organisation}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


@transaction.atomic
def organisation_merge(*, keep: Organisation, merge: Organisation, user) -> OrganisationMerge:
    """Fold `merge` into `keep`: its programmes, roles, budgets, aliases and name move to
    `keep`, `merge` is deleted, and the merge is recorded with who made it."""
    if keep.pk == merge.pk:
        raise ValidationError({"merge": _("Merge: choose two different organisations.")})
    elsewhere = _references_outside_registry(merge)
    if elsewhere:
        raise ValidationError(
            {
                "merge": _(
                    "Merge: %(name)s still has %(what)s outside the registry; move them first."
                )
                % {"name": merge.name, "what": ", ".join(elsewhere)}
            }
        )
    # The overlap check's summaries name organisations by id: those of the records either
    # organisation takes part in are written again once the records have moved.
    touched = set(Programme.objects.filter(reporting_org=merge).values_list("pk", flat=True))
    touched |= set(
        ParticipatingOrganisation.objects.filter(organisation=merge).values_list(
            "programme", flat=True
        )
    )
    moved = {
        "programmes": Programme.objects.filter(reporting_org=merge).update(reporting_org=keep),
        "budgets": BudgetLine.objects.filter(funder=merge).update(funder=keep),
        "participations": _move_participations(keep, merge),
        "aliases": OrganisationAlias.objects.filter(organisation=merge).update(organisation=keep),
    }
    if not hasattr(keep, "iati_reference"):
        OrganisationReference.objects.filter(organisation=merge).update(organisation=keep)
    record = OrganisationMerge.objects.create(
        kept=keep,
        kept_name=keep.name,
        merged_id=merge.pk,
        merged_name=merge.name,
        moved=moved,
        merged_by=user,
    )
    merge.delete()
    alias_add(organisation=keep, name=merge.name)
    summaries.refresh(touched)
    return record


def _move_participations(keep, merge) -> int:
    participations = ParticipatingOrganisation.objects.filter(organisation=merge)
    held = set(
        ParticipatingOrganisation.objects.filter(organisation=keep).values_list("programme", "role")
    )
    duplicates = [p.pk for p in participations if (p.programme_id, p.role) in held]
    ParticipatingOrganisation.objects.filter(pk__in=duplicates).delete()
    return participations.exclude(pk__in=duplicates).update(organisation=keep)


# Programmes ---------------------------------------------------------------------------------


@dataclass
class Decision:
    """What the person creating a record decided about one match."""

    other: Programme
    decision: str  # OverlapDecision.Decision
    relation: str = ""
    kind: str = ""
    score: float = 0.0
    reasons: tuple = ()


def _check(draft: ProgrammeDraft) -> None:
    found = validation.problems(draft)
    if found:
        raise ValidationError(found)


def programme_create(
    *, draft: ProgrammeDraft, user, decisions=(), creation_token=None, is_demo=False
) -> Programme:
    """A new record (a draft in the workflow), with its first revision and the decisions about
    its matches. A form submitted twice (the same `creation_token`) returns the first record."""
    if creation_token is not None:
        existing = Programme.objects.filter(creation_token=creation_token).first()
        if existing is not None:
            return existing
    _check(draft)
    try:
        with transaction.atomic():
            _save_new_organisations(draft)
            programme = Programme(creation_token=creation_token, created_by=user, is_demo=is_demo)
            _write(programme, draft)
            _revise(programme, draft, user=user, note="created")
            for decision in decisions:
                decision_record(programme=programme, decision=decision, user=user)
    except IntegrityError:
        existing = creation_token and Programme.objects.filter(creation_token=creation_token)
        if existing and existing.exists():
            return existing.get()
        raise ValidationError(
            {"identifier": _("Identifier: a programme with this identifier already exists.")}
        ) from None
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, draft: ProgrammeDraft, user, check_access: bool = True, decisions=()
) -> Programme:
    """Save a changed record as a new revision, with the decisions about the matches its
    changes raised. A published identifier never changes. An operator's import
    (`check_access=False`) may update any record."""
    if check_access and not selectors.may_edit(user=user, programme=programme):
        raise PermissionDenied
    if programme.is_published and draft.identifier != programme.identifier:
        raise ValidationError(
            {"identifier": _("Identifier: it cannot change once the programme is published.")}
        )
    _check(draft)
    for related in (
        programme.texts,
        programme.countries,
        programme.airports,
        programme.sectors,
        programme.tags,
        programme.participations,
        programme.budgets,
        programme.documents,
    ):
        related.all().delete()
    _save_new_organisations(draft)
    try:
        with transaction.atomic():
            _write(programme, draft)
    except IntegrityError:
        raise ValidationError(
            {"identifier": _("Identifier: a programme with this identifier already exists.")}
        ) from None
    _revise(programme, draft, user=user, note="edited")
    for decision in decisions:
        decision_record(programme=programme, decision=decision, user=user)
    return programme


def _save_new_organisations(draft: ProgrammeDraft) -> None:
    """Participating organisations and funders named for the first time become canonical
    organisations,
    filed under the reporting organisation's country until someone corrects it."""
    country = draft.reporting_org.country.code
    for participation in draft.participations:
        if participation.organisation.pk is None:
            participation.organisation = organisation_create(
                name=participation.organisation.name,
                country=country,
                language=draft.default_language,
            )
    for budget in draft.budgets:
        if budget.funder.pk is None:
            budget.funder = organisation_create(
                name=budget.funder.name, country=country, language=draft.default_language
            )


def _write(programme: Programme, draft: ProgrammeDraft) -> None:
    for name in (
        "identifier",
        "reporting_org",
        "default_language",
        "activity_status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "modality",
        "participants_planned",
        "participants_actual",
        "participants_female",
        "participants_male",
        "contact_name",
        "contact_email",
        "visibility",
    ):
        setattr(programme, name, getattr(draft, name))
    programme.starts_on, programme.ends_on = draft.starts_on, draft.ends_on
    programme.save()
    _write_children(programme, draft)
    draft.pk = programme.pk
    summaries.write(programme, draft)


def _write_children(programme: Programme, draft: ProgrammeDraft) -> None:
    ProgrammeText.objects.bulk_create(
        ProgrammeText(
            programme=programme,
            language=t.language,
            title=t.title.strip(),
            description=t.description.strip(),
        )
        for t in draft.texts
    )
    ProgrammeCountry.objects.bulk_create(
        ProgrammeCountry(programme=programme, country=c.country, percentage=c.percentage)
        for c in draft.countries
    )
    ProgrammeAirport.objects.bulk_create(
        ProgrammeAirport(
            programme=programme, iata=code.upper(), country=validation.airport(code)["country"]
        )
        for code in dict.fromkeys(draft.airports)
    )
    ProgrammeSector.objects.bulk_create(
        ProgrammeSector(
            programme=programme, vocabulary=s.vocabulary, code=s.code, percentage=s.percentage
        )
        for s in draft.sectors
    )
    ProgrammeTag.objects.bulk_create(
        ProgrammeTag(programme=programme, kind=kind, code=code)
        for kind, codes in (
            ("theme", draft.themes),
            ("agency", draft.agencies),
            ("language", draft.languages),
        )
        for code in dict.fromkeys(codes)
    )
    ParticipatingOrganisation.objects.bulk_create(
        ParticipatingOrganisation(programme=programme, organisation=p.organisation, role=p.role)
        for p in {(p.organisation.pk, p.role): p for p in draft.participations}.values()
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            programme=programme,
            funder=b.funder,
            amount=b.amount,
            currency=b.currency,
            recipient_country=b.recipient_country,
        )
        for b in draft.budgets
    )
    DocumentLink.objects.bulk_create(
        DocumentLink(
            programme=programme,
            url=d.url,
            title=d.title,
            language=d.language,
            category=d.category,
        )
        for d in draft.documents
    )


def _revise(programme: Programme, draft: ProgrammeDraft, *, user, note: str) -> ProgrammeRevision:
    last = programme.revisions.aggregate(last=Max("number"))["last"] or 0
    return ProgrammeRevision.objects.create(
        programme=programme,
        number=last + 1,
        snapshot=snapshot(draft, workflow_status=programme.workflow_status),
        note=note,
        created_by=user,
    )


def _revise_saved(programme: Programme, *, user, note: str) -> None:
    from .records import draft_from_programme

    fresh = Programme.objects.prefetch_related(*selectors.PROGRAMME_PREFETCH).get(pk=programme.pk)
    _revise(fresh, draft_from_programme(fresh), user=user, note=note)


@transaction.atomic
def programme_submit(*, programme: Programme, user, decisions=()) -> Programme:
    """The reporting organisation's member hands a draft to the registry's moderators, with
    the decisions about the matches the check raised on it."""
    if not selectors.may_edit(user=user, programme=programme):
        raise PermissionDenied
    if programme.workflow_status != WorkflowStatus.DRAFT:
        return programme
    for decision in decisions:
        decision_record(programme=programme, decision=decision, user=user)
    programme.workflow_status = WorkflowStatus.SUBMITTED
    programme.save(update_fields=["workflow_status", "updated_at"])
    _revise_saved(programme, user=user, note="submitted")
    return programme


@transaction.atomic
def programme_publish(*, programme: Programme, user) -> Programme:
    """A moderator publishes a record: from now on its identifier is fixed."""
    if not selectors.may_publish(user=user):
        raise PermissionDenied
    if programme.is_published:
        return programme
    programme.workflow_status = WorkflowStatus.PUBLISHED
    programme.published_at = timezone.now()
    programme.save(update_fields=["workflow_status", "published_at", "updated_at"])
    _revise_saved(programme, user=user, note="published")
    return programme


# Decisions about possible duplicates --------------------------------------------------------


def decision_record(*, programme: Programme, decision: Decision, user) -> OverlapDecision:
    """Keep what a person decided about `programme` and a match; a pair is decided once.
    *Same* links the two as one activity reported twice; *related* links them as `relation`."""
    other = decision.other
    if decision.decision not in OverlapDecision.Decision.values:
        raise ValidationError({"decision": _("Decision: choose same, related or different.")})
    if decision.decision == OverlapDecision.Decision.RELATED and (
        decision.relation not in RelationKind.values or decision.relation == RelationKind.SAME
    ):
        raise ValidationError({"relation": _("Relation: say how the programmes are related.")})
    low, high = sorted((programme.pk, other.pk))
    record, created = OverlapDecision.objects.get_or_create(
        low_id=low,
        high_id=high,
        defaults={
            "decision": decision.decision,
            "relation": decision.relation if decision.decision == "related" else "",
            "kind": decision.kind,
            "score": decision.score,
            "reasons": [str(reason) for reason in decision.reasons],
            "decided_by": user,
        },
    )
    if created and decision.decision != OverlapDecision.Decision.DIFFERENT:
        kind = RelationKind.SAME if decision.decision == "same" else decision.relation
        ProgrammeRelation.objects.get_or_create(
            programme=programme, related=other, defaults={"kind": kind, "created_by": user}
        )
    return record


# API tokens ---------------------------------------------------------------------------------

API_TOKEN_PREFIX = "fpr_"  # noqa: S105 (marks a key as the registry's, not a secret)


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new API token for `user`, and its key: the only time the key is known."""
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:100] or _("API token"),
        prefix=key[:10],
        key_hash=_token_hash(key),
    )
    return token, key


def api_token_user(*, key: str):
    """The active user an API key belongs to, or None; the token's last use is noted."""
    if not key or not key.startswith(API_TOKEN_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_token_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, user, pk: int) -> bool:
    return ApiToken.objects.filter(user=user, pk=pk).delete()[0] > 0


# Moderators ---------------------------------------------------------------------------------


def moderators_group():
    """The Wagtail group "Registry moderators": it opens the CMS, where the registry's search
    and merge screens are, and holds "change programme", which shows them in the CMS menu.
    Made after every migration, so it always exists."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=selectors.MODERATORS_GROUP)
    wanted = Q(content_type__app_label="wagtailadmin", codename="access_admin") | Q(
        content_type__app_label="programs", codename="change_programme"
    )
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


# Programme coordinators ---------------------------------------------------------------------


def programme_coordinator_grant(*, programme: Programme, user, by) -> ProgrammeCoordinator:
    """Make `user` a coordinator of `programme`: a registry moderator's (or staff's) decision.
    Granting the role twice keeps the first grant."""
    if not selectors.is_moderator(user=by):
        raise PermissionDenied(_("Only the registry’s moderators grant this role."))
    if not user.is_active:
        raise ValidationError({"user": _("This account is closed.")})
    with transaction.atomic():
        grant, _created = ProgrammeCoordinator.objects.get_or_create(
            programme=programme, user=user, defaults={"granted_by": by}
        )
    return grant


def programme_coordinator_withdraw(*, grant: ProgrammeCoordinator, by) -> None:
    if not selectors.is_moderator(user=by):
        raise PermissionDenied(_("Only the registry’s moderators withdraw this role."))
    grant.delete()
