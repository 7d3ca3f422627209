from django.urls import path

from . import certification_views as views

urlpatterns = [
    path("certification/", views.my_certification, name="my_certification"),
    path("certification/renew/", views.certification_renew, name="certification_renew"),
    path("observations/", views.observations_list, name="observations"),
    path("observations/new/", views.observation_new, name="observation_new"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/certify/", views.observation_certify, name="observation_certify"),
    path(
        "organisations/<slug:slug>/trainers/",
        views.organisation_trainers,
        name="organisation_trainers",
    ),
    path(
        "organisations/<slug:slug>/trainers/<int:user_id>/<str:level>/<str:action>/",
        views.certification_change,
        name="certification_change",
    ),
]
