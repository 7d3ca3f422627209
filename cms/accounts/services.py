"""Writes about people and organisations. Views and commands call these; they check scope."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organisation, User, invitation_token_digest
from .signals import membership_decided

# Wagtail's own groups: editors write drafts and submit them for review, moderators publish.
TRAINER_GROUP = "Editors"


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language `user` reads Flightpath in; their e-mails are written in it,
    Wagtail's review and workflow e-mails too (they follow the CMS profile's language)."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    from wagtail.users.models import UserProfile

    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
        UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})


class InvitationError(Exception):
    """An invitation link that cannot be used; the message is shown to the person."""


@dataclass(frozen=True)
class InvitationRow:
    line: int
    email: str
    role: str


def membership_request(*, user: User, organisation: Organisation) -> Membership:
    """An officer asks to join an organisation; a coordinator of it decides."""
    if Membership.objects.filter(user=user, status__in=Membership.CURRENT_STATUSES).exists():
        raise ValidationError(_("You already belong to an organisation or have asked to join one."))
    membership, _created = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={
            "status": Membership.Status.REQUESTED,
            "role": Membership.Role.LEARNER,
            "decided_at": None,
            "decided_by": None,
        },
    )
    return membership


def membership_decide(*, membership: Membership, by: User, verify: bool) -> Membership:
    if membership.user_id == by.id:
        raise PermissionDenied(_("You cannot decide on your own membership."))
    if membership.status != Membership.Status.REQUESTED:
        raise ValidationError(_("This membership is not awaiting a decision."))
    membership.status = Membership.Status.VERIFIED if verify else Membership.Status.REJECTED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    with transaction.atomic():
        membership.full_clean()
        membership.save()
        User.objects.filter(pk=membership.user_id).update(membership_notice=membership)
        membership_sync_cms_access(membership)
        membership_decided.send(sender=Membership, membership=membership)
    return membership


def membership_notice_take(*, user: User) -> Membership | None:
    """The decision on `user`'s membership they have not been shown yet, once: cleared as it
    is taken, so two requests at once show it at most once each and never again after."""
    if not user.membership_notice_id:
        return None
    cleared = User.objects.filter(pk=user.pk, membership_notice_id=user.membership_notice_id)
    notice_id, user.membership_notice_id = user.membership_notice_id, None
    if not cleared.update(membership_notice=None):
        return None
    return Membership.objects.select_related("organisation").filter(pk=notice_id).first()


def membership_set_role(*, membership: Membership, by: User, role: str) -> Membership:
    """Change a member's role. Nobody changes their own role, so nobody raises it."""
    if membership.user_id == by.id:
        raise PermissionDenied(_("You cannot change your own role."))
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    membership_sync_cms_access(membership)
    return membership


def membership_sync_cms_access(membership: Membership) -> None:
    """Verified trainers get the Wagtail admin as editors; everyone else loses it.

    What an editor reads there follows their audiences as on the site (`courses.permissions`):
    a trainer of an organisation without officer access writes public courses only, and
    loses or gains the officers' ones whenever the organisation's officer access changes.
    """
    group, _created = Group.objects.get_or_create(name=TRAINER_GROUP)
    if membership.is_verified and membership.role == Membership.Role.TRAINER:
        membership.user.groups.add(group)
    else:
        membership.user.groups.remove(group)


def invitation_create(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    with transaction.atomic():
        _invitations_within_cap(by=by, count=1)
        invitation, token = _invitation_new(
            organisation=organisation, email=email, role=role, by=by
        )
    _invitation_send(invitation=invitation, token=token)
    return invitation


def _invitations_within_cap(*, by: User, count: int) -> None:
    """A coordinator sends at most FLIGHTPATH_INVITATIONS_PER_HOUR invitations an hour, so a
    stolen or careless account cannot mail the world from the site's address."""
    cap = settings.FLIGHTPATH_INVITATIONS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    sent = Invitation.objects.filter(invited_by=by, created_at__gte=since).count()
    if sent + count > cap:
        raise ValidationError(
            _(
                "You can send at most %(cap)d invitations an hour; %(left)d more can go now. "
                "Try again later."
            )
            % {"cap": cap, "left": max(cap - sent, 0)}
        )


def _invitation_new(*, organisation, email, role, by) -> tuple[Invitation, str]:
    email = email.strip().lower()
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, status=Membership.Status.VERIFIED
    ).exists():
        raise ValidationError(_("%(email)s is already a verified member.") % {"email": email})
    # A new invitation replaces an open one to the same address.
    Invitation.objects.open().filter(organisation=organisation, email=email).update(
        revoked_at=timezone.now()
    )
    token = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        token_digest=invitation_token_digest(token),
        expires_at=timezone.now() + timedelta(days=settings.FLIGHTPATH_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


def _invitation_send(*, invitation: Invitation, token: str) -> None:
    path = reverse("accounts:invitation", kwargs={"token": token})
    # The site's own address, not the host the coordinator happened to use (locally
    # `localhost` is the H5P content origin, which serves no pages).
    url = settings.FLIGHTPATH_SITE_ORIGIN + path
    context = {"invitation": invitation, "url": url}
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_rows_from_csv(*, data: bytes) -> list[InvitationRow]:
    """Parse a CSV of `email,role`. Any bad row rejects the whole file, naming row and reason."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValidationError(_("The file is not UTF-8 text.")) from e
    rows, errors, seen = [], [], set()
    for number, fields in csv_rows(text):
        if not any(f.strip() for f in fields):
            continue
        if number == 1 and fields and fields[0].strip().lower() in {"email", "e-mail"}:
            continue
        row, error = _invitation_row(number, fields, seen)
        if error:
            errors.append(_("Row %(n)d: %(reason)s") % {"n": number, "reason": error})
        else:
            rows.append(row)
            seen.add(row.email)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no invitations in it."))
    return rows


def csv_rows(text: str):
    """Numbered rows; a field beyond the csv module's limit is refused with a message."""
    reader = csv.reader(io.StringIO(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as e:
        raise ValidationError(
            _("Row %(n)d cannot be read: a field is too long, or the row is not plain CSV.")
            % {"n": reader.line_num}
        ) from e


def _invitation_row(number, fields, seen) -> tuple[InvitationRow | None, str | None]:
    email = fields[0].strip().lower()
    role = (fields[1].strip().lower() if len(fields) > 1 else "") or Membership.Role.LEARNER
    try:
        validate_email(email)
    except ValidationError:
        return None, _("“%(value)s” is not an e-mail address") % {"value": email}
    if role not in Membership.Role.values:
        return None, _("“%(value)s” is not a role (learner, trainer or coordinator)") % {
            "value": role
        }
    if email in seen:
        return None, _("%(email)s appears twice") % {"email": email}
    return InvitationRow(line=number, email=email, role=role), None


def invitations_create_from_csv(*, organisation, data: bytes, by: User) -> int:
    """All or nothing: every row is checked and created before a single e-mail is sent."""
    rows = invitation_rows_from_csv(data=data)
    created = []
    with transaction.atomic():
        _invitations_within_cap(by=by, count=len(rows))
        for row in rows:
            try:
                created.append(
                    _invitation_new(
                        organisation=organisation, email=row.email, role=row.role, by=by
                    )
                )
            except ValidationError as e:
                raise ValidationError(
                    _("Row %(n)d: %(reason)s") % {"n": row.line, "reason": " ".join(e.messages)}
                ) from e
    for invitation, token in created:
        _invitation_send(invitation=invitation, token=token)
    return len(created)


def invitation_for_token(token: str) -> Invitation:
    """The open invitation behind a link, or InvitationError with a message for the person."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_digest=invitation_token_digest(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. Check that you copied all of it.")
        )
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.revoked_at:
        raise InvitationError(_("This invitation was withdrawn or replaced by a newer one."))
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation has expired. Ask your coordinator to send a new one.")
        )
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    """Single use even under a double click: the invitation row is claimed in one UPDATE."""
    invitation = invitation_for_token(token)
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    with transaction.atomic():
        claimed = (
            Invitation.objects.open()
            .filter(pk=invitation.pk)
            .update(accepted_at=timezone.now(), accepted_by=user)
        )
        if not claimed:
            raise InvitationError(_("This invitation has already been used."))
        _memberships_leave(user=user, except_organisation=invitation.organisation)
        try:
            membership, _created = Membership.objects.update_or_create(
                user=user,
                organisation=invitation.organisation,
                defaults={
                    "role": invitation.role,
                    "status": Membership.Status.VERIFIED,
                    "decided_at": timezone.now(),
                    "decided_by": invitation.invited_by,
                },
            )
        except IntegrityError as e:
            raise InvitationError(_("This invitation could not be accepted. Try again.")) from e
    membership_sync_cms_access(membership)
    return membership


def membership_leave(*, user: User) -> None:
    _memberships_leave(user=user)
    group = Group.objects.filter(name=TRAINER_GROUP).first()
    if group:
        user.groups.remove(group)


def _memberships_leave(*, user: User, except_organisation=None) -> None:
    """Saved one by one (never a bulk update) so that the membership cache hears of it."""
    current = Membership.objects.filter(user=user, status__in=Membership.CURRENT_STATUSES)
    if except_organisation is not None:
        current = current.exclude(organisation=except_organisation)
    for membership in current:
        membership.status = Membership.Status.LEFT
        membership.save(update_fields=["status"])
