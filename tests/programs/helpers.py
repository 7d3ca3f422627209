import datetime
import itertools
from decimal import Decimal

from cms.accounts.models import Organisation
from cms.programs import services
from cms.programs.models import WorkflowStatus
from cms.programs.records import CountryShare, Participation, ProgrammeDraft, SectorShare, Text

from ..factories import OrganisationFactory

_numbers = itertools.count(1)


def international(name: str, country: str = "FR") -> Organisation:
    return OrganisationFactory(name=name, country=country, kind=Organisation.Kind.INTERNATIONAL)


def draft(organisation, **overrides) -> ProgrammeDraft:
    """A valid draft: a document-fraud course at Nairobi airport in July 2011."""
    own = overrides.pop("own_id", f"P{next(_numbers)}")
    values = dict(
        identifier=f"FP-{organisation.slug.upper()}-{own}",
        reporting_org=organisation,
        texts=[Text("en", "SLTD training and operation at Nairobi airport", "Training.")],
        planned_start=datetime.date(2011, 7, 11),
        planned_end=datetime.date(2011, 7, 15),
        countries=[CountryShare("KE")],
        airports=["NBO"],
        sectors=[SectorShare("15190")],
        themes=["documents"],
        agencies=["police"],
        modality="classroom",
        participants_planned=40,
        participations=[Participation(organisation, 4)],
        activity_status=4,
        visibility="public",
    )
    values.update(overrides)
    return ProgrammeDraft(**values)


def make_programme(organisation, *, user=None, published=True, **overrides):
    programme = services.programme_create(draft=draft(organisation, **overrides), user=user)
    if published:
        programme.workflow_status = WorkflowStatus.PUBLISHED
        programme.save(update_fields=["workflow_status"])
    return programme


def pct(value) -> Decimal:
    return Decimal(str(value))
