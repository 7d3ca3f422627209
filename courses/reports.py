"""The coordinator's table: who in the organisation enrolled in and completed which course."""

from collections import defaultdict

from django.db.models import Count

from cms.accounts.models import Membership

from .models import CourseCompletion, Enrolment, LessonCompletion
from .selectors import lessons_by_course, live_courses


def organisation_progress(*, organisation) -> dict:
    members = list(
        Membership.objects.filter(organisation=organisation, status=Membership.Status.VERIFIED)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    user_ids = [m.user_id for m in members]
    courses = live_courses()
    totals = {cid: len(lessons) for cid, lessons in lessons_by_course(courses).items()}
    enrolled = set(
        Enrolment.objects.filter(user_id__in=user_ids).values_list("user_id", "course_id")
    )
    completed = set(
        CourseCompletion.objects.filter(user_id__in=user_ids).values_list("user_id", "course_id")
    )
    done = defaultdict(int)
    for row in (
        LessonCompletion.objects.filter(user_id__in=user_ids)
        .values("user_id", "course_id")
        .annotate(n=Count("id"))
    ):
        done[row["user_id"], row["course_id"]] = row["n"]
    rows = []
    for membership in members:
        cells = []
        for course in courses:
            key = (membership.user_id, course.pk)
            cells.append(
                {
                    "enrolled": key in enrolled,
                    "complete": key in completed,
                    "done": done[key],
                    "total": totals.get(course.pk, 0),
                }
            )
        rows.append({"membership": membership, "cells": cells})
    summary = [
        {
            "course": course,
            "enrolled": sum(1 for m in members if (m.user_id, course.pk) in enrolled),
            "complete": sum(1 for m in members if (m.user_id, course.pk) in completed),
        }
        for course in courses
    ]
    return {"courses": courses, "rows": rows, "summary": summary}
