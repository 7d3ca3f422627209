"""Documents and images are served only to those who may open a live page that uses them."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.views.serve import generate_image_url

from ..factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def a_document(title="Specimen passport guide"):
    document = get_document_model()(title=title)
    document.file.save("guide.pdf", ContentFile(b"%PDF-1.4 specimen"), save=False)
    document.save()
    return document


def an_image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "navy").save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Boarding gate", file=ContentFile(buffer.getvalue(), name="gate.png")
    )


def lesson_using(audience, document=None, image=None):
    course = make_course(
        title=f"{audience} course", slug=f"{audience}-course", audience=audience, lessons=1
    )
    lesson = course.get_children().first().specific
    body = []  # raw StreamField JSON, as the CMS stores it
    if document:
        link = f'<p><a linktype="document" id="{document.pk}">guide</a></p>'
        body.append({"type": "paragraph", "value": link})
    if image:
        value = {"image": image.pk, "alt_text": "A gate", "decorative": False}
        body.append({"type": "image", "value": {"image": value, "caption": ""}})
    lesson.body = json.dumps(body)
    lesson.save_revision().publish()
    return lesson


def doc_url(document):
    return f"/documents/{document.pk}/{document.filename}"


class TestDocuments:
    def test_document_in_officer_lesson_sends_visitor_to_sign_in(self, client):
        document = a_document()
        lesson_using("officers", document=document)
        response = client.get(doc_url(document))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_document_in_officer_lesson_is_refused_to_unverified_member(self, client, newcomer):
        document = a_document()
        lesson_using("officers", document=document)
        client.force_login(newcomer)
        assert client.get(doc_url(document)).status_code == 403

    def test_document_in_officer_lesson_is_served_to_verified_officer(self, client, officer):
        document = a_document()
        lesson_using("officers", document=document)
        client.force_login(officer)
        response = client.get(doc_url(document))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 specimen"

    def test_document_in_public_lesson_is_served_to_anyone(self, client):
        document = a_document()
        lesson_using("public", document=document)
        assert client.get(doc_url(document)).status_code == 200

    def test_document_no_page_uses_is_kept_for_the_cms(self, client, officer):
        document = a_document()
        client.force_login(officer)
        assert client.get(doc_url(document)).status_code == 403


class TestImages:
    def test_lesson_shows_its_image_through_the_checked_view(self, client, officer):
        image = an_image()
        lesson = lesson_using("officers", image=image)
        client.force_login(officer)
        html = client.get(lesson.url).text
        src = generate_image_url(image, "width-800")
        assert f'src="{src}"' in html and 'alt="A gate"' in html
        response = client.get(src)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]

    def test_image_in_officer_lesson_is_refused_to_unverified_member(self, client, newcomer):
        image = an_image()
        lesson_using("officers", image=image)
        client.force_login(newcomer)
        assert client.get(generate_image_url(image, "width-800")).status_code == 403

    def test_restricted_image_is_kept_by_no_cache_and_not_by_the_browser(self, client, officer):
        image = an_image()
        lesson_using("officers", image=image)
        client.force_login(officer)
        response = client.get(generate_image_url(image, "width-800"))
        directives = {d.strip().split("=")[0] for d in response["Cache-Control"].split(",")}
        assert directives == {"private", "no-store"}

    def test_image_in_public_lesson_is_public(self, client):
        image = an_image()
        lesson_using("public", image=image)
        response = client.get(generate_image_url(image, "width-800"))
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]

    def test_uploaded_files_are_not_served_directly_to_learners(self, client, officer):
        image = an_image()
        lesson_using("public", image=image)
        client.force_login(officer)
        assert client.get(image.file.url).status_code == 404

    def test_uploaded_files_are_served_directly_to_cms_users(self, client):
        from cms.accounts.models import User

        image = an_image()
        admin = User.objects.create_superuser(email="editor@example.org", password="x")
        client.force_login(admin)
        assert client.get(image.file.url).status_code == 200


UPLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def assert_served_as_sandboxed_attachment(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    for header, value in UPLOAD_HEADERS.items():
        assert response[header] == value


class TestUploadsCannotRunScriptOnTheSite:
    """A file a trainer uploads must never run as a page of the site's own origin."""

    def test_trainer_cannot_upload_an_html_document_in_the_cms(self, client, trainer):
        client.force_login(trainer)
        upload = ContentFile(b"<script>alert(document.cookie)</script>", name="x.html")
        response = client.post(
            "/admin/documents/add/", {"title": "Guide", "file": upload, "collection": 1}
        )
        assert response.status_code == 200  # the form again, with the refusal
        assert not get_document_model().objects.exists()

    def test_trainer_cannot_upload_an_html_document_with_the_multiple_uploader(
        self, client, trainer
    ):
        client.force_login(trainer)
        upload = ContentFile(b"<script>alert(document.cookie)</script>", name="x.html")
        response = client.post("/admin/documents/multiple/add/", {"files[]": upload})
        assert response.json()["success"] is False
        assert not get_document_model().objects.exists()

    @pytest.mark.parametrize("name", ["x.html", "x.htm", "x.svg", "x.js", "x.xhtml"])
    def test_document_with_a_web_page_or_script_extension_is_refused(self, name):
        document = get_document_model()(title="Guide")
        document.file.save(name, ContentFile(b"<script>alert(1)</script>"), save=False)
        with pytest.raises(ValidationError):
            document.full_clean()

    def test_trainer_can_upload_a_pdf_in_the_cms(self, client, trainer):
        client.force_login(trainer)
        upload = ContentFile(b"%PDF-1.4 specimen", name="guide.pdf")
        client.post("/admin/documents/add/", {"title": "Guide", "file": upload, "collection": 1})
        assert get_document_model().objects.get().filename == "guide.pdf"

    def test_html_file_under_media_is_served_to_cms_users_as_a_sandboxed_attachment(
        self, client, trainer, media_root
    ):
        (media_root / "documents").mkdir()
        (media_root / "documents" / "x.html").write_bytes(b"<script>alert(1)</script>")
        client.force_login(trainer)
        assert_served_as_sandboxed_attachment(client.get("/media/documents/x.html"))

    def test_image_under_media_is_served_to_cms_users_as_a_sandboxed_attachment(self, client):
        from cms.accounts.models import User

        image = an_image()
        client.force_login(User.objects.create_superuser(email="ed@example.org", password="x"))
        assert_served_as_sandboxed_attachment(client.get(image.file.url))

    def test_pdf_document_is_served_as_a_sandboxed_attachment(self, client):
        document = a_document()
        lesson_using("public", document=document)
        assert_served_as_sandboxed_attachment(client.get(doc_url(document)))
