import pytest
from django.core.exceptions import ValidationError

from cms.accounts.models import Organisation
from cms.programs import services
from cms.programs.models import OrganisationMerge, ParticipatingOrganisation
from cms.programs.records import Participation

from ..factories import MembershipFactory
from .helpers import international, make_programme

pytestmark = pytest.mark.django_db


def test_an_alias_cannot_stand_for_two_organisations():
    unodc, other = international("UNODC"), international("Other")
    services.alias_add(organisation=unodc, name="ONUDC", language="fr")
    with pytest.raises(ValidationError) as error:
        services.alias_add(organisation=other, name="onudc")
    assert error.value.message_dict["name"] == [
        "Alias: “onudc” already stands for another organisation."
    ]


def test_a_merge_moves_every_reference_and_is_recorded(stranger):
    unodc = international("UNODC")
    copy = international("ONUDC (copie)")
    services.alias_add(organisation=copy, name="УНП ООН", language="ru")
    reported = make_programme(copy)
    funded = make_programme(unodc, participations=[Participation(unodc, 4), Participation(copy, 1)])
    both_roles = make_programme(
        unodc, participations=[Participation(unodc, 1), Participation(copy, 1)]
    )

    record = services.organisation_merge(keep=unodc, merge=copy, user=stranger)

    assert not Organisation.objects.filter(pk=copy.pk).exists()
    reported.refresh_from_db()
    assert reported.reporting_org == unodc
    assert (
        ParticipatingOrganisation.objects.filter(programme=funded, organisation=unodc).count() == 2
    )
    assert ParticipatingOrganisation.objects.filter(programme=both_roles).count() == 1
    assert services.organisation_resolve(name="УНП ООН") == unodc
    assert services.organisation_resolve(name="ONUDC (copie)") == unodc
    record = OrganisationMerge.objects.get(pk=record.pk)
    assert (record.kept, record.merged_name, record.merged_by) == (unodc, "ONUDC (copie)", stranger)
    assert record.moved["programmes"] == 1 and record.moved["participations"] == 2


def test_an_organisation_with_members_is_not_merged(stranger):
    unodc = international("UNODC")
    copy = international("UNODC Vienna")
    MembershipFactory(organisation=copy)
    with pytest.raises(ValidationError) as error:
        services.organisation_merge(keep=unodc, merge=copy, user=stranger)
    assert "outside the registry" in error.value.message_dict["merge"][0]
    assert Organisation.objects.filter(pk=copy.pk).exists()
    assert not OrganisationMerge.objects.exists()


def test_every_change_is_kept_as_a_revision(coordinator, organisation):
    from .helpers import draft

    programme = make_programme(organisation, published=False)
    changed = draft(organisation, identifier=programme.identifier, participants_planned=41)
    services.programme_update(programme=programme, draft=changed, user=coordinator)
    first, second = programme.revisions.order_by("number")
    assert first.snapshot["participants_planned"] == 40
    assert second.snapshot["participants_planned"] == 41
    assert second.created_by == coordinator
    assert second.snapshot["reporting_org"] == {"id": organisation.pk, "name": organisation.name}


def test_an_unknown_participating_organisation_becomes_a_canonical_one(organisation):
    newcomer = Organisation(name="Fonds de démonstration")
    programme = make_programme(
        organisation, participations=[Participation(organisation, 4), Participation(newcomer, 1)]
    )
    created = services.organisation_resolve(name="fonds de démonstration")
    assert created is not None and created.country == organisation.country
    assert programme.participations.filter(organisation=created, role=1).exists()


def test_the_merge_command_names_who_merged(stranger):
    from django.core.management import call_command

    keep, merge = international("UNODC"), international("U.N.O.D.C.")
    call_command("merge_organisations", keep.slug, merge.slug, "--by", stranger.email)
    assert OrganisationMerge.objects.get().merged_by == stranger


def test_the_merge_command_refuses_an_organisation_with_members(stranger):
    from django.core.management import CommandError, call_command

    keep, merge = international("UNODC"), international("UNODC Vienna")
    MembershipFactory(organisation=merge)
    with pytest.raises(CommandError, match="outside the registry"):
        call_command("merge_organisations", keep.slug, merge.slug, "--by", stranger.email)


def test_an_alias_saved_in_the_cms_is_normalised():
    from cms.programs.models import OrganisationAlias

    alias = OrganisationAlias.objects.create(organisation=international("UNODC"), name=" ONUDC ")
    assert alias.normalised == "onudc"
