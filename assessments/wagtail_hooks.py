from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import quiz_statistics
from .h5p.forms import H5PUploadForm
from .models import H5PPackage, Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "help"
    menu_label = _("Scenario quizzes")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "audience", "pass_mark", "live"]
    search_fields = ["title"]


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
    return [path("quiz-statistics/<id:quiz_id>/", quiz_statistics, name="quiz_statistics")]


@hooks.register("register_snippet_listing_buttons")
def statistics_button(snippet, user, next_url=None):
    if isinstance(snippet, Quiz) and user.has_perm("assessments.change_quiz"):
        yield Button(
            _("Statistics"), reverse("quiz_statistics", args=[snippet.pk]), icon_name="table"
        )
