"""The registry's seed: six real programmes from the source documents, then invented records,
marked as demo, that show the overlap check at work across English, French, Arabic and Russian.

Real records state only what the INTERPOL fact sheet on people smuggling and UNODC's issue paper
on smuggling of migrants by air say; where a source gives a month and no days, the record spans
the month and says so. Loading twice changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cms.accounts.models import Organisation, User

from . import cache, services
from .models import Programme, ProgrammeCoordinator
from .records import CountryShare, Participation, ProgrammeDraft, SectorShare, Text

FUNDING, IMPLEMENTING = 1, 4
D = datetime.date

ORGANISATIONS = {
    # slug: name, country, aliases (name, language)
    "unodc": (
        "UNODC",
        "AT",
        [
            ("United Nations Office on Drugs and Crime", "en"),
            ("ONUDC", "fr"),
            ("УНП ООН", "ru"),
            ("مكتب الأمم المتحدة المعني بالمخدرات والجريمة", "ar"),
        ],
    ),
    "interpol": (
        "INTERPOL",
        "FR",
        [("OIPC-INTERPOL", "fr"), ("Интерпол", "ru"), ("الإنتربول", "ar")],
    ),
    "frontex": ("Frontex", "PL", [("Фронтекс", "ru")]),
    "demo-fonds-cooperation": ("Fonds de coopération sécuritaire (démo)", "FR", []),
    "demo-arab-training-centre": (
        "مركز التدريب الإقليمي (تجريبي)",
        "EG",
        [("Regional Training Centre (demo)", "en")],
    ),
    "demo-border-academy": (
        "Академия пограничной службы (демо)",
        "RU",
        [("Border Service Academy (demo)", "en")],
    ),
    "demo-benin-border-school": ("Benin Border Police School (demo)", "BJ", []),
}

REAL = [
    dict(
        org="unodc",
        own_id="EGM-AIR-2009",
        texts=[
            Text(
                "en",
                "Expert Group Meeting on smuggling of migrants by air",
                "UNODC convened an Expert Group Meeting in Vienna on 7 to 9 December 2009 to "
                "increase understanding of migrant smuggling by air and to better prevent and "
                "combat it. Its discussions are the basis of UNODC's issue paper on smuggling of "
                "migrants by air.",
            )
        ],
        actual_start=D(2009, 12, 7),
        actual_end=D(2009, 12, 9),
        countries=[CountryShare("AT")],
        modality="meeting",
        themes=["indicators"],
    ),
    dict(
        org="interpol",
        own_id="STOP-ALG-2012",
        texts=[
            Text(
                "en",
                "STOP training and operation, Algiers airport",
                "In April 2012 (the source gives no days), 80 participants including police, "
                "border control, Gendarmerie and customs learned to use INTERPOL's SLTD database "
                "and other techniques for detecting fraudulent documents, followed by an "
                "operation at the Algiers airport.",
            )
        ],
        actual_start=D(2012, 4, 1),
        actual_end=D(2012, 4, 30),
        airports=["ALG"],
        countries=[CountryShare("DZ")],
        agencies=["police", "border_police", "gendarmerie", "customs"],
        participants_actual=80,
        modality="operation",
    ),
    dict(
        org="interpol",
        own_id="HAMMER-2011",
        texts=[
            Text(
                "en",
                "Operation Hammer, Rome Fiumicino and Milan Malpensa airports",
                "Conducted with Frontex: border police at the international airports of Rome "
                "Fiumicino and Milan Malpensa checked 8,000 travel documents from 2 to 5 "
                "November 2011, resulting in three positive matches.",
            )
        ],
        actual_start=D(2011, 11, 2),
        actual_end=D(2011, 11, 5),
        airports=["FCO", "MXP"],
        countries=[CountryShare("IT")],
        agencies=["border_police"],
        modality="operation",
        partners=[("frontex", IMPLEMENTING)],
    ),
    dict(
        org="interpol",
        own_id="STOP-NBO-2011",
        texts=[
            Text(
                "en",
                "SLTD training and operation, Nairobi airport",
                "Some 40 police officers received training in the use of INTERPOL's SLTD "
                "database, standard operational policy and procedures and techniques for "
                "passport verification. The operation took place at Nairobi airport in July "
                "2011 (the source gives no days).",
            )
        ],
        actual_start=D(2011, 7, 1),
        actual_end=D(2011, 7, 31),
        airports=["NBO"],
        countries=[CountryShare("KE")],
        agencies=["police"],
        participants_actual=40,
        modality="operation",
    ),
    dict(
        org="interpol",
        own_id="STOP-COO-2011",
        texts=[
            Text(
                "en",
                "Training and operation, Cotonou international airport",
                "Two days of training for 36 officers from Benin's Immigration Police, Customs "
                "and Gendarmerie preceded an operation at the international airport in "
                "Cotonou, from 31 May to 3 June 2011.",
            )
        ],
        actual_start=D(2011, 5, 31),
        actual_end=D(2011, 6, 3),
        airports=["COO"],
        countries=[CountryShare("BJ")],
        agencies=["immigration", "customs", "gendarmerie"],
        participants_actual=36,
        modality="operation",
    ),
    dict(
        org="interpol",
        own_id="SEA-CBP-2012-1",
        texts=[
            Text(
                "en",
                "Capacity Building Programme on the Prevention of Migrant Smuggling and Illegal "
                "Migration in Southeast Asia, first session",
                "Held in Kuala Lumpur, Malaysia in March 2012 (the source gives no days). More "
                "than 20 participants from seven countries in the region discussed national and "
                "regional trends, the I-24/7 communications system, migrant smuggling "
                "investigations and the link between human trafficking and migrant smuggling. "
                "A train-the-trainer module lets participants relay what they learnt to "
                "colleagues at home.",
            )
        ],
        actual_start=D(2012, 3, 1),
        actual_end=D(2012, 3, 31),
        countries=[CountryShare("MY")],
        themes=["indicators", "trainers"],
        modality="classroom",
    ),
]

DEMO = [
    # The Cotonou training again, reported in French by a funder: the same programme.
    dict(
        org="demo-fonds-cooperation",
        own_id="COO-2011",
        texts=[
            Text(
                "fr",
                "Formation à la détection de la fraude documentaire, aéroport de Cotonou (démo)",
                "Enregistrement fictif : le financement d'une formation de 36 agents de la "
                "police de l'immigration, des douanes et de la gendarmerie, mise en œuvre par "
                "OIPC-INTERPOL.",
            )
        ],
        actual_start=D(2011, 5, 31),
        actual_end=D(2011, 6, 3),
        airports=["COO"],
        countries=[CountryShare("BJ")],
        agencies=["immigration", "customs", "gendarmerie"],
        participants_actual=36,
        modality="classroom",
        partners=[("interpol", IMPLEMENTING)],
        reporter_role=FUNDING,
    ),
    # The Algiers training, reported in Arabic by a training centre: the same programme.
    dict(
        org="demo-arab-training-centre",
        own_id="ALG-2012",
        texts=[
            Text(
                "ar",
                "تدريب على قاعدة بيانات وثائق السفر المسروقة والمفقودة في مطار الجزائر (تجريبي)",
                "سجل تجريبي: تدريب 80 مشاركاً من الشرطة ومراقبة الحدود والدرك والجمارك.",
            )
        ],
        actual_start=D(2012, 4, 1),
        actual_end=D(2012, 4, 30),
        airports=["ALG"],
        countries=[CountryShare("DZ")],
        agencies=["police", "border_police", "gendarmerie", "customs"],
        participants_actual=80,
        modality="classroom",
    ),
    # Another effort at Nairobi a month after INTERPOL's: overlapping, not the same.
    dict(
        org="demo-border-academy",
        own_id="NBO-2011-08",
        texts=[
            Text(
                "ru",
                "Семинар по выявлению поддельных паспортов, аэропорт Найроби (демо)",
                "Вымышленная запись: семинар для сотрудников полиции аэропорта.",
            )
        ],
        planned_start=D(2011, 8, 22),
        planned_end=D(2011, 8, 26),
        airports=["NBO"],
        countries=[CountryShare("KE")],
        agencies=["police"],
        participants_planned=25,
        modality="classroom",
        visibility="partners",
    ),
    # Cotonou a year later: a recurring course, which the registry does not raise.
    dict(
        org="demo-benin-border-school",
        own_id="COO-2012",
        texts=[
            Text(
                "en",
                "Document fraud refresher, Cotonou airport (demo)",
                "An invented record: the Cotonou course run again a year later.",
            )
        ],
        planned_start=D(2012, 6, 4),
        planned_end=D(2012, 6, 6),
        airports=["COO"],
        countries=[CountryShare("BJ")],
        agencies=["immigration", "customs", "gendarmerie"],
        participants_planned=36,
        modality="classroom",
    ),
]


def organisations() -> dict[str, Organisation]:
    found = {}
    for slug, (name, country, aliases) in ORGANISATIONS.items():
        found[slug], _created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country": country,
                "kind": Organisation.Kind.INTERNATIONAL,
                "officer_access": False,
            },
        )
        for alias, language in aliases:
            services.alias_add(organisation=found[slug], name=alias, language=language)
    return found


def _draft(spec: dict, orgs: dict) -> ProgrammeDraft:
    spec = dict(spec)
    reporter = orgs[spec.pop("org")]
    own_id = spec.pop("own_id")
    partners = spec.pop("partners", [])
    role = spec.pop("reporter_role", IMPLEMENTING)
    return ProgrammeDraft(
        identifier=f"FP-{reporter.slug.upper()}-{own_id}",
        reporting_org=reporter,
        default_language=spec["texts"][0].language,
        activity_status=4,
        sectors=[SectorShare("15190")],
        themes=spec.pop("themes", ["documents"]),
        participations=[Participation(reporter, role)]
        + [Participation(orgs[slug], r) for slug, r in partners],
        visibility=spec.pop("visibility", "public"),
        **spec,
    )


@transaction.atomic
def load() -> int:
    """Seed the registry; returns how many records were created."""
    services.moderators_group()
    orgs = organisations()
    created = 0
    for specs, is_demo in ((REAL, False), (DEMO, True)):
        for spec in specs:
            draft = _draft(spec, orgs)
            if Programme.objects.filter(identifier=draft.identifier).exists():
                continue
            programme = services.programme_create(draft=draft, user=None, is_demo=is_demo)
            Programme.objects.filter(pk=programme.pk).update(
                workflow_status="published", published_at=timezone.now()
            )
            cache.registry_changed()  # an update() sends no signal
            created += 1
    return created


# The demo's programme coordinator: an INTERPOL programme officer who follows the Nairobi
# programme, which the demo's Nairobi cohorts are delivered under.
PROGRAMME_COORDINATOR = ("programme@example.org", "Pilar", "Programme")
COORDINATED = "FP-INTERPOL-STOP-NBO-2011"


def programme_coordinator(password: str) -> bool:
    """Make the demo programme coordinator, once the seed is loaded. Returns whether made."""
    from allauth.account.models import EmailAddress

    email, first, last = PROGRAMME_COORDINATOR
    programme = Programme.objects.filter(identifier=COORDINATED).first()
    if programme is None or User.objects.filter(email=email).exists():
        return False
    user = User.objects.create_user(
        email=email, password=password, first_name=first, last_name=last
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ProgrammeCoordinator.objects.create(user=user, programme=programme)
    return True
