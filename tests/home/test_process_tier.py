"""A warm page costs one read of the shared cache: the generation tokens. The rest comes from
the process's own copies, which a change made anywhere leaves behind at once."""

import pytest
from django.core.cache import cache
from django.test import Client

from cms import generations

from ..factories import make_course

pytestmark = pytest.mark.django_db

REVISED = "Revised text on transit hubs."


@pytest.fixture
def lesson():
    course = make_course(title="Document abuse", slug="documents", audience="officers")
    return course.get_children().first().specific


@pytest.fixture
def shared_cache_reads(monkeypatch):
    """Every call a request makes to the shared cache, by method name (a backend's calls to
    itself, such as get_many asking get for each key, are not counted twice)."""
    calls, inside = [], []
    backend_class = type(cache._connections[cache._alias])
    for name in ("get", "get_many", "get_or_set", "add", "set", "set_many", "has_key"):
        original = getattr(backend_class, name)

        def counted(backend, *args, _original=original, _name=name, **kwargs):
            if not inside:
                calls.append(_name)
            inside.append(_name)
            try:
                return _original(backend, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend_class, name, counted)
    return calls


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_warm_signed_in_lesson_reads_the_shared_cache_once(officer, lesson, request):
    client = signed_in(officer)
    client.get(lesson.url)
    client.get(lesson.url)
    calls = request.getfixturevalue("shared_cache_reads")
    assert client.get(lesson.url).status_code == 200
    assert calls == ["get_many"]


def test_a_warm_page_for_visitors_reads_the_shared_cache_once(request):
    course = make_course(title="Recognising smuggling", slug="recognising")
    Client().get(course.url)
    Client().get(course.url)
    calls = request.getfixturevalue("shared_cache_reads")
    assert Client().get(course.url).status_code == 200
    assert calls == ["get_many"]


def test_a_change_made_by_another_process_is_seen_at_once(officer, lesson):
    client = signed_in(officer)
    client.get(lesson.url)  # this process keeps its own copy
    type(lesson).objects.filter(pk=lesson.pk).update(title=REVISED)  # published elsewhere...
    cache.set(generations.key("content"), "moved-by-another-process")  # ...which moved on
    assert REVISED in client.get(lesson.url).text


def test_a_copy_changed_by_one_request_is_not_seen_by_the_next(lesson):
    from cms.home import cache as content_cache

    first = content_cache.remember("probe", lambda: {"lessons": ["one"]})
    first["lessons"].append("changed by a request")
    assert content_cache.remember("probe", lambda: {}) == {"lessons": ["one"]}
