from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "help"
    menu_label = _("Scenario quizzes")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "audience", "pass_mark", "live"]
    search_fields = ["title"]


register_snippet(QuizViewSet)
