"""Any change to a membership or an organisation makes every cached membership stale."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .models import Membership, Organisation
from .selectors import GENERATION_KEY


def memberships_changed(**kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


for model in (Membership, Organisation):
    post_save.connect(memberships_changed, sender=model, dispatch_uid=f"accounts_{model.__name__}")
    post_delete.connect(
        memberships_changed, sender=model, dispatch_uid=f"accounts_{model.__name__}_deleted"
    )
