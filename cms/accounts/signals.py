"""Any change to a membership or an organisation makes every cached membership stale."""

from django.db.models.signals import post_delete, post_save

from cms import generations

from .models import Membership, Organisation


def memberships_changed(**kwargs) -> None:
    generations.move("accounts")


for model in (Membership, Organisation):
    post_save.connect(memberships_changed, sender=model, dispatch_uid=f"accounts_{model.__name__}")
    post_delete.connect(
        memberships_changed, sender=model, dispatch_uid=f"accounts_{model.__name__}_deleted"
    )
