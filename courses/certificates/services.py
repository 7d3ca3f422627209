"""Issuing and revoking certificates. Each write is idempotent: issuing twice for the same
completion or certification period leaves one certificate.

Course and track certificates are issued when a `CourseCompletion` is recorded; trainer
certificates when a `TrainerCertification` row certifies someone (a renewal or a reinstatement
issues a new one and the previous one becomes *superseded*, still verifiable), and a suspension
or revocation of the certification revokes the certificate. See `receivers.py`.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.accounts.models import Organisation
from cms.accounts.selectors import current_membership
from cms.home.translations import page_in_language

from ..models import Certificate, CourseCompletion, TrackPage, TrainerCertification
from .links import verify_url
from .pdf import certificate_pdf

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 random bits, printed as four groups of four


class CertificateError(Exception):
    """A change that does not apply; the message says why, for the person who asked."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def holder_language(user) -> str:
    """The language a certificate is issued in: the holder's own where their account keeps
    one, else the language they were reading in when they earned it."""
    languages = dict(settings.LANGUAGES)
    for language in (getattr(user, "language", ""), translation.get_language()):
        if language in languages:
            return language
    return settings.LANGUAGE_CODE


def certificate_issued(*, certificate: Certificate) -> None:
    """Called once for every new certificate, after its transaction has committed: the holder
    is told by e-mail, once."""
    from ..training import notifications

    notifications.certificate_issued(
        user=certificate.holder,
        key=certificate.code,
        achievement=certificate.achievement,
        verify_url=verify_url(certificate),
    )


def certificate_issue_for_completion(*, completion: CourseCompletion) -> Certificate:
    """The certificate of a completed course or track, issued by the holder's organisation
    (or by Flightpath for someone without a verified membership)."""
    course = completion.course
    existing = Certificate.objects.filter(holder=completion.user, course=course).first()
    if existing:
        return existing
    membership = current_membership(user=completion.user)
    organisation = membership.organisation if membership and membership.is_verified else None
    is_track = issubclass(course.specific_class or type(course), TrackPage)
    language = holder_language(completion.user)
    return _issue(
        Certificate(
            holder=completion.user,
            kind=Certificate.Kind.TRACK if is_track else Certificate.Kind.COURSE,
            course=course,
            language=language,
            achievement=page_in_language(course.specific, language).title,
            issued_at=completion.completed_at or timezone.now(),
        ),
        organisation,
    )


def certificate_issue_for_certification(*, certification: TrainerCertification) -> Certificate:
    """The certificate of a certified period, valid until the period ends; the holder's
    earlier certificates at the same level are superseded."""
    existing = Certificate.objects.filter(certification=certification).first()
    if existing:
        return existing
    language = holder_language(certification.user)
    with translation.override(language):
        achievement = (
            _("Certified master trainer")
            if certification.level == TrainerCertification.Level.MASTER
            else _("Certified trainer")
        )
    return _issue(
        Certificate(
            holder=certification.user,
            kind=Certificate.Kind.TRAINER,
            certification=certification,
            language=language,
            achievement=achievement,
            issued_at=timezone.now(),
            valid_until=certification.valid_until,
        ),
        certification.organisation,
    )


def certification_recorded(*, certification: TrainerCertification) -> None:
    """Keep the certificates in step with a new row of a person's certification history."""
    Status = TrainerCertification.Status
    if certification.status == Status.CERTIFIED:
        certificate_issue_for_certification(certification=certification)
    elif certification.status in (Status.SUSPENDED, Status.REVOKED):
        for certificate in _valid_trainer_certificates(certification):
            certificate_revoke(certificate=certificate, reason=certification.reason)


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate for good, with the reason (kept, never shown on the public page)."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give a reason: it is kept with the certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            return locked
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revocation_reason"])
    return locked


def _valid_trainer_certificates(certification: TrainerCertification):
    return Certificate.objects.filter(
        holder_id=certification.user_id,
        kind=Certificate.Kind.TRAINER,
        certification__level=certification.level,
        status=Certificate.Status.VALID,
    )


def _issue(certificate: Certificate, organisation: Organisation | None) -> Certificate:
    """Print the certificate and keep it with its PDF's digest. The PDF is made outside the
    transaction; if another request issued the same certificate meanwhile, theirs stands."""
    certificate.holder_name = certificate.holder.get_full_name() or certificate.holder.email
    certificate.organisation = organisation
    certificate.organisation_name = organisation.name if organisation else "Flightpath"
    certificate.code = new_code()
    pdf = certificate_pdf(certificate=certificate)
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            certificate.save()
            if certificate.kind == Certificate.Kind.TRAINER:
                _valid_trainer_certificates(certificate.certification).exclude(
                    pk=certificate.pk
                ).update(status=Certificate.Status.SUPERSEDED, superseded_at=timezone.now())
    except IntegrityError:
        certificate.pdf.delete(save=False)
        return _already_issued(certificate)
    transaction.on_commit(lambda: certificate_issued(certificate=certificate))
    return certificate


def _already_issued(certificate: Certificate) -> Certificate:
    if certificate.certification_id:
        return Certificate.objects.get(certification_id=certificate.certification_id)
    return Certificate.objects.get(holder=certificate.holder, course=certificate.course)


def issue_missing() -> int:
    """Issue every certificate earned but not yet issued (after a failure, or for records
    written in bulk); returns how many were issued."""
    issued = 0
    certified = Certificate.objects.filter(holder=OuterRef("user"), course=OuterRef("course"))
    for completion in CourseCompletion.objects.filter(~Exists(certified)).select_related(
        "user", "course"
    ):
        certificate_issue_for_completion(completion=completion)
        issued += 1
    latest = TrainerCertification.objects.filter(
        user=OuterRef("user"), level=OuterRef("level")
    ).order_by("-recorded_at", "-pk")
    for row in TrainerCertification.objects.filter(
        pk=Subquery(latest.values("pk")[:1]),
        status=TrainerCertification.Status.CERTIFIED,
        certificates__isnull=True,
    ).select_related("user", "organisation"):
        certificate_issue_for_certification(certification=row)
        issued += 1
    return issued
