from .pages import Audience, CourseIndexPage, CoursePage, LessonPage
from .progress import CheckAnswer, CourseCompletion, Enrolment, LessonCompletion

__all__ = [
    "Audience",
    "CourseIndexPage",
    "CoursePage",
    "LessonPage",
    "Enrolment",
    "LessonCompletion",
    "CourseCompletion",
    "CheckAnswer",
]
