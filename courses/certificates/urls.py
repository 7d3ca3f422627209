from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_form, name="certificate_verify_form"),
    path("verify/<str:code>/", views.verify, name="certificate_verify"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<str:code>/credential.json",
        views.certificate_credential,
        name="certificate_credential",
    ),
    path("certificates/status/<int:number>", views.status_list, name="certificate_status_list"),
    path(".well-known/flightpath-issuer.json", views.issuer, name="certificate_issuer"),
]
