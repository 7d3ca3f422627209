"""A cache generation never comes back: losing it, or deploying, starts clean."""

import pytest
from django.core.cache import cache
from django.test import Client

from cms import generations
from cms.accounts.models import Membership
from cms.home import cache as content_cache

from ..factories import MembershipFactory, make_course

pytestmark = pytest.mark.django_db

REVISED = "Revised text on transit hubs."


@pytest.fixture
def lesson():
    course = make_course(title="Recognising smuggling", slug="recognising", lessons=1)
    return course.get_children().first().specific


def revise(lesson):
    lesson.body = [("paragraph", f"<p>{REVISED}</p>")]
    lesson.save_revision().publish()


def lose_every_generation():
    """What an eviction or a restart of the shared cache does to the generation keys."""
    cache.delete_many([generations.key(name) for name in generations.NAMES])


def reader(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "officer"])
def test_a_replaced_lesson_text_is_not_served_again_after_the_generation_is_lost(
    lesson, officer, signed_in
):
    client = reader(officer if signed_in else None)
    client.get(lesson.url)  # copies of the first text
    revise(lesson)
    assert REVISED in client.get(lesson.url).text
    lose_every_generation()
    for _later_publish in range(4):
        lesson.get_parent().specific.save_revision().publish()
        assert REVISED in client.get(lesson.url).text


def test_a_revoked_role_does_not_come_back_after_the_generation_is_lost(officer):
    course = make_course(title="Document abuse", slug="documents", audience="officers")
    lesson = course.get_children().first()
    client = reader(officer)
    assert client.get(lesson.url).status_code == 200  # the verified membership is cached
    membership = Membership.objects.get(user=officer)
    membership.status = Membership.Status.REQUESTED
    membership.save()
    assert client.get(lesson.url).status_code == 403
    lose_every_generation()
    for _later_change in range(4):
        MembershipFactory()  # someone else joins an organisation
        assert client.get(lesson.url).status_code == 403


def test_a_new_release_does_not_serve_copies_made_by_the_previous_one(lesson, settings):
    client = reader()
    settings.FLIGHTPATH_RELEASE = "release-1"
    client.get(lesson.url)
    # A deploy that changes what a page shows without publishing (a data migration, a template).
    type(lesson).objects.filter(pk=lesson.pk).update(title="Retitled by the new release")
    settings.FLIGHTPATH_RELEASE = "release-2"
    assert "Retitled by the new release" in client.get(lesson.url).text


def test_a_generation_is_read_once_per_request(lesson, officer, monkeypatch):
    reads = []
    read = generations._read

    def counting_read():
        reads.append(1)
        return read()

    monkeypatch.setattr(generations, "_read", counting_read)
    reader(officer).get(lesson.url)
    assert len(reads) == 1


def test_the_release_is_the_one_deployed_or_else_a_digest_of_the_code():
    from cms.release import code_digest, release

    assert release({"FLIGHTPATH_RELEASE": "4f73fa9"}) == "4f73fa9"
    assert release({}) == code_digest()


def test_the_code_digest_follows_file_contents_not_file_times(tmp_path, monkeypatch):
    import os

    from cms import release

    monkeypatch.setattr(release, "BASE_DIR", tmp_path)
    (tmp_path / "cms").mkdir()
    template = tmp_path / "cms" / "page.html"
    template.write_text("<p>first</p>")
    first = release.code_digest()
    os.utime(template, (1, 1))  # another machine, another checkout time
    assert release.code_digest() == first
    template.write_text("<p>second</p>")
    assert release.code_digest() != first


@pytest.mark.parametrize("action", ["save", "delete"])
def test_changing_an_image_moves_the_content_generation(action):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Gate", file=get_test_image_file())
    before = content_cache.generation()
    getattr(image, action)()
    assert content_cache.generation() != before


@pytest.mark.parametrize("action", ["save", "delete"])
def test_changing_a_document_moves_the_content_generation(action):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Checklist", file=ContentFile(b"checklist", name="checklist.txt")
    )
    before = content_cache.generation()
    getattr(document, action)()
    assert content_cache.generation() != before


@pytest.mark.parametrize("action", ["save", "delete"])
def test_changing_an_h5p_package_moves_the_content_generation(action):
    from assessments.models import H5PPackage

    package = H5PPackage.objects.create(title="True or false", folder="f" * 32)
    before = content_cache.generation()
    getattr(package, action)()
    assert content_cache.generation() != before
