from django.urls import path

from . import cohort_views as views

urlpatterns = [
    path("new/", views.cohort_create, name="cohort_create"),
    path("new/programmes/", views.cohort_programme_suggestions, name="cohort_new_programmes"),
    path("<id:cohort_id>/", views.cohort_detail, name="cohort"),
    path(
        "<id:cohort_id>/programmes/", views.cohort_programme_suggestions, name="cohort_programmes"
    ),
    path("<id:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path("<id:cohort_id>/learners/", views.cohort_learner_add, name="cohort_learner_add"),
    path("<id:cohort_id>/learners/csv/", views.cohort_learners_csv, name="cohort_learners_csv"),
    path("<id:cohort_id>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<id:session_id>/", views.session_attendance, name="session_attendance"),
    path("sessions/<id:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<id:session_id>/in-class/", views.session_in_class, name="session_in_class"),
]
