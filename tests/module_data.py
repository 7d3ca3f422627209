"""Data made once for all the tests of a module, as Django's `TestCase.setUpTestData` makes it.

The dashboards' tests each read the same population (organisations, courses, cohorts,
learners, attempts), which takes a second or two to make through the services, and more on
PostgreSQL: made for each of a hundred tests, it was most of the suite's time; the demo site's
tests read the whole demo, which takes half a minute to load. A module builds its data once
instead, in a transaction left open while the module's tests run:

    made, world, organisation = module_data.fixtures(build, "organisation")

`build()` returns a dict; `world` is a copy of it for each test and `organisation` its
"organisation", overriding the fixture of that name for the module (the `coordinator` fixture,
made from `organisation`, then belongs to the world's).

Each test runs in a savepoint inside that transaction (pytest-django's `db`) and is given a deep
copy of the objects, so what one test changes, in the database or on an object, is gone for the
next. The transaction is rolled back when the module's tests are done. A module that does this
may hold no `transactional_db` or `live_server` test: those commit and flush.
"""

import copy
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.db import transaction

Made = TypeVar("Made")


def made_once(django_db_blocker, build: Callable[[], Made]) -> Iterator[Made]:
    """`build()`'s data, made in a transaction that is rolled back once the caller resumes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fixtures(build: Callable[[], dict], *keys: str) -> tuple:
    """The module's fixtures: `made` (`build()`'s data, made once), `world` (a deep copy for
    each test) and one fixture per key of `keys`, that key of the world's copy."""

    @pytest.fixture(scope="module", name="made")
    def made(django_db_setup, django_db_blocker):
        yield from made_once(django_db_blocker, build)

    @pytest.fixture(name="world")
    def world(made, db):
        return copy.deepcopy(made)

    def part(key: str):
        @pytest.fixture(name=key)
        def fixture(world):
            return world[key]

        return fixture

    return made, world, *(part(key) for key in keys)
