"""The anonymous page cache keeps only what every visitor may see: no message, no cookie."""

import pytest
from django.http import HttpResponse
from django.test import Client

from cms.home import cache as content_cache

from ..factories import make_course

pytestmark = pytest.mark.django_db

SIGNED_OUT = "You have signed out."


@pytest.fixture
def home(public_course):
    return public_course.get_parent().get_parent()


def sign_out(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/accounts/logout/")
    forget_expired_cookies(client)
    return client


def forget_expired_cookies(client):
    """What a browser does with a cookie deleted by the response (the test client keeps it)."""
    for name, morsel in list(client.cookies.items()):
        if str(morsel["max-age"]) == "0":
            del client.cookies[name]


def test_a_signed_out_message_is_not_shown_to_the_next_visitor(officer, home):
    client = sign_out(officer)
    assert SIGNED_OUT in client.get(home.url).text
    assert SIGNED_OUT not in Client().get(home.url).text


def test_a_visitor_with_a_message_waiting_is_not_served_the_cached_page(officer, home):
    Client().get(home.url)  # cached for visitors
    assert SIGNED_OUT in sign_out(officer).get(home.url).text


def test_a_page_showing_a_message_to_a_visitor_without_cookies_is_not_cached(home, monkeypatch):
    from django.contrib import messages
    from wagtail.models import Page

    serve = Page.serve

    def serve_with_a_message(page, request, *args, **kwargs):
        messages.info(request, "Only for the first visitor.")
        return serve(page, request, *args, **kwargs)

    monkeypatch.setattr(Page, "serve", serve_with_a_message)
    assert "Only for the first visitor." in Client().get(home.url).text
    monkeypatch.setattr(Page, "serve", serve)
    assert "Only for the first visitor." not in Client().get(home.url).text


def serve_probe(settings, make_response):
    """Serve `make_response()` at /probe/ as a page for visitors, through every middleware."""
    from django.urls import path

    def view(request):
        cached = content_cache.cached_response(request)
        if cached is not None:
            return cached
        response = make_response()
        content_cache.mark_cacheable(request, response)
        return response

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("probe/", view)]})


def page_for(visitor: str, **headers) -> HttpResponse:
    response = HttpResponse(f"page for the {visitor} visitor")
    for header, value in headers.items():
        response[header] = value
    return response


def test_a_response_that_sets_a_cookie_is_not_cached(settings, home):
    def first_sets_a_cookie():
        response = page_for("next")
        if not visitors:
            response.set_cookie("preference", "the first visitor's")
        visitors.append(response)
        return response

    visitors = []
    serve_probe(settings, first_sets_a_cookie)
    Client().get("/probe/")
    assert not Client().get("/probe/").cookies


def test_a_response_that_varies_on_a_header_outside_the_key_is_not_cached(settings, home):
    visitors = iter(["first", "second"])
    serve_probe(settings, lambda: page_for(next(visitors), Vary="Accept-Language, User-Agent"))
    Client().get("/probe/")
    assert Client().get("/probe/").text == "page for the second visitor"


def test_a_response_marked_private_is_not_cached(settings, home):
    visitors = iter(["first", "second"])
    serve_probe(settings, lambda: page_for(next(visitors), **{"Cache-Control": "private"}))
    Client().get("/probe/")
    assert Client().get("/probe/").text == "page for the second visitor"


def test_a_plain_page_for_visitors_is_still_cached(settings, home):
    visitors = iter(["first", "second"])
    serve_probe(settings, lambda: page_for(next(visitors)))
    Client().get("/probe/")
    assert Client().get("/probe/").text == "page for the first visitor"


def test_a_visitor_carrying_any_cookie_is_served_the_ordinary_way(client, home):
    client.get(home.url)  # cached for visitors without cookies
    client.cookies["csrftoken"] = "x" * 32
    assert client.get(home.url).templates


def test_every_kind_of_page_is_cached_for_visitors_without_cookies(client):
    course = make_course(title="Recognising smuggling", slug="recognising", lessons=1)
    for url in ("/", "/courses/", course.url, course.get_children().first().url):
        assert client.get(url).templates, url
        assert not client.get(url).templates, url
