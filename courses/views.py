from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.images import get_image_model
from wagtail.images.utils import verify_signature
from wagtail.images.views.serve import ServeView

from cms.accounts.models import Audience
from cms.accounts.selectors import coordinated_organisation

from . import offline, reports, selectors, services
from .certificates.selectors import certificates_for_holder
from .locks import course_lock
from .media import audiences_using, may_see, refuse
from .models import CoursePage, LessonPage
from .search import catalogue as search_catalogue
from .search import search_pages, search_results, search_words
from .training.cohort_selectors import learner_cohorts


@login_required
@require_POST
def enrol(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except PermissionDenied:
        refusal = (
            course.refused_message()
            if course.audience == Audience.TRAINERS
            else _("This course is for verified officers of member organisations.")
        )
        messages.error(request, refusal)
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
    course = detail["course"]  # a track's page says what is left across the track
    return redirect(course.url if course.final_quiz_id or course.is_track else lesson.url)


@require_GET
def lesson_offline(request, lesson_id, kind):
    """The lesson as a file to keep (`kind`: html or pdf), for whoever may open the lesson;
    anyone else gets the page that says why not."""
    if kind not in ("html", "pdf"):
        raise Http404
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    lock = course_lock(user=request.user, course=lesson.course)
    if lock is not None:
        return lesson.serve_locked(request, lock)
    if not all(r.accept_request(request) for r in lesson.get_view_restrictions()):
        raise PermissionDenied
    if kind == "pdf":
        response = HttpResponse(offline.lesson_pdf(lesson), content_type="application/pdf")
    else:
        response = HttpResponse(
            offline.lesson_html(lesson), content_type="text/html; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{offline.filename(lesson, kind)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # enforced below for signed-in readers; a signed-out reader's check writes nothing
@require_POST
def check_answer(request, lesson_id):
    """Check an answer to a lesson's "check your understanding" question, and keep it for a
    signed-in learner. JSON for the lesson page's script (Accept: application/json); a small
    page of its own for a browser without it. Every refusal is a 4xx that writes nothing."""
    wants_json = "application/json" in request.headers.get("Accept", "")

    def refuse(message: str, status: int, lesson=None):
        if wants_json:
            return JsonResponse({"error": message}, status=status)
        context = {"message": message, "lesson": lesson}
        return render(request, "courses/check_refused.html", context, status=status)

    if request.user.is_authenticated and _csrf_refused(request):
        return refuse(_("Your session has changed. Reload the lesson and try again."), 403)
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return refuse(_("This lesson is not published."), 404)
    if not lesson.course.is_open_to(request.user) or not _passes_restrictions(lesson, request):
        return refuse(_("This lesson is not open to you."), 403)
    block_id = request.POST.get("block", "")[:64]
    key = request.POST.get(f"choice-{block_id}", "")[:64]
    try:
        result = services.check_answer(user=request.user, lesson=lesson, block_id=block_id, key=key)
    except services.CheckRefused as refusal:
        return refuse(str(refusal), refusal.status, lesson)
    verdict = _("Right.") if result.is_correct else _("Not quite.")
    if wants_json:
        answers = selectors.check_answers(user=request.user, lesson=lesson)
        total = len(selectors.check_questions(lesson))
        return JsonResponse(
            {
                "correct": result.is_correct,
                "verdict": verdict,
                "feedback": result.feedback,
                "recorded": result.recorded,
                "summary": check_summary(len(answers), total) if result.recorded else "",
            }
        )
    return render(request, "courses/check_result.html", {"result": result, "verdict": verdict})


def check_summary(answered: int, total: int) -> str:
    return ngettext(
        "You answered %(answered)s of %(total)s question in this lesson.",
        "You answered %(answered)s of %(total)s questions in this lesson.",
        total,
    ) % {"answered": answered, "total": total}


def _csrf_refused(request) -> bool:
    """Django's CSRF check, run by hand for the readers it protects."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is not None


def _passes_restrictions(page, request) -> bool:
    """Wagtail's privacy settings on the page (a password, sign-in or groups), as `serve` has."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


@login_required
def my_learning(request):
    context = {
        "entries": selectors.my_learning(user=request.user),
        "cohorts": learner_cohorts(user=request.user),
        "certificates": certificates_for_holder(user=request.user),
    }
    return render(request, "courses/my_learning.html", context)


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
    found = search_pages(user=request.user, query=query) if query else []
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    words = search_words(query)
    context = {
        "query": query,
        "page_obj": page,
        "results": search_results(user=request.user, pages=page, query=query),
        "fewer_words": max(words, key=len) if len(words) > 1 else "",
        "catalogue": None if page.paginator.count else search_catalogue(),
    }
    return render(request, "courses/search.html", context)


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
