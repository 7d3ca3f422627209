"""Certificates as Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0), the issuer's
profile with its public key, and the revocation list (a Bitstring Status List credential).

The issuer of every credential is the platform, which holds the signing key; the organisation
printed on the certificate is the achievement's `source`. The holder is named by their name and
a salted hash of their e-mail address, never the address itself."""

import base64
import gzip
import hashlib
import uuid

from django.conf import settings
from django.utils import timezone

from ..models import Certificate
from . import signing
from .links import issuer_id, status_list_url, verify_url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
CRITERIA = {
    Certificate.Kind.COURSE: (
        "Completed every lesson of the course and passed its final quiz, where it has one."
    ),
    Certificate.Kind.TRACK: "Completed every course and lesson of the track and passed its quiz.",
    Certificate.Kind.TRAINER: (
        "Completed the train-the-trainer track, passed its quiz and delivered a session "
        "observed and rated by a certified master trainer; certified for a limited period."
    ),
}
STATUS_LIST_BITS = 131_072  # the minimum length (16 KiB), so one revocation hides among many


def verification_method_id() -> str:
    return f"{issuer_id()}#{signing.public_key_multibase()}"


def issuer_profile() -> dict:
    """The issuer's profile, published at its own id, with the key that signs for it."""
    method = verification_method_id()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, MULTIKEY_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.WAGTAIL_SITE_NAME,
        "url": settings.FLIGHTPATH_SITE_ORIGIN + "/",
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer_id(),
                "publicKeyMultibase": signing.public_key_multibase(),
            }
        ],
        "assertionMethod": [method],
    }


def _issuer() -> dict:
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.WAGTAIL_SITE_NAME,
        "url": settings.FLIGHTPATH_SITE_ORIGIN + "/",
    }


def _achievement_id(certificate: Certificate) -> str:
    if certificate.course_id:
        return f"urn:flightpath:achievement:course:{certificate.course_id}"
    level = certificate.certification.level if certificate.certification else "trainer"
    return f"urn:flightpath:achievement:trainer-certification:{level}"


def _identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def credential_subject(certificate: Certificate) -> dict:
    salt = hashlib.sha256(f"{certificate.code}:{settings.SECRET_KEY}".encode()).hexdigest()[:16]
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.holder_name,
            },
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": _identity_hash(certificate.holder.email.lower(), salt),
                "salt": salt,
            },
        ],
        "achievement": {
            "id": _achievement_id(certificate),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": certificate.achievement,
            "description": certificate.get_kind_display(),
            "criteria": {"narrative": CRITERIA[certificate.kind]},
        },
        "source": {"type": ["Profile"], "name": certificate.organisation_name},
    }
    return subject


def credential(certificate: Certificate) -> dict:
    """The certificate as a signed OpenBadgeCredential."""
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, verify_url(certificate))}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.achievement,
        "issuer": _issuer(),
        "validFrom": signing.utc_timestamp(certificate.issued_at),
        "credentialSubject": credential_subject(certificate),
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.pk}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.pk),
            "statusListCredential": status_list_url(),
        },
        "evidence": [
            {
                "id": verify_url(certificate),
                "type": ["Evidence"],
                "name": "Verification page and SHA-256 of the PDF as issued",
                "description": certificate.pdf_sha256,
            }
        ],
    }
    if certificate.valid_until:
        document["validUntil"] = f"{certificate.valid_until.isoformat()}T23:59:59Z"
    return signing.sign(
        document, verification_method=verification_method_id(), created=certificate.issued_at
    )


def encoded_list(indexes) -> str:
    """A Bitstring Status List's `encodedList`: bit 0 is the first byte's highest bit; the
    bytes are gzipped and written as multibase base64url without padding (`u...`)."""
    indexes = list(indexes)
    size = max(STATUS_LIST_BITS, (max(indexes, default=0) // 8 + 1) * 8)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def status_list_credential() -> dict:
    """The signed revocation list: a bit set for every revoked certificate (one query)."""
    revoked = Certificate.objects.filter(status=Certificate.Status.REVOKED).values_list(
        "pk", flat=True
    )
    now = timezone.now()
    document = {
        "@context": [VC_CONTEXT],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": signing.utc_timestamp(now),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
        },
    }
    return signing.sign(document, verification_method=verification_method_id(), created=now)
