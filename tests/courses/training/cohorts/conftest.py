"""Fixtures for cohorts: an organisation with a certified trainer, a coordinator and learners,
a course, and a cohort running from ten days ago to a month from now."""

import pytest

from ....factories import make_course
from .helpers import certify, make_cohort, member


@pytest.fixture
def certified_trainer(trainer):
    return certify(trainer)


@pytest.fixture
def course(db):
    return make_course(title="Document abuse", slug="documents", audience="officers", lessons=3)


@pytest.fixture
def learners(organisation):
    return [member(organisation) for _ in range(3)]


@pytest.fixture
def cohort(organisation, certified_trainer, course, learners):
    return make_cohort(organisation, certified_trainer, course, learners=learners)
