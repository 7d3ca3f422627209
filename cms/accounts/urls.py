from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_organisation, name="my_organisation"),
    path("leave/", views.leave_organisation, name="leave"),
    path("welcome/", views.welcome, name="welcome"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/invite/csv/", views.invite_csv, name="invite_csv"),
    path("<slug:slug>/members/<id:membership_id>/decide/", views.member_decide, name="decide"),
    path("<slug:slug>/members/<id:membership_id>/role/", views.member_role, name="role"),
]
