from django.urls import path

from . import views
from .h5p import views as h5p_views

app_name = "assessments"

urlpatterns = [
    path("h5p/<id:package_id>/xapi/", h5p_views.xapi_statement, name="xapi"),
    path("attempts/<id:attempt_id>/", views.attempt_view, name="attempt"),
    path("attempts/<id:attempt_id>/save/", views.attempt_save, name="save"),
    path("attempts/<id:attempt_id>/review/", views.attempt_review, name="review"),
    path("attempts/<id:attempt_id>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<id:attempt_id>/choose/", views.attempt_choose, name="choose"),
    path("attempts/<id:attempt_id>/result/", views.attempt_result, name="result"),
    path("<slug:slug>/", views.quiz_detail, name="quiz"),
    path("<slug:slug>/start/", views.attempt_start, name="start"),
]
