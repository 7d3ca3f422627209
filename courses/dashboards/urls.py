from django.urls import path

from . import views

urlpatterns = [
    path("", views.completion, name="dashboards"),
    path("learners/", views.learners, name="dashboard_learners"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="dashboard_export"),
    path("exports/", views.export_list, name="dashboard_exports"),
    path("exports/<int:pk>/download", views.export_download, name="dashboard_export_download"),
]
