"""Signed-in lesson pages come from one rendering per reader state, and stay each reader's own."""

import re

import pytest
from django.test import Client

from cms.home import reader_pages

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def lessons(public_course):
    return [page.specific for page in public_course.get_children()]


@pytest.fixture
def colleague(organisation):
    return MembershipFactory(
        organisation=organisation, user__first_name="Zainab", user__email="zainab@example.org"
    ).user


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def test_readers_in_the_same_state_share_one_rendering(officer, colleague, lessons):
    first = signed_in(colleague).get(lessons[0].url)
    second = signed_in(officer).get(lessons[0].url)
    assert first.templates and not second.templates  # the second came from the cache
    assert without_tokens(first.text) == without_tokens(second.text)
    assert "zainab" not in second.text.lower()


def test_shared_rendering_matches_the_ordinary_one(officer, lessons, monkeypatch):
    client = signed_in(officer)
    client.post(f"/lessons/{lessons[0].pk}/complete/")
    client.get(lessons[1].url)  # shows the "marked complete" message, the ordinary way
    client.get(lessons[0].url)  # renders the copy for "lesson 1 done"
    shared = client.get(lessons[0].url)
    assert not shared.templates
    monkeypatch.setattr(reader_pages, "applies", lambda request: False)
    ordinary = client.get(lessons[0].url)
    assert ordinary.templates
    assert without_tokens(shared.text) == without_tokens(ordinary.text)


def test_each_reader_sees_their_own_progress(officer, colleague, lessons):
    signed_in(colleague).get(lessons[0].url)  # cached in the "nothing done" state
    officer_client = signed_in(officer)
    officer_client.post(f"/lessons/{lessons[0].pk}/complete/", follow=True)  # reads the message
    mine = officer_client.get(lessons[0].url).text
    theirs = signed_in(colleague).get(lessons[0].url).text
    assert "You have completed this lesson." in mine and "1 of 3 lessons done" in mine
    assert "Mark lesson complete" in theirs and "0 of 3 lessons done" in theirs


def test_csrf_token_in_a_shared_page_works_for_this_reader(officer, colleague, lessons):
    signed_in(colleague).get(lessons[0].url)
    client = signed_in(officer, enforce_csrf_checks=True)
    page = client.get(lessons[0].url)
    assert not page.templates
    token = TOKEN.findall(page.text)[-1]  # the "Mark lesson complete" form
    refused = client.post(f"/lessons/{lessons[0].pk}/complete/")
    accepted = client.post(f"/lessons/{lessons[0].pk}/complete/", {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403
    assert accepted.status_code == 302


def test_a_message_is_shown_once_and_not_shared(officer, colleague, lessons):
    client = signed_in(officer)
    client.post(f"/lessons/{lessons[0].pk}/complete/")
    assert "Lesson marked complete." in client.get(lessons[1].url).text
    assert "Lesson marked complete." not in client.get(lessons[1].url).text
    assert "Lesson marked complete." not in signed_in(colleague).get(lessons[1].url).text


def test_people_who_use_the_cms_keep_the_user_bar(officer, trainer, lessons):
    signed_in(officer).get(lessons[0].url)
    assert "wagtail-userbar" in signed_in(trainer).get(lessons[0].url).text
    assert "wagtail-userbar" not in signed_in(officer).get(lessons[0].url).text


def test_the_user_bar_comes_with_pages_and_not_with_the_sites_own_views(trainer, lessons):
    """The bar edits the page in view: a CMS user's catalogue of their learning or a
    report has no page to edit, and is spared the bar's rendering."""
    client = signed_in(trainer)
    assert "wagtail-userbar" in client.get(lessons[0].url).text
    for path in ("/my-learning/", "/training/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "wagtail-userbar" not in response.text, path


def test_publishing_a_change_reaches_signed_in_readers_at_once(officer, lessons):
    client = signed_in(officer)
    assert "Lesson text about document checks." in client.get(lessons[0].url).text
    lessons[0].body = [("paragraph", "<p>Revised text on transit hubs.</p>")]
    lessons[0].save_revision().publish()
    assert "Revised text on transit hubs." in client.get(lessons[0].url).text


def test_a_shared_rendering_cannot_show_who_asked(officer, colleague, rf, settings, tmp_path):
    (tmp_path / "probe.html").write_text(
        "{{ user.email }}|{{ request.user.email }}|{{ user.first_name }}|{% csrf_token %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    def page_for(user):
        request = rf.get("/probe/")
        request.user, request.session, request._messages = user, {}, []
        return reader_pages.render(
            request, key="probe", reader_state="-", template_name="probe.html", context=dict
        ).content.decode()

    first, second = page_for(colleague), page_for(officer)
    assert first.startswith("|||") and second.startswith("|||")
    assert TOKEN.findall(first) and TOKEN.findall(first) != TOKEN.findall(second)


def test_readers_with_as_much_done_but_different_lessons_are_told_apart(
    officer, colleague, lessons
):
    officer_client, colleague_client = signed_in(officer), signed_in(colleague)
    officer_client.post(f"/lessons/{lessons[0].pk}/complete/", follow=True)  # reads the message
    colleague_client.post(f"/lessons/{lessons[1].pk}/complete/", follow=True)
    assert "You have completed this lesson." in officer_client.get(lessons[0].url).text
    assert "Mark lesson complete" in colleague_client.get(lessons[0].url).text


def test_course_and_catalogue_are_shared_and_stay_each_readers_own(officer, colleague, lessons):
    course_url, catalogue_url = lessons[0].get_parent().url, "/courses/"
    for url in (course_url, catalogue_url):
        first, second = signed_in(colleague).get(url), signed_in(officer).get(url)
        assert first.templates and not second.templates
        assert without_tokens(first.text) == without_tokens(second.text)
    officer_client = signed_in(officer)
    officer_client.post(f"/courses/{lessons[0].get_parent().pk}/enrol/", follow=True)
    officer_client.post(f"/lessons/{lessons[0].pk}/complete/", follow=True)
    assert "1 of 3 lessons done" in officer_client.get(course_url).text
    assert "1 of 3 lessons done" in officer_client.get(catalogue_url).text
    assert "Enrol in this course" in signed_in(colleague).get(course_url).text
    assert "lessons done" not in signed_in(colleague).get(catalogue_url).text


def test_readers_who_may_open_different_courses_are_told_apart(officer, newcomer, officers_course):
    signed_in(officer).get(officers_course.url)
    signed_in(officer).get("/courses/")
    refused = "This course is for verified officers of member organisations."
    assert refused in signed_in(newcomer).get(officers_course.url).text
    assert "Enrol in this course" not in signed_in(newcomer).get(officers_course.url).text
    assert f'href="{officers_course.get_children().first().url}"' not in (
        signed_in(newcomer).get(officers_course.url).text
    )


def test_a_preview_shows_the_draft_and_readers_keep_the_published_page(officer, lessons, rf):
    from django.conf import settings

    client = signed_in(officer)
    client.get(lessons[0].url)  # the shared copy of the published lesson
    lessons[0].body = [("paragraph", "<p>Draft text on transit hubs.</p>")]
    lessons[0].save_revision()  # saved, not published
    original = rf.get("/")
    original.META["HTTP_COOKIE"] = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    draft = lessons[0].get_latest_revision_as_object()
    preview = draft.make_preview_request(original_request=original)
    assert "Draft text on transit hubs." in preview.content.decode()
    assert "Draft text" not in client.get(lessons[0].url).text


@pytest.fixture
def probe_template(settings, tmp_path, monkeypatch):
    """Lessons rendered with a template that shows `probe` from the shared context."""
    from courses.models import LessonPage

    (tmp_path / "probe.html").write_text("probe=[{{ probe }}]")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    monkeypatch.setattr(LessonPage, "get_template", lambda page, request, *a, **k: "probe.html")
    return LessonPage


def test_a_value_computed_from_the_reader_cannot_reach_a_shared_copy(
    officer, colleague, lessons, probe_template, monkeypatch
):
    shared = probe_template.get_shared_context

    def with_probe(page, request):
        return {**shared(page, request), "probe": getattr(request.user, "email", "nobody")}

    monkeypatch.setattr(probe_template, "get_shared_context", with_probe)
    first = signed_in(colleague).get(lessons[0].url).text
    second = signed_in(officer).get(lessons[0].url).text
    assert first == second == "probe=[nobody]"


def test_the_shared_context_never_sees_the_readers_session_or_cookies(
    officer, lessons, probe_template, monkeypatch
):
    from django.conf import settings

    shared = probe_template.get_shared_context

    def with_probe(page, request):
        seen = [request.COOKIES.get(settings.SESSION_COOKIE_NAME), request.session.get("x")]
        return {**shared(page, request), "probe": seen}

    monkeypatch.setattr(probe_template, "get_shared_context", with_probe)
    client = signed_in(officer)
    session = client.session
    session["x"] = "officer's own"
    session.save()
    assert client.get(lessons[0].url).text == "probe=[[None, None]]"


def test_a_page_asked_with_a_query_string_is_not_shared(
    officer, colleague, lessons, probe_template, monkeypatch
):
    shared = probe_template.get_shared_context

    def with_probe(page, request):
        return {**shared(page, request), "probe": request.GET.get("q", "")}

    monkeypatch.setattr(probe_template, "get_shared_context", with_probe)
    assert signed_in(colleague).get(lessons[0].url + "?q=first").text == "probe=[first]"
    assert signed_in(officer).get(lessons[0].url + "?q=second").text == "probe=[second]"


def test_a_page_tells_its_reader_state_as_a_named_reader(officer, lessons, rf):
    request = rf.get(lessons[0].url)
    request.user = officer
    reader = lessons[0].get_reader(request)
    assert isinstance(reader, reader_pages.Reader)
    assert isinstance(reader.state, str) and "entry" in reader.context()
