"""What the registry caches, and when that cache is stale.

The API's list of programmes is kept as the JSON body it answers with, under the release, the
registry generation (`cms.generations`), the reader's language, the site's address, who may
see what (`selectors.visibility_class`) and the query. Saving or deleting anything the registry
holds (a programme and its parts, an organisation, an alias, a merge, a revision, a decision)
moves the registry generation, so an edit, a publication, an import or a write through the API
is visible at once; an eviction or a deploy starts from a fresh token or release.
"""

import hashlib
import json

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from cms import generations

TIMEOUT = 3600


def registry_changed(**kwargs) -> None:
    generations.move("registry")


def connect_signals() -> None:
    """Every model of the registry, and the organisations it names, move the generation; an
    API token only says who calls, never what the list holds, and the overlap check's
    summaries only repeat what the records hold (written in bulk, beside them)."""
    quiet = {"ApiToken", "MatchSummary", "MatchKey"}
    models = [m for m in apps.get_app_config("programs").get_models() if m.__name__ not in quiet]
    models.append(apps.get_model("accounts", "Organisation"))
    for model in models:
        uid = f"flightpath_registry_{model._meta.label}"
        post_save.connect(registry_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(registry_changed, sender=model, dispatch_uid=uid + "_deleted")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                registry_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name
            )


def list_key(*, request, language: str, visibility: str, query: dict) -> str:
    """The key of one page of the API list as `visibility` sees it."""
    normalised = json.dumps(query, sort_keys=True, default=str)
    digest = hashlib.md5(normalised.encode(), usedforsecurity=False).hexdigest()  # any text
    where = f"{request.scheme}:{request.get_host()}"
    generation = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('registry')}"
    return f"flightpath:{generation}:registry-list:{language}:{where}:{visibility}:{digest}"


# Bodies are kept in the shared cache only, not in each worker's memory as pages are: a page of
# a hundred records is large, and readers may ask for many different ones.


def get(key: str) -> bytes | None:
    return cache.get(key)


def put(key: str, body: bytes) -> None:
    cache.set(key, body, TIMEOUT)


# Organisations as the create form names them: each name a person types (a funder, by any of
# its aliases) and each reporting organisation's identifier prefix, under the registry
# generation, so that a save of any organisation, alias or merge leaves them behind. Kept in
# the process too (`generations.get_many`): a warm form reads neither the database nor Redis.


def _key(kind: str, value: str) -> str:
    digest = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()  # any text
    return f"flightpath:{generations.current('registry')}:registry-{kind}:{digest}"


def organisation_resolve(*, name: str):
    """`services.organisation_resolve`, kept: the canonical organisation called `name` or known
    by it as an alias, or None."""
    from .models import normalise_name
    from .services import organisation_resolve as resolve

    wanted = normalise_name(name)
    if not wanted:
        return None
    key = _key("organisation", wanted)
    found = generations.get_many([key], TIMEOUT).get(key)
    if found is None:
        found = (resolve(name=name),)  # kept in a tuple: an unknown name is kept as well
        generations.set_many({key: found}, TIMEOUT)
    return found[0]


def identifier_prefix(organisation) -> str:
    """`validation.identifier_prefix`, kept per organisation."""
    from .validation import identifier_prefix as prefix

    if organisation.pk is None:
        return prefix(organisation)
    key = _key("prefix", str(organisation.pk))
    found = generations.get_many([key], TIMEOUT).get(key)
    if found is None:
        found = prefix(organisation)
        generations.set_many({key: found}, TIMEOUT)
    return found
