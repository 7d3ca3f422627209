"""Who may take a quiz: whoever its audience is open to, and whoever an app that places quizzes
admits beyond it with the `quiz_opens_to(quiz_id, user) -> bool` hook (courses: the final quiz
of a trainers' track, to the trainer candidates enrolled in the track). Assessments never
imports courses, so it asks."""

from wagtail import hooks

from cms.accounts.selectors import audiences_for_user

QUIZ_OPENS_HOOK = "quiz_opens_to"


def quiz_open_to(*, user, quiz_id: int, audience: str) -> bool:
    """Whether `user` may take (or go on with) the quiz `quiz_id`, whose audience is
    `audience`. The hooks are asked only for a signed-in reader outside the audience."""
    if audience in audiences_for_user(user=user):
        return True
    return user.is_authenticated and any(
        hook(quiz_id=quiz_id, user=user) for hook in hooks.get_hooks(QUIZ_OPENS_HOOK)
    )
