"""URLs of the H5P content origin (see origin.py); nothing else is served there."""

from django.urls import path, re_path

from . import origin_views

urlpatterns = [
    path("h5p/player/<str:folder>/", origin_views.player, name="h5p_player"),
    re_path(r"^h5p/packages/(?P<folder>[0-9a-f]{32})/(?P<path>.+)$", origin_views.package_file),
    re_path(r"^h5p/assets/(?P<path>.+)$", origin_views.asset),
]
