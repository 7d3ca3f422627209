from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from cms.accounts.selectors import authoring_audiences

from .admin_views import quiz_map, quiz_paths, quiz_preview, quiz_statistics
from .h5p.forms import H5PUploadForm
from .models import H5PPackage, Quiz


def quizzes_open_to(user):
    return Quiz.objects.filter(audience__in=authoring_audiences(user=user))


def audience_checked(view):
    """Refuse every view of one quiz (edit, copy, history, revisions, usage, workflow...) when
    its audience is closed to the user: the CMS shows its correct answers."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        pk = str(kwargs.get("pk", ""))
        if pk:
            if not pk.isdigit() or not Quiz.objects.filter(pk=pk).exists():
                raise Http404
            if not quizzes_open_to(request.user).filter(pk=pk).exists():
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class OpenQuizzesMixin:
    """The chooser (a course's final quiz) lists only the quizzes open to the user."""

    def get_object_list(self):
        return quizzes_open_to(self.request.user)


class QuizChooseView(OpenQuizzesMixin, ChooseView):
    pass


class QuizChooseResultsView(OpenQuizzesMixin, ChooseResultsView):
    pass


class QuizChooserViewSet(SnippetChooserViewSet):
    choose_view_class = QuizChooseView
    choose_results_view_class = QuizChooseResultsView


def quiz_report_buttons(quiz: Quiz) -> list[Button]:
    """The author's views of one quiz beside its form: preview, statistics, and for a
    scenario its map and paths."""
    buttons = [
        Button(_("Preview"), reverse("quiz_preview", args=[quiz.pk]), icon_name="view"),
        Button(_("Statistics"), reverse("quiz_statistics", args=[quiz.pk]), icon_name="table"),
    ]
    if quiz.is_branching:
        buttons += [
            Button(_("Map"), reverse("quiz_map", args=[quiz.pk]), icon_name="site"),
            Button(_("Paths"), reverse("quiz_paths", args=[quiz.pk]), icon_name="redirect"),
        ]
    return buttons


class QuizEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *quiz_report_buttons(self.object)]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    chooser_viewset_class = QuizChooserViewSet
    edit_view_class = QuizEditView
    icon = "help"
    menu_label = _("Scenario quizzes")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "audience", "pass_mark", "live"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return quizzes_open_to(request.user)

    def get_urlpatterns(self):
        return [
            URLPattern(p.pattern, audience_checked(p.callback), p.default_args, p.name)
            for p in super().get_urlpatterns()
        ]


class H5PPackageViewSet(SnippetViewSet):
    model = H5PPackage
    icon = "media"
    menu_label = _("H5P activities")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["title", "main_library", "created_at"]
    search_fields = ["title"]
    form_fields = ["title", "counting"]

    def get_form_class(self, for_update=False):
        """Adding means uploading a package; editing changes only the title and counting."""
        return super().get_form_class(for_update) if for_update else H5PUploadForm


register_snippet(QuizViewSet)
register_snippet(H5PPackageViewSet)


@hooks.register("register_admin_urls")
def statistics_urls():
    return [
        path("quiz-statistics/<id:quiz_id>/", quiz_statistics, name="quiz_statistics"),
        path("quiz-paths/<id:quiz_id>/", quiz_paths, name="quiz_paths"),
        path("quiz-preview/<id:quiz_id>/", quiz_preview, name="quiz_preview"),
        path("quiz-map/<id:quiz_id>/", quiz_map, name="quiz_map"),
    ]


@hooks.register("register_snippet_listing_buttons")
def statistics_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, Quiz)
        and user.has_perm("assessments.change_quiz")
        and snippet.audience in authoring_audiences(user=user)
    ):
        yield from quiz_report_buttons(snippet)
