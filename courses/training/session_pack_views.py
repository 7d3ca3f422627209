"""The session pack of a course: a print-friendly page and the same pack as a PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from ..documents.pdf import render_pdf
from .session_packs import course_for_pack, session_pack


@never_cache
@login_required
def session_pack_page(request, course_id):
    course = course_for_pack(request=request, course_id=course_id)
    return render(request, "courses/training/session_pack.html", {"pack": session_pack(course)})


@never_cache
@login_required
def session_pack_pdf(request, course_id):
    course = course_for_pack(request=request, course_id=course_id)
    html = render_to_string(
        "courses/training/session_pack_pdf.html", {"pack": session_pack(course)}, request=request
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    name = slugify(course.slug or course.title) or "course"
    response["Content-Disposition"] = f'inline; filename="session-pack-{name}.pdf"'
    return response
