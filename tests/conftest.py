import os

import pytest
from django.conf import settings
from django.core.cache import cache

from cms.accounts.models import Membership, Organisation

from .factories import MembershipFactory, OrganisationFactory, UserFactory, make_course


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Each run and each xdist worker gets a fresh copy of a database migrated once per set of
    migrations (`--create-db` migrates it again)."""
    from pytest_django.fixtures import _get_databases_for_setup

    from . import database

    _aliases, serialized = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        state = database.setup(
            rebuild=request.config.getvalue("create_db"), serialized_aliases=serialized
        )
    yield
    with django_db_blocker.unblock():
        database.teardown(state)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request the test client made under /ar/
    leaves Arabic active in the thread, and page addresses follow the active language."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from assessments.models import quiz_at_revision

    # Tests roll back, so database ids come round again; in production a revision id is never
    # reused and the per-process copy of a quiz revision needs no clearing.
    quiz_at_revision.cache_clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(country="BJ")


def _member(organisation, role=Membership.Role.LEARNER, status=Membership.Status.VERIFIED):
    return MembershipFactory(organisation=organisation, role=role, status=status).user


@pytest.fixture
def officer(organisation):
    return _member(organisation)


@pytest.fixture
def newcomer(organisation):
    return _member(organisation, status=Membership.Status.REQUESTED)


@pytest.fixture
def coordinator(organisation):
    return _member(organisation, role=Membership.Role.COORDINATOR)


@pytest.fixture
def trainer(organisation):
    """A verified trainer: a Wagtail editor who drafts and submits content for review."""
    from cms.accounts.services import membership_sync_cms_access

    membership = MembershipFactory(organisation=organisation, role=Membership.Role.TRAINER)
    membership_sync_cms_access(membership)
    return membership.user


@pytest.fixture
def ngo(db):
    """An organisation whose members may not open courses for officers."""
    return OrganisationFactory(kind=Organisation.Kind.NGO, officer_access=False)


@pytest.fixture
def ngo_trainer(ngo):
    """A verified trainer of an organisation without officer access: public courses only."""
    from cms.accounts.services import membership_sync_cms_access

    membership = MembershipFactory(organisation=ngo, role=Membership.Role.TRAINER)
    membership_sync_cms_access(membership)
    return membership.user


@pytest.fixture
def other_coordinator(other_organisation):
    return _member(other_organisation, role=Membership.Role.COORDINATOR)


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def public_course(db):
    return make_course(title="Recognising smuggling", slug="recognising", audience="public")


@pytest.fixture
def officers_course(db):
    return make_course(title="Document abuse", slug="documents", audience="officers")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CI", "").lower() == "true":
        return
    for item in items:
        if "browser" in item.keywords and not os.path.exists("/usr/bin/chromium"):
            item.add_marker(
                pytest.mark.skip(reason="Chromium is not installed (make test installs it)")
            )
