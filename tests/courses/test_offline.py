"""A lesson downloads for offline reading, self-contained, for whoever may open it."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from ..factories import make_course

pytestmark = pytest.mark.django_db

SECRET = "Specimen bio-data page substitution technique"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def an_image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "navy").save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Boarding gate", file=ContentFile(buffer.getvalue(), name="gate.png")
    )


def lesson_with(audience, *, image=None, extra=()):
    course = make_course(
        title=f"{audience} course", slug=f"{audience}-course", audience=audience, lessons=1
    )
    lesson = course.get_children().first().specific
    body = [{"type": "paragraph", "value": f'<p>{SECRET}. See <a href="/courses/">more</a>.</p>'}]
    if image:
        value = {"image": image.pk, "alt_text": "A boarding gate", "decorative": False}
        body.append({"type": "image", "value": {"image": value, "caption": "Gate 12"}})
    body.extend(extra)
    lesson.body = json.dumps(body)
    lesson.save_revision().publish()
    return lesson


def url(lesson, kind="html"):
    return f"/lessons/{lesson.pk}/offline.{kind}"


def test_the_lesson_page_offers_the_download(client):
    lesson = lesson_with("public")
    page = client.get(lesson.url).text
    assert f'href="{url(lesson)}"' in page and f'href="{url(lesson, "pdf")}"' in page
    assert "Download for offline reading" in page


def test_the_html_file_is_an_attachment_with_its_images_inside_and_no_script(client):
    lesson = lesson_with("public", image=an_image())
    response = client.get(url(lesson))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="public-course-lesson-1.html"'
    html = response.content.decode()
    assert SECRET in html and lesson.title in html and "public course" in html
    assert 'src="data:image/png;base64,' in html and 'alt="A boarding gate"' in html
    assert "Gate 12" in html
    assert "<script" not in html.lower()
    assert "<style>" in html and 'rel="stylesheet"' not in html
    assert 'href="http://127.0.0.1:8000/courses/"' in html  # back to the site, not the disc
    assert "/media/" not in html and "/images/" not in html


def test_what_needs_the_site_is_named_not_embedded(client):
    embed = {"type": "embed", "value": "https://www.youtube.com/watch?v=abc"}
    question = {
        "type": "check_understanding",
        "value": {
            "question": "Which document is forged?",
            "choices": [
                {"text": "The first", "is_correct": True, "feedback": "Right, the laminate."},
                {"text": "The second", "is_correct": False, "feedback": "No."},
            ],
        },
    }
    lesson = lesson_with("public", extra=[embed, question])
    html = client.get(url(lesson)).content.decode()
    assert "Online only" in html and "https://www.youtube.com/watch?v=abc" in html
    assert "<iframe" not in html
    assert "Which document is forged?" in html and "The second" in html
    assert "the laminate" not in html  # the answer's feedback stays on the site


def test_the_pdf_is_an_attachment(client):
    lesson = lesson_with("public", image=an_image())
    response = client.get(url(lesson, "pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="public-course-lesson-1.pdf"'


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_a_visitor_cannot_download_an_officers_lesson(client, kind):
    lesson = lesson_with("officers")
    response = client.get(url(lesson, kind))
    assert response.status_code == 403
    assert SECRET.encode() not in response.content


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_an_unverified_member_cannot_download_an_officers_lesson(client, newcomer, kind):
    lesson = lesson_with("officers")
    client.force_login(newcomer)
    response = client.get(url(lesson, kind))
    assert response.status_code == 403
    assert SECRET.encode() not in response.content


def test_an_officer_cannot_download_a_trainers_lesson(client, officer):
    lesson = lesson_with("trainers")
    client.force_login(officer)
    assert client.get(url(lesson)).status_code == 403


def test_a_verified_officer_downloads_an_officers_lesson_kept_by_no_cache(client, officer):
    lesson = lesson_with("officers")
    client.force_login(officer)
    response = client.get(url(lesson))
    assert response.status_code == 200 and SECRET in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_an_unpublished_lesson_or_an_unknown_format_is_not_found(client):
    lesson = lesson_with("public")
    assert client.get(url(lesson, "docx")).status_code == 404
    lesson.unpublish()
    assert client.get(url(lesson)).status_code == 404
