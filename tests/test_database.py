"""The test databases' templates: one per set of migrations, never confused with a worker's copy."""

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from . import database
from .database import Templates, migrations_digest

SQLITE = SimpleNamespace(vendor="sqlite")
POSTGRESQL = SimpleNamespace(vendor="postgresql")


@pytest.fixture
def worker(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")


def test_a_sqlite_template_sits_beside_the_test_database_the_workers_share(worker):
    names = Templates(SQLITE, "/repo/var/test-db.sqlite3_gw1")
    assert names.template("0123456789ab") == "/repo/var/test-db-0123456789ab.sqlite3"


def test_a_postgresql_template_is_named_after_the_test_database_the_workers_share(worker):
    names = Templates(POSTGRESQL, "test_flightpath_gw1")
    assert names.template("0123456789ab") == "test_flightpath_0123456789ab"


@pytest.mark.parametrize(
    "name", ["test_flightpath_gw0", "test_flightpath_gw1", "test_flightpath_building"]
)
def test_a_worker_database_is_never_taken_for_a_stale_template(worker, name):
    assert not Templates(POSTGRESQL, "test_flightpath_gw1").is_template(name)


def test_a_template_of_other_migrations_is_recognised_as_one(worker):
    assert Templates(SQLITE, "/repo/var/test-db.sqlite3_gw1").is_template(
        "/repo/var/test-db-fedcba987654.sqlite3"
    )


def test_the_migrations_digest_follows_the_migration_files(db, monkeypatch, tmp_path):
    # (`db`: wagtail-localize's first migration asks the database a question as it is
    # imported, which this test may be the first to do.)
    migration = importlib.import_module("assessments.migrations.0001_initial")
    before = migrations_digest()
    assert migrations_digest() == before
    edited = tmp_path / "0001_initial.py"
    edited.write_bytes(Path(migration.__file__).read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(migration, "__file__", str(edited))
    assert migrations_digest() != before


def test_prepare_migrates_a_missing_template_and_leaves_a_present_one(db, monkeypatch):
    built, present = [], set()
    monkeypatch.setattr(database, "_exists", lambda connection, name: name in present)
    monkeypatch.setattr(
        database, "_build", lambda connection, names, template: built.append(template)
    )
    database.prepare()
    digest = migrations_digest()
    assert built and all(template.endswith((digest, f"{digest}.sqlite3")) for template in built)
    present.update(built)
    database.prepare()
    assert len(built) == len(present)
