"""What happens after a cohort changes, once the change is committed.

The cohort services call these through `transaction.on_commit`, so a refused or rolled-back
change announces nothing. They are where notifications hang (a learner told they were added,
reminders of sessions are queued by the daily `send_reminders` command)."""

from django.contrib.auth import get_user_model

from . import notifications


def learners_added(*, cohort, user_ids: list[int], by) -> None:
    """`user_ids` were put in `cohort` by `by` (only those newly added): each is told once."""
    users = get_user_model().objects.filter(pk__in=user_ids)
    notifications.cohort_learners_added(cohort=cohort, users=users)


def session_scheduled(*, session, by) -> None:
    """A classroom session was added to its cohort, or its date, time or place changed. Its
    learners are reminded the day before (`notifications.session_reminders`, keyed by the
    session's date, so a moved session reminds again); nothing is sent now."""
