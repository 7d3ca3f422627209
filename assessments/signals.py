"""Assessments never import courses: a graded attempt is announced, and courses listens."""

from django.dispatch import Signal

# Sent once per attempt, after the transaction that graded it commits. Argument: attempt.
attempt_graded = Signal()
