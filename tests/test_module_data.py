"""The data a module's tests share (module_data): each test starts from it as built, it is gone
once the module is done, and a build that fails leaves nothing behind."""

import pytest
from django.db import connection

from cms.accounts.models import Organisation

from . import module_data
from .factories import OrganisationFactory


def test_what_was_made_once_is_rolled_back_when_the_module_is_done(db, django_db_blocker):
    made = module_data.made_once(
        django_db_blocker, lambda: {"agency": OrganisationFactory(slug="made-once")}
    )
    data = next(made)
    assert Organisation.objects.get(slug="made-once") == data["agency"]
    with pytest.raises(StopIteration):
        next(made)
    assert not Organisation.objects.filter(slug="made-once").exists()


def test_a_build_that_fails_leaves_nothing_and_no_transaction_open(db, django_db_blocker):
    def build():
        OrganisationFactory(slug="half-made")
        raise RuntimeError("the build broke")

    depth = len(connection.savepoint_ids)
    with pytest.raises(RuntimeError, match="the build broke"):
        next(module_data.made_once(django_db_blocker, build))
    assert len(connection.savepoint_ids) == depth
    assert not Organisation.objects.filter(slug="half-made").exists()


def build() -> dict:
    return {"agency": OrganisationFactory(slug="shared-agency", name="As built")}


made, world, agency = module_data.fixtures(build, "agency")


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_from_the_data_as_built(agency, world, run):
    """Run twice: whichever runs second (in one process) finds neither the first's change to
    the row nor its change to the object."""
    assert agency is world["agency"]
    assert agency.name == "As built"
    assert Organisation.objects.get(slug="shared-agency").name == "As built"
    agency.name = f"Changed by run {run}"
    agency.save()
