from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_quiz_translatable_bootstrap"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [BootstrapTranslatableModel("assessments.Quiz")]
