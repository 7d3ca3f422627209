from django.db.models.signals import post_delete, post_save

from assessments.signals import attempt_graded

from . import services
from .models import TrainerCertification
from .training import cascade
from .training.candidates import certification_recorded


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


def _certification_recorded(sender, instance, created, raw=False, **kwargs):
    """Every certification change adds a row: where its holder hangs in the cascade, and
    their level, may have changed."""
    if created and not raw:
        cascade.certification_recorded(user=instance.user)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")
post_save.connect(
    certification_recorded, sender=TrainerCertification, dispatch_uid="courses_certification"
)
post_delete.connect(
    certification_recorded, sender=TrainerCertification, dispatch_uid="courses_certification_gone"
)
post_save.connect(
    _certification_recorded,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_recorded",
)
