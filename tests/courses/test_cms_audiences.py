"""The CMS applies the site's audiences: a trainer whose organisation has no officer access
writes public courses but reads nothing of the officers' (pages, documents, images)."""

import pytest

from .test_media import a_document, an_image, doc_url, lesson_using

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    """403 or 404, or the CMS's own refusal: back to its dashboard with a message."""
    if response.status_code == 302:
        return response["Location"] == "/admin/"
    return response.status_code in (403, 404)


def officers_lesson(officers_course):
    lesson = officers_course.get_children().first().specific
    lesson.save_revision()
    return lesson


@pytest.mark.parametrize("action", ["edit/", "view_draft/", "history/", "usage/", "edit/preview/"])
def test_trainer_without_officer_access_cannot_open_an_officers_lesson_in_the_cms(
    client, ngo_trainer, officers_course, action
):
    lesson = officers_lesson(officers_course)
    client.force_login(ngo_trainer)
    assert refused(client.get(f"/admin/pages/{lesson.pk}/{action}"))


def test_trainer_without_officer_access_cannot_add_a_lesson_to_an_officers_course(
    client, ngo_trainer, officers_course
):
    client.force_login(ngo_trainer)
    response = client.get(f"/admin/pages/add/courses/lessonpage/{officers_course.pk}/")
    assert refused(response)


def test_trainer_without_officer_access_still_edits_public_lessons(
    client, ngo_trainer, public_course
):
    lesson = public_course.get_children().first()
    client.force_login(ngo_trainer)
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200


def test_page_explorer_hides_officers_lessons_from_a_trainer_without_officer_access(
    client, ngo_trainer, officers_course
):
    client.force_login(ngo_trainer)
    listing = client.get(f"/admin/pages/{officers_course.pk}/")
    search = client.get("/admin/pages/search/", {"q": "Document abuse"})
    for response in (listing, search):
        assert "Document abuse lesson" not in response.text


def test_trainer_loses_officers_lessons_when_the_organisation_loses_officer_access(
    client, trainer, organisation, officers_course
):
    lesson = officers_course.get_children().first()
    client.force_login(trainer)
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200
    organisation.officer_access = False
    organisation.save()
    assert refused(client.get(f"/admin/pages/{lesson.pk}/edit/"))


class TestMedia:
    @pytest.fixture(autouse=True)
    def media_root(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def test_officers_document_is_refused_to_a_trainer_without_officer_access(
        self, client, ngo_trainer
    ):
        document = a_document()
        lesson_using("officers", document=document)
        client.force_login(ngo_trainer)
        assert client.get(doc_url(document)).status_code == 403
        assert client.get(document.file.url).status_code == 404

    def test_officers_document_is_hidden_in_the_cms_from_a_trainer_without_officer_access(
        self, client, ngo_trainer
    ):
        document = a_document(title="Specimen officers guide")
        lesson_using("officers", document=document)
        client.force_login(ngo_trainer)
        assert "Specimen officers guide" not in client.get("/admin/documents/").text
        assert refused(client.get(f"/admin/documents/edit/{document.pk}/"))

    def test_officers_image_is_refused_to_a_trainer_without_officer_access(
        self, client, ngo_trainer
    ):
        image = an_image()
        lesson_using("officers", image=image)
        client.force_login(ngo_trainer)
        assert client.get(image.file.url).status_code == 404
        assert "Boarding gate" not in client.get("/admin/images/").text
        assert refused(client.get(f"/admin/images/{image.pk}/"))

    def test_document_no_page_uses_stays_open_to_every_cms_user(self, client, ngo_trainer):
        document = a_document(title="Unused guide")
        client.force_login(ngo_trainer)
        assert "Unused guide" in client.get("/admin/documents/").text
        assert client.get(document.file.url).status_code == 200


class TestImageViews:
    @pytest.fixture(autouse=True)
    def media_root(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    @pytest.mark.parametrize(
        "url", ["/admin/images/{pk}/generate_url/", "/admin/images/usage/{pk}/"]
    )
    def test_officers_image_views_are_refused_to_a_trainer_without_officer_access(
        self, client, ngo_trainer, url
    ):
        image = an_image()
        lesson_using("officers", image=image)
        client.force_login(ngo_trainer)
        assert refused(client.get(url.format(pk=image.pk)))
