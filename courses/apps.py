from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses and learning")

    def ready(self):
        from . import receivers  # noqa: F401
        from .certificates import receivers as certificate_receivers  # noqa: F401
