from django.db.models.signals import post_save

from assessments.signals import attempt_graded

from . import services
from .models import TrainerCertification
from .training import cascade


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")


def _certification_recorded(sender, instance, created, raw=False, **kwargs):
    """Every certification change adds a row: where its holder hangs in the cascade, and
    their level, may have changed."""
    if created and not raw:
        cascade.certification_recorded(user=instance.user)


post_save.connect(
    _certification_recorded,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_recorded",
)
