"""The cascade's summary: one row per trainer, kept up to date by
`courses.training.cascade.refresh_trainer_reach` whenever cohorts, their members, sessions,
completions or certifications change. Reports read these rows, never the raw records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.accounts.models import Organisation


class TrainerReach(models.Model):
    """A trainer's place in the cascade and the learners they reached.

    `parent` is who certified them (their latest certification that names a certifier), when
    that person is in the cascade too; a certification that would close a loop is left out, so
    the parents form a forest. *Direct* learners are the distinct members of the cohorts the
    trainer leads; *downstream* learners the distinct members of cohorts led by trainers below
    them, at any depth; `learners` is both together (a learner counted once), `completed` those
    of them who completed their cohort's course or track, and the countries and airports those
    of every classroom session in the trainer's part of the tree."""

    trainer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="trainer_reach",
        verbose_name=_("trainer"),
    )
    level = models.CharField(_("level"), max_length=16, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        verbose_name=_("certified by"),
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        verbose_name=_("above in the cascade"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # Digits only, fixed width (the name's first letters, then the id), so that paths of them
    # sort the same in every collation: siblings are listed by name.
    sort_key = models.CharField(max_length=40)
    # The tree in reading order (depth first), numbered when its shape changes: a trainer's
    # part of the tree is the rows from `tree_start` to `tree_end`, read as one range.
    tree_start = models.PositiveIntegerField(default=0)
    tree_end = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    direct_learners = models.PositiveIntegerField(_("direct learners"), default=0)
    direct_completed = models.PositiveIntegerField(default=0)
    downstream_learners = models.PositiveIntegerField(_("downstream learners"), default=0)
    learners = models.PositiveIntegerField(_("learners reached"), default=0)
    completed = models.PositiveIntegerField(_("learners who completed"), default=0)
    countries = models.TextField(_("countries"), blank=True)  # ISO codes, space-separated
    airports = models.TextField(_("airports"), blank=True)  # IATA codes, space-separated
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trainer's reach")
        verbose_name_plural = _("trainers' reach")
        indexes = [
            models.Index(fields=["certified_by"], name="trainerreach_certified_by"),
            models.Index(fields=["parent"], name="trainerreach_parent"),
            models.Index(fields=["tree_start"], name="trainerreach_tree_start"),
            models.Index(fields=["organisation", "tree_start"], name="trainerreach_org_tree_start"),
        ]

    def __str__(self):
        return f"{self.trainer}: {self.learners}"

    @property
    def completion_rate(self) -> float:
        return round(self.completed / self.learners, 3) if self.learners else 0.0
