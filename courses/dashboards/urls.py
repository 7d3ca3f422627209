from django.urls import path

from . import competency_views, views

urlpatterns = [
    path("", views.completion, name="dashboards"),
    path("learners/", views.learners, name="dashboard_learners"),
    path(
        "organisations/",
        views.organisation_suggestions,
        name="dashboard_organisation_suggestions",
    ),
    path("stalled/", views.stalled_learners, name="dashboard_stalled"),
    path("stalled/remind/", views.remind, name="dashboard_remind"),
    path("trainers/", views.trainer_list, name="dashboard_trainers"),
    path("programmes/", views.programmes, name="dashboard_programmes"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="dashboard_export"),
    path("competency/", competency_views.competency_view, name="dashboard_competency"),
    path(
        "competency/critical/<str:quiz>/",
        competency_views.critical_learners,
        name="dashboard_competency_critical",
    ),
    path(
        "competency/export/<slug:table>.<slug:fmt>",
        competency_views.competency_export,
        name="dashboard_competency_export",
    ),
    path("exports/", views.export_list, name="dashboard_exports"),
    path("exports/<int:pk>/download", views.export_download, name="dashboard_export_download"),
]
