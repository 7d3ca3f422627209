from django.urls import include, path

from . import cohort_urls, views

urlpatterns = [
    path("", views.training_home, name="training"),
    path("cohorts/", include(cohort_urls)),
]
