from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.images.utils import verify_signature
from wagtail.images.views.serve import ServeView

from cms.accounts.models import Audience
from cms.accounts.selectors import coordinated_organisation

from . import reports, selectors, services
from .media import audiences_using, may_see, refuse
from .models import CoursePage, LessonPage
from .search import search_pages


@login_required
@require_POST
def enrol(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except PermissionDenied:
        messages.error(request, _("This course is for verified officers of member organisations."))
        return redirect(course.url)
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    entry = selectors.course_entry_for_user(user=request.user, course=course)
    return redirect(entry.next_lesson.url if entry.next_lesson else course.url)


@login_required
@require_POST
def complete_lesson(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    services.lesson_complete(user=request.user, lesson=lesson)
    detail = selectors.lesson_detail_for_user(user=request.user, lesson=lesson)
    if detail["entry"].is_complete:
        messages.success(request, _("Course complete: well done."))
        return redirect(detail["course"].url)
    messages.success(request, _("Lesson marked complete."))
    if detail["next_lesson"]:
        return redirect(detail["next_lesson"].url)
    return redirect(detail["course"].url if detail["course"].final_quiz_id else lesson.url)


@login_required
def my_learning(request):
    return render(
        request, "courses/my_learning.html", {"entries": selectors.my_learning(user=request.user)}
    )


@login_required
def organisation_progress(request, slug):
    organisation = coordinated_organisation(user=request.user, slug=slug)
    if organisation is None:
        raise Http404(_("You do not coordinate this organisation."))
    report = reports.organisation_progress(organisation=organisation)
    return render(
        request, "courses/organisation_progress.html", {"organisation": organisation, **report}
    )


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search_pages(user=request.user, query=query) if query else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"query": query, "page_obj": page})


class ImageServeView(ServeView):
    """Wagtail's image view, for images the visitor may see. A restricted image is kept by no
    cache, the browser's included (a shared computer at the airport), whatever Wagtail's view
    says about caching."""

    def get(self, request, signature, image_id, filter_spec, filename=None):
        # An unsigned URL learns nothing, not even whether the image exists.
        if not verify_signature(signature.encode(), image_id, filter_spec, key=self.key):
            raise PermissionDenied
        image = get_object_or_404(get_image_model(), id=image_id)
        audiences = audiences_using(image)
        if not may_see(request.user, audiences, image):
            return refuse(request)
        response = super().get(request, signature, image_id, filter_spec, filename)
        if Audience.PUBLIC not in audiences:
            response["Cache-Control"] = "private, no-store"
        return response
