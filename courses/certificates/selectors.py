"""Reading certificates: a holder's list, and one certificate by its verification code."""

import re

from ..models import Certificate
from .services import CODE_ALPHABET, CODE_LENGTH

# Typed codes forgive what Crockford's base32 forgives: case, O for 0, I and L for 1.
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_code(text: str) -> str | None:
    """The code as stored, from what someone typed or scanned (groups, spaces, case), or None
    when it cannot be a code."""
    code = re.sub(r"[\s\-]", "", text or "").upper().translate(_TYPOS)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with this code (one query), or None."""
    code = normalise_code(code)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificates_for_holder(*, user) -> list[Certificate]:
    """A person's certificates, newest first (one query; none for someone signed out)."""
    if not user.is_authenticated:
        return []
    return list(
        Certificate.objects.filter(holder=user)
        .defer("revocation_reason")
        .order_by("-issued_at", "-pk")
    )


def holders_certificate(*, user, code: str) -> Certificate | None:
    """The certificate with this code if `user` holds it: nobody else's (one query)."""
    code = normalise_code(code)
    if code is None or not user.is_authenticated:
        return None
    return Certificate.objects.filter(code=code, holder=user).select_related("holder").first()
