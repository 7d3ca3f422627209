"""Full-text search that stems words in the language they are written in.

On PostgreSQL each page is indexed with the text search configuration of its own language
(its Wagtail locale: `english`, `french`, `spanish`, `arabic`, `russian`), and a query is
read with the reader's, so "smuggled" finds "smuggling" and « passeurs » finds « passeur ».
Wagtail's PostgreSQL backend takes one `SEARCH_CONFIG` for everything; this one chooses it per
page and per request. On SQLite the FTS5 table stems English and folds accents for every
language (migration `home.0002`), the most SQLite's own tokenizers can do; any other database
gets Wagtail's own backend unchanged."""

import contextvars
from itertools import groupby

from django.db import connection
from django.utils.translation import get_language
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend

# PostgreSQL's text search configurations for the site's languages; anything else is `simple`
# (words as written, no stemming).
CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian"}

_indexing_language = contextvars.ContextVar("flightpath_indexing_language", default=None)


def config_for(language: str | None) -> str:
    return CONFIGS.get((language or "").split("-")[0].lower(), "simple")


def SearchBackend(params):  # noqa: N802 the name Wagtail looks for in a backend module
    if connection.vendor == "postgresql":
        return _postgres_backend()(params)
    return DatabaseSearchBackend(params)


def _postgres_backend():
    from modelsearch.backends.database.postgres.postgres import (
        PostgresIndex,
        PostgresSearchBackend,
    )

    class LanguageIndex(PostgresIndex):
        """Indexes each object with the configuration of its language."""

        def add_items(self, model, objs):
            languages = _locale_languages()
            by_language = sorted(objs, key=lambda obj: _language_of(obj, languages))
            for language, group in groupby(by_language, key=lambda o: _language_of(o, languages)):
                token = _indexing_language.set(language)
                try:
                    super().add_items(model, list(group))
                finally:
                    _indexing_language.reset(token)

    class LanguagePostgresSearchBackend(PostgresSearchBackend):
        index_class = LanguageIndex

        @property
        def config(self):
            return config_for(_indexing_language.get() or get_language())

        @config.setter
        def config(self, value):
            """Wagtail sets SEARCH_CONFIG here; the language decides instead."""

    return LanguagePostgresSearchBackend


def _locale_languages() -> dict:
    from wagtail.models import Locale

    return dict(Locale.objects.values_list("pk", "language_code"))


def _language_of(obj, languages: dict) -> str:
    return languages.get(getattr(obj, "locale_id", None)) or ""
