from .cascade import TrainerReach
from .certificates import Certificate
from .cohorts import Attendance, ClassroomSession, Cohort, CohortMember
from .exports import DashboardExport
from .notifications import Notification
from .pages import Audience, CourseIndexPage, CoursePage, LessonPage, TrackCourse, TrackPage
from .progress import CheckAnswer, CourseCompletion, Enrolment, LessonCompletion
from .summaries import (
    AttemptSummary,
    ChoiceMonth,
    CompetencyMonth,
    CompletionMonth,
    LearnerProgress,
    ProgrammeCount,
    ProgrammeLearner,
    QuestionMonth,
    Reminder,
    ScenarioMonth,
)
from .training import ObservationScore, ObservedSession, Rubric, TrainerCertification

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
    "Rubric",
    "ObservedSession",
    "ObservationScore",
    "Cohort",
    "CohortMember",
    "ClassroomSession",
    "Attendance",
    "Notification",
    "Certificate",
    "DashboardExport",
    "TrainerReach",
    "LearnerProgress",
    "CompletionMonth",
    "Reminder",
    "AttemptSummary",
    "CompetencyMonth",
    "QuestionMonth",
    "ChoiceMonth",
    "ScenarioMonth",
    "ProgrammeLearner",
    "ProgrammeCount",
]
