from assessments.models import H5PPackage
from assessments.signals import attempt_graded
from cms.home import cache as content_cache

from . import services


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")

# Lessons show H5P activities: a changed or deleted package changes the lessons that use it.
content_cache.watch(H5PPackage)
