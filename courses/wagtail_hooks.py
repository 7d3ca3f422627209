from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.home import cache as content_cache
from cms.home.templatetags.flightpath_tags import link
from cms.read_only import ReadOnlyPermissionPolicy
from courses.models.pages import in_source_language

from .certificates.admin import CertificateViewSet
from .media import audiences_using, may_see, media_closed_in_cms, media_open_in_cms, refuse
from .models import (
    Certificate,
    ClassroomSession,
    Cohort,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonCompletion,
    Notification,
    ObservedSession,
    Rubric,
    TrainerCertification,
)
from .permissions import AudiencePagePermissionPolicy, without_closed_pages


@hooks.register("home_page_sections")
def course_catalogue_on_home_page(request):
    return render_to_string("courses/includes/home_catalogue.html", request=request)


@hooks.register("extra_audiences")
def trainers_audience_for_certified_trainers(user) -> set[str]:
    from .training.candidates import certified_trainer_audiences

    return certified_trainer_audiences(user=user)


@hooks.register("quiz_opens_to")
def track_quiz_for_enrolled_candidates(quiz_id, user) -> bool:
    """The final quiz of a trainers' track opens to the trainer candidates enrolled in it."""
    from .training.candidates import opens_through_enrolment

    tracks = CoursePage.objects.live().filter(final_quiz_id=quiz_id, enrolments__user=user)
    return any(opens_through_enrolment(user=user, track=track) for track in tracks)


@hooks.register("site_nav_links", order=-10)
def courses_in_the_menu(request):
    """The catalogue, first in the menu, in the reader's language: its address kept per
    language in the content cache (working it out was a tenth of a light page)."""
    from cms.home import cache as content_cache

    from .selectors import catalogue_page

    def address():
        catalogue = catalogue_page()
        return catalogue.url if catalogue is not None else None

    url = content_cache.remember(f"catalogue-url:{get_language()}", address)
    return [(url, _("Courses"))] if url else []


@hooks.register("site_nav_links")
def training_in_the_menu(request):
    from .training.access import may_open_training

    if may_open_training(user=request.user):
        return [(link("courses:training"), _("Training"))]
    return []


@hooks.register("programme_results")
def programme_results_from_cohorts(programme_ids):
    """The registry's results per programme, counted from the cohorts delivered under it: read
    from the summary kept as learners attend, complete and are certified (`dashboards.results`),
    one query whatever the programmes' size."""
    from .dashboards.results import results

    return results(programme_ids=programme_ids)


@hooks.register("site_nav_links")
def dashboards_in_the_menu(request):
    from .dashboards.selectors import dashboard_scope

    if dashboard_scope(user=request.user) is not None:
        return [(link("courses:dashboards"), _("Dashboards"))]
    return []


@hooks.register("before_serve_document")
def check_document_audience(document, request):
    if not may_see(request.user, audiences_using(document), document):
        return refuse(request)
    return None


@hooks.register("h5p_package_audiences")
def h5p_package_audiences(package) -> set[str]:
    """The audiences of the lessons that use an H5P package, asked for every statement it
    reports: remembered until the content changes (a page published, unpublished or moved)."""
    return content_cache.remember(
        f"h5p-package-audiences:{package.pk}", lambda: audiences_using(package)
    )


class AudienceCollectionPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for documents and images, less those of courses closed to the user."""

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        closed = media_closed_in_cms(user=user, model=self.model)
        return instances.exclude(pk__in=closed) if closed else instances

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(
            user, action, instance
        ) and media_open_in_cms(user=user, obj=instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and media_open_in_cms(user=user, obj=instance)


register_permission_policy(Page, AudiencePagePermissionPolicy(Page))
# Exact classes: they win over Wagtail's own, whichever app happens to register first.
for media_model, auth_model in (
    (get_document_model(), "wagtaildocs.Document"),
    (get_image_model(), "wagtailimages.Image"),
):
    register_permission_policy(
        media_model,
        AudienceCollectionPermissionPolicy(
            media_model, auth_model=auth_model, owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )


@hooks.register("construct_explorer_page_queryset")
@hooks.register("construct_page_chooser_queryset")
def hide_closed_courses(*args):
    """The explorer and the page chooser list no page of a course closed to the user."""
    pages, request = args[-2:]
    return without_closed_pages(pages, user=request.user)


class RecordViewSet(ModelViewSet):
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # no form is ever shown: the policy refuses add and edit
    list_filter = ["course"]
    search_fields = ["user__email", "user__last_name"]


class EnrolmentViewSet(RecordViewSet):
    model = Enrolment
    name = "enrolments"
    url_prefix = "learning/enrolments"
    icon = "user"
    list_display = ["user", "course", "enrolled_at"]


class LessonCompletionViewSet(RecordViewSet):
    model = LessonCompletion
    name = "lesson-completions"
    url_prefix = "learning/lesson-completions"
    icon = "tick"
    list_display = ["user", "lesson", "course", "completed_at"]


class CourseCompletionViewSet(RecordViewSet):
    model = CourseCompletion
    name = "course-completions"
    url_prefix = "learning/course-completions"
    icon = "tick-inverse"
    list_display = ["user", "course", "completed_at"]


class TrainerCertificationViewSet(RecordViewSet):
    """Every row of every certification's history; changes go through the certification rules
    (courses.training.certification), never through a form here."""

    model = TrainerCertification
    name = "trainer-certifications"
    url_prefix = "learning/trainer-certifications"
    icon = "success"
    menu_label = _("Trainer certifications")
    list_display = [
        "user",
        "level",
        "status",
        "valid_from",
        "valid_until",
        "certified_by",
        "organisation",
        "recorded_at",
    ]
    list_filter = ["level", "status", "organisation"]


class NotificationViewSet(RecordViewSet):
    """The e-mail Flightpath sent or is about to send, for support questions ("I never got the
    reminder"); written only by courses.training.notifications."""

    model = Notification
    name = "notifications"
    url_prefix = "learning/notifications"
    icon = "mail"
    menu_label = _("Notifications")
    list_display = ["user", "kind", "created_at", "sent_at"]
    list_filter = ["kind"]


class CohortViewSet(RecordViewSet):
    """Cohorts as their trainers and coordinators keep them on the Training pages."""

    model = Cohort
    name = "cohorts"
    url_prefix = "learning/cohorts"
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "course", "organisation", "trainer", "starts_on", "ends_on"]
    list_filter = ["organisation", "language"]
    search_fields = ["name", "trainer__email"]


class ClassroomSessionViewSet(RecordViewSet):
    model = ClassroomSession
    name = "classroom-sessions"
    url_prefix = "learning/classroom-sessions"
    icon = "date"
    menu_label = _("Classroom sessions")
    list_display = ["cohort", "date", "starts_at", "airport", "country", "venue"]
    list_filter = ["language"]
    search_fields = ["cohort__name", "airport", "venue"]


class RubricViewSet(RecordViewSet):
    """Observation rubrics, each version as it was written; a change is a new version."""

    model = Rubric
    name = "rubrics"
    url_prefix = "learning/rubrics"
    icon = "list-ol"
    menu_label = _("Observation rubrics")
    list_display = ["version", "overall_threshold", "created_at"]
    list_filter = []
    search_fields = None


class ObservedSessionViewSet(RecordViewSet):
    """Observed sessions as their observers rated them; recorded on the training pages."""

    model = ObservedSession
    name = "observed-sessions"
    url_prefix = "learning/observed-sessions"
    icon = "view"
    menu_label = _("Observed sessions")
    list_display = ["candidate", "date", "observer", "course", "rubric", "overall", "passed"]
    list_filter = ["passed", "organisation", "rubric"]
    search_fields = ["candidate__email", "candidate__last_name", "observer__email"]


class LearningRecordsGroup(ViewSetGroup):
    menu_label = _("Learning records")
    menu_icon = "tasks"
    menu_order = 310
    items = (
        EnrolmentViewSet,
        LessonCompletionViewSet,
        CourseCompletionViewSet,
        TrainerCertificationViewSet,
        NotificationViewSet,
        CohortViewSet,
        ClassroomSessionViewSet,
        ObservedSessionViewSet,
        RubricViewSet,
        CertificateViewSet,
    )


for record_model in (
    Enrolment,
    LessonCompletion,
    CourseCompletion,
    TrainerCertification,
    Notification,
    Cohort,
    ClassroomSession,
    ObservedSession,
    Rubric,
    Certificate,
):
    register_permission_policy(record_model, ReadOnlyPermissionPolicy(record_model))


@hooks.register("register_admin_viewset")
def register_learning_records():
    return LearningRecordsGroup()


@hooks.register("quiz_course_url")
def quiz_course_url(quiz, request) -> str | None:
    """The course a quiz ends, for the *Back to the course* link of its result page, in the
    reader's language where the course has been translated."""

    def find():
        course = (
            in_source_language(CoursePage.objects.live())
            .filter(final_quiz_id=quiz.pk)
            .order_by("path")
            .first()
        )
        return course.localized.get_url(request) if course else None

    return content_cache.remember(f"quiz-course:{quiz.pk}:{get_language()}", find)
