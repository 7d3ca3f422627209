from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.training_home, name="training"),
    path("", include("courses.training.certification_urls")),
]
