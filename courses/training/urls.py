from django.urls import path

from . import cascade_views, views

urlpatterns = [
    path("", views.training_home, name="training"),
    path("cascade/", cascade_views.cascade_page, name="cascade"),
]
