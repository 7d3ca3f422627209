from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete

from assessments.signals import attempt_graded
from cms import generations
from cms.accounts.models import Membership, Organisation
from cms.accounts.signals import membership_decided
from cms.programs.models import Programme

from . import services
from .dashboards import results, summaries
from .models import (
    AttemptSummary,
    Cohort,
    CohortMember,
    LearnerProgress,
    TrainerCertification,
    TrainerReach,
)
from .training import cascade, notifications
from .training.candidates import certification_recorded


def _attempt_graded(sender, attempt, **kwargs):
    services.quiz_graded(attempt=attempt)


def _certification_recorded(sender, instance, created, raw=False, **kwargs):
    """Every certification change adds a row: where its holder hangs in the cascade, and
    their level, may have changed."""
    if created and not raw:
        cascade.certification_recorded(user=instance.user)


def _certification_changed(sender, instance, raw=False, **kwargs):
    """A certification granted, changed or withdrawn: its holder may count, or no longer, as a
    certified trainer of the programmes they learnt or were observed under."""
    if not raw and instance.user_id not in _leaving:
        results.learners_refresh([instance.user_id])


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
    _certification_changed,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_programme_results",
)
post_delete.connect(
    _certification_changed,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_gone_programme_results",
)
post_save.connect(
    _certification_recorded,
    sender=TrainerCertification,
    dispatch_uid="courses_certification_recorded",
)


def _membership_changed(sender, instance, raw=False, **kwargs):
    """A learner's organisation, and so their country, is that of their verified membership."""
    if not raw and instance.user_id not in _leaving:
        summaries.progress_refresh(user_ids=[instance.user_id])


def _organisation_changed(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    country = instance.country.code or ""
    moved = set(
        LearnerProgress.objects.filter(organisation=instance)
        .exclude(country=country)
        .values_list("user_id", flat=True)
    )
    # A graded attempt outside any course the learner is enrolled in has no progress row, and
    # carries the organisation's country on its own.
    moved.update(
        AttemptSummary.objects.filter(organisation_key=instance.pk)
        .exclude(country=country)
        .values_list("user_id", flat=True)
    )
    summaries.progress_refresh(user_ids=sorted(moved))
    results.organisation_moved(organisation_id=instance.pk, country=country)


def _programme_deleting(sender, instance, **kwargs):
    """A programme leaves the registry: its cohorts are no longer delivered under anything,
    and their learners' rows move out of its counts, in the deletion's transaction."""
    cohorts = Cohort.objects.filter(programme=instance)
    learners = list(CohortMember.objects.filter(cohort__in=cohorts).values_list("user_id"))
    cohorts.update(programme=None)
    summaries.progress_refresh(user_ids=[pk for (pk,) in learners])


pre_delete.connect(_programme_deleting, sender=Programme, dispatch_uid="courses_programme_gone")


def _cohorts_changed(sender, raw=False, **kwargs):
    """A cohort added, changed or removed: the dashboards' filters list cohorts."""
    if not raw:
        generations.move("cohorts")


def _person_renamed(sender, update_fields=None, raw=False, **kwargs):
    """The dashboards' filters name cohorts' trainers: a person saved with their name or
    address perhaps changed (not the time they last signed in), or removed."""
    if raw or (
        update_fields is not None and not {"first_name", "last_name", "email"} & set(update_fields)
    ):
        return
    generations.move("cohorts")


post_save.connect(_cohorts_changed, sender=Cohort, dispatch_uid="courses_cohort_saved")
post_delete.connect(_cohorts_changed, sender=Cohort, dispatch_uid="courses_cohort_deleted")
post_save.connect(
    _person_renamed, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses_person_renamed"
)
post_delete.connect(
    _person_renamed, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses_person_gone"
)


# People being deleted: their memberships go with them, and must not put them back in the
# summaries on the way out.
_leaving: set[int] = set()


def _person_deleting(sender, instance, **kwargs):
    _leaving.add(instance.pk)
    summaries.progress_forget(user_ids=[instance.pk])


def _person_deleted(sender, instance, **kwargs):
    _leaving.discard(instance.pk)


pre_delete.connect(
    _person_deleting, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses_person_deleting"
)
post_delete.connect(
    _person_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses_person_deleted"
)
post_save.connect(_membership_changed, sender=Membership, dispatch_uid="courses_membership_saved")
post_delete.connect(
    _membership_changed, sender=Membership, dispatch_uid="courses_membership_deleted"
)
post_save.connect(
    _organisation_changed, sender=Organisation, dispatch_uid="courses_organisation_saved"
)
# A trainer's row leaves the cascade's summary with them (deleted with the person): the totals
# the cascade page keeps are counted again.
post_delete.connect(
    cascade.tree_changed, sender=TrainerReach, dispatch_uid="courses_trainer_reach_deleted"
)
