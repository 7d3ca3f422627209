from django.urls import path

from . import views

urlpatterns = [
    path("", views.completion, name="dashboards"),
    path("learners/", views.learners, name="dashboard_learners"),
    path("stalled/", views.stalled_learners, name="dashboard_stalled"),
    path("stalled/remind/", views.remind, name="dashboard_remind"),
    path("trainers/", views.trainer_list, name="dashboard_trainers"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="dashboard_export"),
]
