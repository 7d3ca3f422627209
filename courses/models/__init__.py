from .pages import Audience, CourseIndexPage, CoursePage, LessonPage
from .progress import CourseCompletion, Enrolment, LessonCompletion

__all__ = [
    "Audience",
    "CourseIndexPage",
    "CoursePage",
    "LessonPage",
    "Enrolment",
    "LessonCompletion",
    "CourseCompletion",
]
