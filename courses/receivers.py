from django.db.models.signals import post_delete, post_save

from assessments.signals import attempt_graded
from cms.accounts.signals import membership_decided

from . import services
from .models import TrainerCertification
from .training import cascade, notifications
from .training.candidates import certification_recorded


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


def _certification_recorded(sender, instance, created, raw=False, **kwargs):
    """Every certification change adds a row: where its holder hangs in the cascade, and
    their level, may have changed."""
    if created and not raw:
        cascade.certification_recorded(user=instance.user)


def _membership_decided(sender, membership, **kwargs):
    notifications.membership_decided(membership=membership)


attempt_graded.connect(_attempt_graded, dispatch_uid="courses_attempt_graded")
membership_decided.connect(_membership_decided, dispatch_uid="courses_membership_decided")
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
