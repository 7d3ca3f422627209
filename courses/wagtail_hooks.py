from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .media import audiences_using, may_see, refuse
from .models import CourseCompletion, Enrolment, LessonCompletion


@hooks.register("home_page_sections")
def course_catalogue_on_home_page(request):
    return render_to_string("courses/includes/home_catalogue.html", request=request)


@hooks.register("before_serve_document")
def check_document_audience(document, request):
    if not may_see(request.user, audiences_using(document)):
        return refuse(request)
    return None


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Learning records are written by learners' actions, never edited by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


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


class LearningRecordsGroup(ViewSetGroup):
    menu_label = _("Learning records")
    menu_icon = "tasks"
    menu_order = 310
    items = (EnrolmentViewSet, LessonCompletionViewSet, CourseCompletionViewSet)


for record_model in (Enrolment, LessonCompletion, CourseCompletion):
    register_permission_policy(record_model, ReadOnlyPermissionPolicy(record_model))


@hooks.register("register_admin_viewset")
def register_learning_records():
    return LearningRecordsGroup()
