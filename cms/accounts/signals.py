"""Any change to a membership, an organisation, a person's groups or their second factors makes
every cached membership, group and second-factor answer stale; signing in starts the session's
idle clock and remembers the person's language; a decision on a membership is announced."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from cms import generations

from .middleware import IdleSessionMiddleware
from .models import Membership, Organisation

# A coordinator verified or rejected a membership request (`membership`), in the transaction
# that records it: apps that tell people about it listen (courses e-mails the person).
membership_decided = Signal()


def memberships_changed(**kwargs) -> None:
    generations.move("accounts")


for model in (Membership, Organisation, Group):
    post_save.connect(memberships_changed, sender=model, dispatch_uid=f"accounts_{model.__name__}")
    post_delete.connect(
        memberships_changed, sender=model, dispatch_uid=f"accounts_{model.__name__}_deleted"
    )


def groups_changed(action: str, **kwargs) -> None:
    """A person added to or removed from a group, from either side: once it is done."""
    if action.startswith("post_"):
        generations.move("accounts")


m2m_changed.connect(
    groups_changed, sender=get_user_model().groups.through, dispatch_uid="accounts_groups"
)


def second_factor_changed(created: bool = True, **kwargs) -> None:
    """A second factor set up or removed: whether a person has one is cached. Using one saves
    it too (the time it was last used), which changes nothing cached."""
    if created:
        generations.move("accounts")


post_save.connect(second_factor_changed, sender=Authenticator, dispatch_uid="accounts_mfa")
post_delete.connect(second_factor_changed, sender=Authenticator, dispatch_uid="accounts_mfa_gone")


def session_started(request, **kwargs) -> None:
    """Signing in writes the session anyway: start its idle clock then, not on the next page."""
    if request is not None and hasattr(request, "session"):
        IdleSessionMiddleware.seen_now(request.session)


def language_remembered(request, user, **kwargs) -> None:
    """Signing in keeps the language the person signed in with for their e-mails."""
    from .services import user_language_set

    language = getattr(request, "LANGUAGE_CODE", "")  # set for every request the site serves
    if language:
        user_language_set(user=user, language=language)


user_logged_in.connect(language_remembered, dispatch_uid="accounts_language_remembered")
user_logged_in.connect(session_started, dispatch_uid="accounts_session_started")
