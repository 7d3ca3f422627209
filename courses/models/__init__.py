from .pages import Audience, CourseIndexPage, CoursePage, LessonPage
from .progress import CheckAnswer, CourseCompletion, Enrolment, LessonCompletion
from .training import TrainerCertification

__all__ = [
    "Audience",
    "CourseIndexPage",
    "CoursePage",
    "LessonPage",
    "Enrolment",
    "LessonCompletion",
    "CourseCompletion",
    "CheckAnswer",
    "TrainerCertification",
]
