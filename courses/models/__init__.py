from .cascade import TrainerReach
from .cohorts import Attendance, ClassroomSession, Cohort, CohortMember
from .pages import Audience, CourseIndexPage, CoursePage, LessonPage, TrackCourse, TrackPage
from .progress import CheckAnswer, CourseCompletion, Enrolment, LessonCompletion
from .training import TrainerCertification

__all__ = [
    "Audience",
    "CourseIndexPage",
    "CoursePage",
    "LessonPage",
    "TrackPage",
    "TrackCourse",
    "Enrolment",
    "LessonCompletion",
    "CourseCompletion",
    "CheckAnswer",
    "TrainerCertification",
    "Cohort",
    "CohortMember",
    "ClassroomSession",
    "Attendance",
    "TrainerReach",
]
