from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from cms.home import cache as content_cache

        from .models import H5PPackage

        # Lessons show H5P packages and statements read them from the content cache: saving
        # or deleting one moves the content generation.
        content_cache.watch(H5PPackage)
