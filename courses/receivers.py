from django.db.models.signals import post_delete, post_save

from assessments.signals import attempt_graded

from . import services
from .models import TrainerCertification
from .training.candidates import certification_recorded


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")
post_save.connect(
    certification_recorded, sender=TrainerCertification, dispatch_uid="courses_certification"
)
post_delete.connect(
    certification_recorded, sender=TrainerCertification, dispatch_uid="courses_certification_gone"
)
