"""Why a course is closed to someone, and what they can do about it.

A closed course or lesson never answers with a bare refusal: the reader is told who it is for
and their next step (sign in, ask to join their organisation, ask its coordinator to verify
them). The lock is worked out from what every page already knows of the reader (their
audiences and their cached membership), so it costs no query."""

from typing import NamedTuple

from cms.accounts.models import Audience
from cms.accounts.selectors import current_membership


class Lock(NamedTuple):
    """`reason`: sign_in, join, pending, no_officer_access or trainers; `organisation`: the
    name of the reader's organisation where the reason is about it."""

    reason: str
    organisation: str = ""

    @property
    def state(self) -> str:
        """What a shared page shows of the lock (part of its reader state)."""
        return f"lock={self.reason}:{self.organisation}"


def course_lock(*, user, course, is_open: bool | None = None) -> Lock | None:
    """Why `course` is closed to `user`, or None when it is open to them (`is_open`, when
    the caller knows it already)."""
    if is_open if is_open is not None else course.is_open_to(user):
        return None
    if course.audience == Audience.TRAINERS:
        return Lock("trainers" if user.is_authenticated else "sign_in_trainers")
    if not user.is_authenticated:
        return Lock("sign_in")
    membership = current_membership(user=user)
    if membership is None:
        return Lock("join")
    name = membership.organisation.name
    if not membership.is_verified:
        return Lock("pending", name)
    return Lock("no_officer_access", name)
