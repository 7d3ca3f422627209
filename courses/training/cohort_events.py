"""What happens after a cohort changes, once the change is committed.

The cohort services call these through `transaction.on_commit`, so a refused or rolled-back
change announces nothing. They are where notifications hang (a learner told they were added,
a reminder queued for a new session); today they do nothing more than mark the moment."""


def learners_added(*, cohort, user_ids: list[int], by) -> None:
    """`user_ids` were put in `cohort` by `by` (only those newly added)."""


def session_scheduled(*, session, by) -> None:
    """A classroom session was added to its cohort, or its date, time or place changed."""
