from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "cms.home"
    label = "home"
    verbose_name = _("Home and standard pages")

    def ready(self):
        from cms import converters

        from . import cache, languages
        from .templatetags import remembered_i18n  # noqa: F401 its system check

        cache.connect_signals()
        converters.register()
        languages.register()
