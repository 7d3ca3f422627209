from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.xml", views.export_iati, name="export_iati"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/decide/", views.duplicate_decide, name="duplicate_decide"),
    path("<str:identifier>/", views.programme_detail, name="detail"),
    path("<str:identifier>/edit/", views.programme_edit, name="edit"),
    path("<str:identifier>/submit/", views.programme_submit, name="submit"),
    path("<str:identifier>/publish/", views.programme_publish, name="publish"),
]
