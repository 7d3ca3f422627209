from django.urls import include, path

from . import cascade_views, cohort_urls, session_pack_views, views

urlpatterns = [
    path("", views.training_home, name="training"),
    path("cohorts/", include(cohort_urls)),
    path("cascade/", cascade_views.cascade_page, name="cascade"),
    path(
        "courses/<id:course_id>/session-pack/",
        session_pack_views.session_pack_page,
        name="session_pack",
    ),
    path(
        "courses/<id:course_id>/session-pack.pdf",
        session_pack_views.session_pack_pdf,
        name="session_pack_pdf",
    ),
    path("", include("courses.training.certification_urls")),
]
