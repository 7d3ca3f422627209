from django.db.models.signals import post_delete, post_save

from assessments.signals import attempt_graded
from cms import generations

from . import services
from .models import TrainerCertification


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")


def _certification_changed(sender, **kwargs):
    """Who may read trainer notes is kept with the accounts (courses.training.notes)."""
    generations.move("accounts")


post_save.connect(
    _certification_changed,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_changed",
)
post_delete.connect(
    _certification_changed,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_deleted",
)
