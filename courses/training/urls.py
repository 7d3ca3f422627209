from django.urls import include, path

from . import certification_urls, views

urlpatterns = [
    path("", views.training_home, name="training"),
    path("", include(certification_urls)),
]
