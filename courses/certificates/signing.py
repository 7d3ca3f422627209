"""The platform's Ed25519 signing key and Data Integrity proofs in `eddsa-jcs-2022`.

The cryptosuite, as the W3C *Data Integrity EdDSA Cryptosuites* specify it: the proof
configuration (the proof without its value, carrying the document's `@context`) and the
document are each canonicalised with JCS (RFC 8785) and hashed with SHA-256; the signature is
Ed25519 over the proof configuration's hash followed by the document's hash, written as a
multibase base58btc string (`z...`). No JSON-LD processing and no network fetch is involved.

The key is `FLIGHTPATH_SIGNING_KEY`: a PEM Ed25519 private key, or its 32 raw bytes in base64.
Production settings refuse to start without it; development and test settings derive one from
`SECRET_KEY` (`development_key`), which must never sign anything that leaves the machine.
"""

import base64
import binascii
import datetime
import hashlib
from functools import lru_cache

import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CRYPTOSUITE = "eddsa-jcs-2022"
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUBLIC_KEY = b"\xed\x01"  # multicodec prefix of an Ed25519 public key


def base58btc(data: bytes) -> str:
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = _BASE58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def development_key(secret_key: str) -> str:
    """A signing key derived from SECRET_KEY, for development and tests only."""
    seed = hashlib.sha256(b"flightpath certificate signing key\0" + secret_key.encode()).digest()
    return base64.b64encode(seed).decode()


def load_private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM, or from its 32 raw bytes in base64 (standard or URL)."""
    text = (text or "").strip()
    if not text:
        raise ImproperlyConfigured(
            "Set FLIGHTPATH_SIGNING_KEY to an Ed25519 private key "
            "(python manage.py certificate_signing_key prints a new one)."
        )
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("FLIGHTPATH_SIGNING_KEY is a PEM key but not Ed25519.")
        return key
    try:
        raw = base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ImproperlyConfigured("FLIGHTPATH_SIGNING_KEY is neither PEM nor base64.") from error
    if len(raw) != 32:
        raise ImproperlyConfigured("FLIGHTPATH_SIGNING_KEY must hold 32 bytes (Ed25519).")
    return Ed25519PrivateKey.from_private_bytes(raw)


@lru_cache(maxsize=4)
def _key(text: str) -> Ed25519PrivateKey:
    return load_private_key(text)


def signing_key() -> Ed25519PrivateKey:
    return _key(settings.FLIGHTPATH_SIGNING_KEY)


def public_key_multibase() -> str:
    """The public key as a Multikey `publicKeyMultibase` (and the fragment of a did:key)."""
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return "z" + base58btc(_ED25519_PUBLIC_KEY + raw)


def new_private_key_text() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def utc_timestamp(moment: datetime.datetime) -> str:
    """An XML Schema dateTime in UTC, to the second, as credentials write them."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: dict,
    *,
    verification_method: str,
    created: datetime.datetime,
    key: Ed25519PrivateKey | None = None,
) -> dict:
    """The document with a `DataIntegrityProof` (`eddsa-jcs-2022`, assertionMethod)."""
    if "proof" in document:
        raise ValueError("The document already carries a proof.")
    config = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": utc_timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in document:
        config["@context"] = document["@context"]
    hash_data = (
        hashlib.sha256(rfc8785.dumps(config)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )
    signature = (key or signing_key()).sign(hash_data)
    return {**document, "proof": {**config, "proofValue": "z" + base58btc(signature)}}
