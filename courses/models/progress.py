"""What a learner has done. Written only through courses.services; read-only in the admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import CoursePage, LessonPage


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique")]

    def __str__(self):
        return f"{self.user} in {self.course}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    # The course the lesson sat in when completed: reports count per course without tree walks.
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)
    # Completed in class: the classroom session that covered the lesson, and the trainer who
    # recorded it. Both empty for a lesson completed online.
    in_class_session = models.ForeignKey(
        "courses.ClassroomSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("completed in class at"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("lesson completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completion_unique")
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self):
        return f"{self.user} completed {self.lesson}"


class CourseCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="course_completion_unique")
        ]

    def __str__(self):
        return f"{self.user} completed {self.course}"


class CheckAnswer(models.Model):
    """A learner's latest answer to one "check your understanding" question of a lesson: for
    their own progress, not graded. Answering again replaces it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_answers"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="check_answers")
    block_id = models.CharField(_("question block"), max_length=64)
    # The option's text as authored when chosen: if the option is rewritten, the answer is stale.
    choice = models.TextField(_("chosen option"))
    is_correct = models.BooleanField(_("right"))
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer to a lesson question")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="check_answer_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} answered {self.block_id} in {self.lesson}"
