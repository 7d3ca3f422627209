"""URLs of the H5P content origin (see content_origin.py); nothing else is served there."""

from django.urls import path, re_path

from . import content_views

urlpatterns = [
    path("h5p/player/<str:folder>/", content_views.player, name="h5p_player"),
    re_path(r"^h5p/packages/(?P<folder>[0-9a-f]{32})/(?P<path>.+)$", content_views.package_file),
    re_path(r"^h5p/assets/(?P<path>.+)$", content_views.asset),
]
