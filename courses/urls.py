from django.urls import include, path

from . import views
from .certificates import urls as certificate_urls
from .dashboards import urls as dashboard_urls
from .training import urls as training_urls

app_name = "courses"

urlpatterns = [
    path("my-learning/", views.my_learning, name="my_learning"),
    path("courses/<id:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<id:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("lessons/<id:lesson_id>/check/", views.check_answer, name="check_answer"),
    path(
        "lessons/<id:lesson_id>/offline.<str:kind>",
        views.lesson_offline,
        name="lesson_offline",
    ),
    path("organisations/<slug:slug>/progress/", views.organisation_progress, name="progress"),
    path("search/", views.search, name="search"),
    path("training/", include(training_urls)),
    path("dashboards/", include(dashboard_urls)),
    path("", include(certificate_urls)),
]
