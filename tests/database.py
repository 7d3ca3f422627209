"""Test databases copied from a template migrated once per set of migrations.

Migrating takes about half a minute, much of a run. The migrated database is kept as a template
named by a digest of every migration file, and each run, and each pytest-xdist worker, starts from
a fresh copy of it: a changed, added or removed migration makes a new template, and a run that
flushed the database (transactional tests do) or was cut short leaves nothing behind.
SQLite files and PostgreSQL are copied this way; other databases are created and migrated as usual.
"""

import fcntl
import hashlib
import os
import re
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.test.utils import setup_databases, teardown_databases


@dataclass
class Copy:
    alias: str
    original_name: str


def migrations_digest() -> str:
    """A digest of every migration on disk, the project's and the installed packages'."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(settings.LANGUAGE_CODE.encode())  # the default Locale's migration
    for key in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[key].__module__]
        digest.update(repr(key).encode())
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def setup(*, rebuild: bool, serialized_aliases: set[str]):
    """Give each test database a fresh copy of its template; returns what `teardown` needs."""
    digest = migrations_digest()
    copies, others = [], []
    for alias in connections:
        if _copied(connections[alias]):
            copies.append(_copy(alias, digest, rebuild=rebuild))
        else:
            others.append(alias)
    old_config = setup_databases(0, interactive=False, aliases=others) if others else []
    for alias in serialized_aliases:
        connection = connections[alias]
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    return copies, old_config


def _copied(connection) -> bool:
    if connection.vendor == "sqlite":
        return not connection.creation.is_in_memory_db(connection.creation._get_test_db_name())
    return connection.vendor == "postgresql"


def teardown(state) -> None:
    copies, old_config = state
    for copy in copies:
        connections[copy.alias].creation.destroy_test_db(copy.original_name, verbosity=0)
    if old_config:
        teardown_databases(old_config, verbosity=0)


def _copy(alias: str, digest: str, *, rebuild: bool) -> Copy:
    connection = connections[alias]
    original_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    with _built(connection, test_name, digest, rebuild=rebuild) as template:
        _clone(connection, template, test_name)
    settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = test_name
    connection.close()
    return Copy(alias=alias, original_name=original_name)


@contextmanager
def _built(connection, test_name: str, digest: str, *, rebuild: bool):
    """The name of the template of `test_name` for these migrations, migrated if it was not
    (or, with `rebuild`, once per run), held locked while the caller copies it."""
    names = Templates(connection, test_name)
    template = names.template(digest)
    with _lock(template) as built_by:
        # With --create-db the first xdist worker rebuilds the template for the whole run.
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
        if (rebuild and built_by.read() != run) or not _exists(connection, template):
            _build(connection, names, template)
            built_by.write(run)
        yield template


class Templates:
    """Names of a test database's templates: one per migrations digest, beside the test database
    that xdist workers share the name of (`test_flightpath_gw0` -> `test_flightpath_<digest>`)."""

    def __init__(self, connection, test_name: str):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        shared = test_name.removesuffix(f"_{worker}") if worker else test_name
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.root, self.ext = os.path.splitext(shared)
        else:
            self.root, self.ext = shared[:48], ""  # PostgreSQL names stop at 63 bytes

    def template(self, tag: str) -> str:
        return f"{self.root}{'-' if self.sqlite else '_'}{tag}{self.ext}"

    def is_template(self, name: str) -> bool:
        pattern = re.escape(self.template("@")).replace("@", "[0-9a-f]{12}")
        return re.fullmatch(pattern, name) is not None


class BuiltBy:
    """The lock file of a template, naming the test run that built it."""

    def __init__(self, handle):
        self.handle = handle

    def read(self) -> str:
        self.handle.seek(0)
        return self.handle.read()

    def write(self, run: str) -> None:
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(run)
        self.handle.flush()


@contextmanager
def _lock(template: str):
    """One process at a time builds or copies a template: xdist workers start together."""
    folder = Path(settings.BASE_DIR) / "var"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{Path(template).name}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield BuiltBy(handle)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exists(connection, name: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(name).is_file()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _build(connection, names: Templates, template: str) -> None:
    """Migrate a new database under a temporary name, then give it the template's name: a build
    cut short is never taken for a template."""
    building = names.template("building")
    worker_test_name = connection.settings_dict["TEST"].get("NAME")
    original_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = building
    if connection.vendor == "sqlite":
        for suffix in ("-wal", "-shm"):  # left by a build cut short, they would be replayed
            Path(f"{building}{suffix}").unlink(missing_ok=True)
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()
        _drop_stale_templates(connection, names)
        _rename(connection, building, template)
    finally:
        connection.settings_dict["TEST"]["NAME"] = worker_test_name
        settings.DATABASES[connection.alias]["NAME"] = original_name
        connection.settings_dict["NAME"] = original_name
        connection.close()


def _drop_stale_templates(connection, names: Templates) -> None:
    """Templates of earlier migrations, so that they do not pile up."""
    if connection.vendor == "sqlite":
        for path in Path(names.root).parent.glob(f"{Path(names.root).name}-*"):
            if names.is_template(str(path)):
                path.unlink()
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{names.root}%"])
        for (name,) in cursor.fetchall():
            if names.is_template(name):
                cursor.execute(f"DROP DATABASE {connection.ops.quote_name(name)}")


def _rename(connection, source: str, target: str) -> None:
    if connection.vendor == "sqlite":
        os.replace(source, target)
        return
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"ALTER DATABASE {quote(source)} RENAME TO {quote(target)}")


def _clone(connection, template: str, test_name: str) -> None:
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{test_name}{suffix}").unlink(missing_ok=True)
        source, target = sqlite3.connect(template), sqlite3.connect(test_name)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
        cursor.execute(f"CREATE DATABASE {quote(test_name)} WITH TEMPLATE {quote(template)}")


def prepare() -> None:
    """Migrate the template of each copied test database that has none for these migrations:
    CI has PostgreSQL's built in the background while the SQLite suite builds its own, each
    on a core of its own (`python -m tests.database`)."""
    digest = migrations_digest()
    for alias in connections:
        connection = connections[alias]
        if _copied(connection):
            with _built(connection, connection.creation._get_test_db_name(), digest, rebuild=False):
                pass


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    django.setup()
    prepare()
