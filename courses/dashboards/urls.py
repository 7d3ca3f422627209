from django.urls import path

from . import views

urlpatterns = [
    path("", views.completion, name="dashboards"),
    path("learners/", views.learners, name="dashboard_learners"),
    path("programmes/", views.programmes, name="dashboard_programmes"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="dashboard_export"),
]
