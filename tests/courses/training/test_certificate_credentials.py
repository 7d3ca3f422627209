"""Open Badges 3.0 credentials signed `eddsa-jcs-2022`, checked here by a verifier written from
the W3C specification with nothing but the published public key: no code of the signer's."""

import base64
import datetime
import gzip
import hashlib
import json

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from courses.certificates import signing
from courses.certificates.services import certificate_revoke
from courses.models import Certificate

from ...factories import UserFactory
from .certificate_support import make_certificate

pytestmark = pytest.mark.django_db

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def verifies(document: dict, public_key_multibase: str) -> bool:
    """Verify Proof for eddsa-jcs-2022, as the W3C Data Integrity EdDSA Cryptosuites say."""
    document = dict(document)
    proof = dict(document.pop("proof"))
    if (proof.get("type"), proof.get("cryptosuite")) != ("DataIntegrityProof", "eddsa-jcs-2022"):
        return False
    if "@context" in proof and proof["@context"] != document.get("@context"):
        return False
    value = proof.pop("proofValue")
    if not value.startswith("z"):
        return False
    hash_data = (
        hashlib.sha256(rfc8785.dumps(proof)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )
    key = b58decode(public_key_multibase[1:])
    assert public_key_multibase.startswith("z") and key[:2] == b"\xed\x01"
    try:
        Ed25519PublicKey.from_public_bytes(key[2:]).verify(b58decode(value[1:]), hash_data)
    except (InvalidSignature, ValueError):
        return False
    return True


def published_key(client, verification_method: str) -> str:
    profile = client.get("/.well-known/flightpath-issuer.json").json()
    assert verification_method in profile["assertionMethod"]
    (method,) = [m for m in profile["verificationMethod"] if m["id"] == verification_method]
    assert (method["type"], method["controller"]) == ("Multikey", profile["id"])
    return method["publicKeyMultibase"]


@pytest.fixture
def downloaded(client, officer):
    certificate = make_certificate(officer, valid_until=datetime.date(2028, 3, 10))
    client.force_login(officer)
    response = client.get(
        reverse("courses:certificate_credential", args=[certificate.grouped_code])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return certificate, response.content.decode()


def test_a_downloaded_credential_verifies_with_the_public_key_alone(client, downloaded):
    certificate, text = downloaded
    credential = json.loads(text)
    key = published_key(client, credential["proof"]["verificationMethod"])
    assert verifies(credential, key)


def test_a_one_character_edit_fails_verification(client, downloaded):
    certificate, text = downloaded
    credential = json.loads(text)
    key = published_key(client, credential["proof"]["verificationMethod"])
    name = certificate.holder_name
    edited = text.replace(name, name[:-1] + ("x" if name[-1] != "x" else "y"), 1)
    assert edited != text
    assert not verifies(json.loads(edited), key)
    until = text.replace("2028-03-10", "2029-03-10", 1)
    assert not verifies(json.loads(until), key)


def test_the_credential_is_an_open_badge_with_its_status_entry(client, downloaded):
    certificate, text = downloaded
    credential = json.loads(text)
    origin = settings.FLIGHTPATH_SITE_ORIGIN
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == f"{origin}/.well-known/flightpath-issuer.json"
    assert credential["validUntil"] == "2028-03-10T23:59:59Z"
    subject = credential["credentialSubject"]
    assert subject["achievement"]["name"] == "Document abuse"
    assert subject["source"]["name"] == "Border Agency"
    assert certificate.holder.email not in text
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == f"{origin}/certificates/status/1"
    proof = credential["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof",
        "eddsa-jcs-2022",
        "assertionMethod",
    )


def revoked_bits(client) -> tuple[bytes, dict]:
    status_list = client.get("/certificates/status/1").json()
    issuer = client.get("/.well-known/flightpath-issuer.json").json()
    key = issuer["verificationMethod"][0]["publicKeyMultibase"]
    assert verifies(status_list, key)
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    return gzip.decompress(raw), status_list


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_revoked_certificates_bit_is_set_in_the_published_list(client, officer):
    revoked = make_certificate(officer)
    kept = make_certificate(officer, achievement="Profiling ethics")
    certificate_revoke(certificate=revoked, reason="Fraud")
    client.force_login(officer)
    indexes = {}
    for certificate in (revoked, kept):
        url = reverse("courses:certificate_credential", args=[certificate.grouped_code])
        entry = client.get(url).json()["credentialStatus"]
        indexes[certificate.pk] = int(entry["statusListIndex"])
    client.logout()
    bits, status_list = revoked_bits(client)
    assert len(bits) * 8 >= 131_072
    assert is_set(bits, indexes[revoked.pk])
    assert not is_set(bits, indexes[kept.pk])
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]


def test_only_the_first_status_list_exists(client):
    assert client.get("/certificates/status/2").status_code == 404


# The W3C specification's own test vector (vc-di-eddsa, eddsa-jcs-2022): the same key, document
# and proof options give the same signature (Ed25519 is deterministic).
VECTOR_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_DOCUMENT = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_PROOF_VALUE = (
    "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
)


def test_the_signer_reproduces_the_w3c_test_vector():
    seed = b58decode(VECTOR_KEY[1:])
    assert seed[:2] == b"\x80\x26"  # multicodec: an Ed25519 private key
    signed = signing.sign(
        VECTOR_DOCUMENT,
        verification_method=f"https://vc.example/issuers/5678#{VECTOR_PUBLIC}",
        created=datetime.datetime(2023, 2, 24, 23, 36, 38, tzinfo=datetime.UTC),
        key=Ed25519PrivateKey.from_private_bytes(seed[2:]),
    )
    assert signed["proof"]["proofValue"] == VECTOR_PROOF_VALUE
    assert verifies(signed, VECTOR_PUBLIC)


# The signing key


def test_the_key_is_read_from_pem_or_base64_and_refused_otherwise():
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    for text in (pem, base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        assert signing.load_private_key(text).private_bytes_raw() == raw
    for bad in ("", "not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(ImproperlyConfigured):
            signing.load_private_key(bad)


def test_only_the_holder_downloads_a_credential_or_a_pdf(client, officer):
    certificate = make_certificate(officer)
    urls = [
        reverse(name, args=[certificate.grouped_code])
        for name in ("courses:certificate_credential", "courses:certificate_pdf")
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # signed out: asked to sign in
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(officer)
    pdf = client.get(urls[1])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == certificate.pdf_sha256
    assert Certificate.objects.count() == 1
