from assessments.signals import attempt_graded

from . import services


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")
