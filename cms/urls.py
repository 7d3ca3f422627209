from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents.views.serve import authenticate_with_password as document_password
from wagtail.urls import serve_pattern
from wagtail.views import authenticate_with_password as page_password

from assessments import urls as assessments_urls
from cms.accounts import urls as accounts_urls
from cms.accounts.views import account, set_language
from cms.home.routing import serve as serve_page
from cms.programs import urls as programs_urls
from cms.programs.api import api as programs_api
from courses import urls as courses_urls
from courses.views import ImageServeView

from .views import (
    bare_anonymous,
    bare_insert,
    bare_signed_in,
    document_download,
    media_for_cms_users,
)

urlpatterns = [
    # Wagtail's own sign-in forms would bypass allauth's rate limits and second factor.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    path("_util/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URLs, with every document sent as a sandboxed download.
    path(
        "documents/<id:document_id>/<str:document_filename>",
        document_download,
        name="wagtaildocs_serve",
    ),
    path(
        "documents/authenticate_with_password/<id:restriction_id>/",
        document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The registry's JSON API, its OpenAPI schema (openapi.json) and docs (docs).
    path("api/v1/", programs_api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG or getattr(settings, "FLIGHTPATH_BENCH_VIEWS", False):
    # Baselines for `make bench`: the full middleware stack with nothing else.
    urlpatterns += [
        path("_bench/b0/", bare_anonymous),
        path("_bench/b1/", bare_signed_in),
        path("_bench/b2/", bare_insert),
    ]

urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", media_for_cms_users, name="media"),
    re_path(
        r"^images/([^/]*)/(\d{1,19})/([^/]*)/[^/]*$",
        ImageServeView.as_view(action="serve"),
        name="wagtailimages_serve",
    ),
]

urlpatterns += i18n_patterns(
    path("accounts/", account, name="account"),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include(accounts_urls)),
    path("quizzes/", include(assessments_urls)),
    path("programmes/", include(programs_urls)),
    path("", include(courses_urls)),
    # Wagtail's page-password form posts here; the page pattern below would take it for a page.
    path(
        "_util/authenticate_with_password/<id:page_view_restriction_id>/<id:page_id>/",
        page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    re_path(serve_pattern, serve_page, name="page"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
