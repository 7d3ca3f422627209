"""Quizzes in the reader's language.

A quiz and its translations (wagtail-localize, one quiz per language sharing a translation
key) are one quiz to learners: attempts, grades and passes belong to the quiz in the site's
source language, and a live translation only words it. It does so only while it grades exactly
as the quiz does (the same questions, choices, right answers, points and routes); a
translation left behind by a change to the quiz is not shown, and learners read the quiz as it
is, marked with its own language.
"""

import copy

from django.conf import settings
from django.utils.translation import get_language

from .models import Quiz

WORDING = ("title", "introduction", "questions", "endings")


def quiz_in_language(quiz: Quiz, language: str | None = None) -> Quiz:
    """`quiz` (a quiz or one of its revisions) worded in `language` (by default the active
    one) when a live translation grades exactly as it does; else `quiz` itself."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return quiz
    translation = Quiz.objects.filter(
        translation_key=quiz.translation_key, locale__language_code=language, live=True
    ).first()
    if translation is None or translation.pk == quiz.pk:
        return quiz
    if translation.grading_structure() != quiz.grading_structure():
        return quiz
    shown = copy.copy(quiz)
    for name in ("blocks_by_key", "endings_by_slug", "_scoring_questions"):
        shown.__dict__.pop(name, None)  # worked out from the English questions
    for name in WORDING:
        setattr(shown, name, getattr(translation, name))
    shown.locale_id = translation.locale_id
    return shown
