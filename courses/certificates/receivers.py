"""Certificates follow the records they certify, once those are committed: a completed course
or track, and each new row of a trainer's certification history. A failure to print is logged
and leaves the record alone; `python manage.py issue_certificates` issues what is missing."""

import logging

from django.db import transaction
from django.db.models.signals import post_save

from ..models import CourseCompletion, TrainerCertification
from . import services

logger = logging.getLogger(__name__)


def _after_commit(action, **kwargs):
    def run():
        try:
            action(**kwargs)
        except Exception:
            logger.exception("Certificate not issued for %s", kwargs)

    transaction.on_commit(run)


def _course_completed(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _after_commit(services.certificate_issue_for_completion, completion=instance)


def _certification_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _after_commit(services.certification_recorded, certification=instance)


post_save.connect(
    _course_completed, sender=CourseCompletion, dispatch_uid="certificates_course_completed"
)
post_save.connect(
    _certification_recorded,
    sender=TrainerCertification,
    dispatch_uid="certificates_certification_recorded",
)
