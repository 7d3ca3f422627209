from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _moderators_group(**kwargs):
    from .services import moderators_group

    moderators_group()


class ProgramsConfig(AppConfig):
    name = "cms.programs"
    label = "programs"
    verbose_name = "Programme registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import cache

        post_migrate.connect(_moderators_group, sender=self)
        cache.connect_signals()
