"""On SQLite, the search index's FTS5 table stems English words (porter) and folds accents
(remove_diacritics), for every language: the most SQLite's own tokenizers can do. Its rows
are copied from the index entries, so nothing needs re-indexing."""

from django.db import migrations

STEMMED = "tokenize = 'porter unicode61 remove_diacritics 2'"


def _recreate(apps, schema_editor, options: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    fts = f"{table}_fts"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts])
        if cursor.fetchone() is None:  # SQLite built without FTS5: Wagtail searches without it
            return
        cursor.execute(f"DROP TABLE {fts}")
        cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(autocomplete, body, title{options})")
        cursor.execute(
            f"INSERT INTO {fts} (rowid, title, body, autocomplete) "  # noqa: S608 constant names
            f"SELECT id, title, body, autocomplete FROM {table}"
        )


def stem(apps, schema_editor):
    _recreate(apps, schema_editor, f", {STEMMED}")


def unstem(apps, schema_editor):
    _recreate(apps, schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stem, unstem, elidable=False)]
