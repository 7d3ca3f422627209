from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "cms.programs"
    label = "programs"
    verbose_name = "Programme registry"
    default_auto_field = "django.db.models.BigAutoField"
