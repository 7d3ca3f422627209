"""The programme registry at scale for `make bench`: generated programmes in English, French,
Spanish, Arabic and Russian, spread over 2005–2027, sixty airports in forty-odd countries and
thirty organisations known by aliases in several languages, written with bulk inserts.

Grown in two steps, so that the overlap check and the API list can be counted at 2,000 and at
20,000 programmes: `grow(2000)`, then `grow(20000)`. The requests the bench sends are another
organisation's report of a generated programme, in another language, under another title: the
overlap check finds it (and the other training at the same place and time) and the form shows
the matches, saving nothing.
"""

import datetime
import random
import time
import uuid
from urllib.parse import urlencode

BATCH = 5000
PREFIX = "FP-BENCH-REG"
ORG_SLUG = "bench-registry"

# IATA code, country, city as titles name it per language (en, fr, es, ar, ru).
AIRPORTS = [
    ("NBO", "KE", "Nairobi", "Nairobi", "Nairobi", "نيروبي", "Найроби"),
    ("MBA", "KE", "Mombasa", "Mombasa", "Mombasa", "مومباسا", "Момбаса"),
    ("ADD", "ET", "Addis Ababa", "Addis-Abeba", "Adís Abeba", "أديس أبابا", "Аддис-Абеба"),
    ("COO", "BJ", "Cotonou", "Cotonou", "Cotonú", "كوتونو", "Котону"),
    ("LOS", "NG", "Lagos", "Lagos", "Lagos", "لاغوس", "Лагос"),
    ("ABV", "NG", "Abuja", "Abuja", "Abuya", "أبوجا", "Абуджа"),
    ("ACC", "GH", "Accra", "Accra", "Acra", "أكرا", "Аккра"),
    ("DSS", "SN", "Dakar", "Dakar", "Dakar", "داكار", "Дакар"),
    ("ABJ", "CI", "Abidjan", "Abidjan", "Abiyán", "أبيدجان", "Абиджан"),
    ("CMN", "MA", "Casablanca", "Casablanca", "Casablanca", "الدار البيضاء", "Касабланка"),
    ("ALG", "DZ", "Algiers", "Alger", "Argel", "الجزائر", "Алжир"),
    ("TUN", "TN", "Tunis", "Tunis", "Túnez", "تونس", "Тунис"),
    ("CAI", "EG", "Cairo", "Le Caire", "El Cairo", "القاهرة", "Каир"),
    ("AMM", "JO", "Amman", "Amman", "Amán", "عمّان", "Амман"),
    ("BEY", "LB", "Beirut", "Beyrouth", "Beirut", "بيروت", "Бейрут"),
    ("DXB", "AE", "Dubai", "Dubaï", "Dubái", "دبي", "Дубай"),
    ("DOH", "QA", "Doha", "Doha", "Doha", "الدوحة", "Доха"),
    ("IST", "TR", "Istanbul", "Istanbul", "Estambul", "إسطنبول", "Стамбул"),
    ("TBS", "GE", "Tbilisi", "Tbilissi", "Tiflis", "تبليسي", "Тбилиси"),
    ("EVN", "AM", "Yerevan", "Erevan", "Ereván", "يريفان", "Ереван"),
    ("GYD", "AZ", "Baku", "Bakou", "Bakú", "باكو", "Баку"),
    ("ALA", "KZ", "Almaty", "Almaty", "Almaty", "ألماتي", "Алматы"),
    ("TAS", "UZ", "Tashkent", "Tachkent", "Taskent", "طشقند", "Ташкент"),
    ("FRU", "KG", "Bishkek", "Bichkek", "Biskek", "بيشكك", "Бишкек"),
    ("SVO", "RU", "Moscow", "Moscou", "Moscú", "موسكو", "Москва"),
    ("KBP", "UA", "Kyiv", "Kyiv", "Kiev", "كييف", "Киев"),
    ("KIV", "MD", "Chisinau", "Chisinau", "Chisináu", "كيشيناو", "Кишинёв"),
    ("FCO", "IT", "Rome", "Rome", "Roma", "روما", "Рим"),
    ("MXP", "IT", "Milan", "Milan", "Milán", "ميلانو", "Милан"),
    ("MAD", "ES", "Madrid", "Madrid", "Madrid", "مدريد", "Мадрид"),
    ("BCN", "ES", "Barcelona", "Barcelone", "Barcelona", "برشلونة", "Барселона"),
    ("CDG", "FR", "Paris", "Paris", "París", "باريس", "Париж"),
    ("AMS", "NL", "Amsterdam", "Amsterdam", "Ámsterdam", "أمستردام", "Амстердам"),
    ("FRA", "DE", "Frankfurt", "Francfort", "Fráncfort", "فرانكفورت", "Франкфурт"),
    ("VIE", "AT", "Vienna", "Vienne", "Viena", "فيينا", "Вена"),
    ("ATH", "GR", "Athens", "Athènes", "Atenas", "أثينا", "Афины"),
    ("LHR", "GB", "London", "Londres", "Londres", "لندن", "Лондон"),
    ("BOG", "CO", "Bogota", "Bogota", "Bogotá", "بوغوتا", "Богота"),
    ("MEX", "MX", "Mexico City", "Mexico", "Ciudad de México", "مكسيكو", "Мехико"),
    ("PTY", "PA", "Panama City", "Panama", "Ciudad de Panamá", "بنما", "Панама"),
    ("GRU", "BR", "Sao Paulo", "São Paulo", "São Paulo", "ساو باولو", "Сан-Паулу"),
    ("LIM", "PE", "Lima", "Lima", "Lima", "ليما", "Лима"),
    ("UIO", "EC", "Quito", "Quito", "Quito", "كيتو", "Кито"),
    ("SAL", "SV", "San Salvador", "San Salvador", "San Salvador", "سان سلفادور", "Сан-Сальвадор"),
    ("KUL", "MY", "Kuala Lumpur", "Kuala Lumpur", "Kuala Lumpur", "كوالالمبور", "Куала-Лумпур"),
    ("BKK", "TH", "Bangkok", "Bangkok", "Bangkok", "بانكوك", "Бангкок"),
    ("CGK", "ID", "Jakarta", "Jakarta", "Yakarta", "جاكرتا", "Джакарта"),
    ("MNL", "PH", "Manila", "Manille", "Manila", "مانيلا", "Манила"),
    ("SGN", "VN", "Ho Chi Minh City", "Hô-Chi-Minh-Ville", "Ho Chi Minh", "هو تشي منه", "Хошимин"),
    ("CMB", "LK", "Colombo", "Colombo", "Colombo", "كولومبو", "Коломбо"),
    ("DEL", "IN", "Delhi", "Delhi", "Delhi", "دلهي", "Дели"),
    ("KTM", "NP", "Kathmandu", "Katmandou", "Katmandú", "كاتماندو", "Катманду"),
    ("DAC", "BD", "Dhaka", "Dacca", "Daca", "دكا", "Дакка"),
    ("ISB", "PK", "Islamabad", "Islamabad", "Islamabad", "إسلام آباد", "Исламабад"),
    ("KBL", "AF", "Kabul", "Kaboul", "Kabul", "كابول", "Кабул"),
    ("JNB", "ZA", "Johannesburg", "Johannesburg", "Johannesburgo", "جوهانسبرغ", "Йоханнесбург"),
    ("DAR", "TZ", "Dar es Salaam", "Dar es Salam", "Dar es-Salam", "دار السلام", "Дар-эс-Салам"),
    ("EBB", "UG", "Entebbe", "Entebbe", "Entebbe", "عنتيبي", "Энтеббе"),
    ("KRT", "SD", "Khartoum", "Khartoum", "Jartum", "الخرطوم", "Хартум"),
    ("BKO", "ML", "Bamako", "Bamako", "Bamako", "باماكو", "Бамако"),
]
LANGUAGES = ["en", "fr", "es", "ar", "ru"]
# Titles per theme and language; {city} is the airport's city in that language.
TITLES = {
    "documents": {
        "en": "Detecting fraudulent travel documents at {city} airport",
        "fr": "Détection des documents de voyage frauduleux à l'aéroport de {city}",
        "es": "Detección de documentos de viaje fraudulentos en el aeropuerto de {city}",
        "ar": "كشف وثائق السفر المزورة في مطار {city}",
        "ru": "Выявление поддельных проездных документов в аэропорту {city}",
    },
    "indicators": {
        "en": "Recognising migrant smuggling indicators, {city} international airport",
        "fr": "Indicateurs du trafic illicite de migrants, aéroport international de {city}",
        "es": "Indicadores del tráfico ilícito de migrantes, aeropuerto internacional de {city}",
        "ar": "مؤشرات تهريب المهاجرين، مطار {city} الدولي",
        "ru": "Признаки незаконного ввоза мигрантов, международный аэропорт {city}",
    },
    "corruption": {
        "en": "Integrity and corruption resistance for border officers, {city}",
        "fr": "Intégrité et lutte contre la corruption pour les agents des frontières, {city}",
        "es": "Integridad y lucha contra la corrupción para agentes de fronteras, {city}",
        "ar": "النزاهة ومقاومة الفساد لضباط الحدود، {city}",
        "ru": "Добросовестность и противодействие коррупции для пограничников, {city}",
    },
    "rights": {
        "en": "Human rights and profiling ethics at the border, {city}",
        "fr": "Droits humains et éthique du profilage à la frontière, {city}",
        "es": "Derechos humanos y ética de los perfiles en la frontera, {city}",
        "ar": "حقوق الإنسان وأخلاقيات التنميط على الحدود، {city}",
        "ru": "Права человека и этика профилирования на границе, {city}",
    },
    "trainers": {
        "en": "Train-the-trainer course on smuggling by air, {city}",
        "fr": "Formation de formateurs sur le trafic de migrants par voie aérienne, {city}",
        "es": "Formación de formadores sobre tráfico de migrantes por vía aérea, {city}",
        "ar": "دورة تدريب المدربين حول التهريب جوا، {city}",
        "ru": "Курс подготовки инструкторов по незаконному ввозу по воздуху, {city}",
    },
}
DESCRIPTION = {
    "en": "Generated benchmark record: {n} officers, {days} days.",
    "fr": "Enregistrement généré pour le banc d'essai : {n} agents, {days} jours.",
    "es": "Registro generado para la prueba: {n} agentes, {days} días.",
    "ar": "سجل مولد للاختبار: {n} ضابطا، {days} أيام.",
    "ru": "Сгенерированная запись для теста: {n} сотрудников, {days} дней.",
}
# slug, name, country, aliases (name, language); the first ten fund and implement most.
ORGANISATIONS = [
    ("bench-unodc", "UNODC (bench)", "AT", [("ONUDC (bench)", "fr"), ("УНП ООН (bench)", "ru")]),
    ("bench-iom", "IOM (bench)", "CH", [("OIM (bench)", "fr"), ("МОМ (bench)", "ru")]),
    ("bench-interpol", "INTERPOL (bench)", "FR", [("Интерпол (bench)", "ru")]),
    ("bench-frontex", "Frontex (bench)", "PL", [("Фронтекс (bench)", "ru")]),
    ("bench-eu", "European Union (bench)", "BE", [("Union européenne (bench)", "fr")]),
    ("bench-giz", "GIZ (bench)", "DE", [("Deutsche Gesellschaft (bench)", "de")]),
    ("bench-inl", "US INL (bench)", "US", [("INL (bench)", "en")]),
    ("bench-icao", "ICAO (bench)", "CA", [("OACI (bench)", "fr"), ("ИКАО (bench)", "ru")]),
    ("bench-afripol", "AFRIPOL (bench)", "DZ", [("أفريبول (bench)", "ar")]),
    ("bench-aseanapol", "ASEANAPOL (bench)", "MY", []),
    ("bench-nayef", "Arab training academy (bench)", "SA", [("أكاديمية التدريب (bench)", "ar")]),
    ("bench-cis", "CIS border council (bench)", "RU", [("Совет СНГ (bench)", "ru")]),
    ("bench-oas", "OAS (bench)", "US", [("OEA (bench)", "es")]),
    ("bench-ameripol", "AMERIPOL (bench)", "CO", []),
    ("bench-uk", "UK Home Office (bench)", "GB", []),
    ("bench-fr-dcpaf", "DCPAF (bench)", "FR", [("Police aux frontières (bench)", "fr")]),
    ("bench-es-pn", "Policía Nacional (bench)", "ES", [("Spanish National Police (bench)", "en")]),
    ("bench-it-pdf", "Polizia di Frontiera (bench)", "IT", []),
    ("bench-ke-dis", "Kenya Immigration (bench)", "KE", []),
    ("bench-ng-nis", "Nigeria Immigration Service (bench)", "NG", []),
    ("bench-ma-dgsn", "DGSN Maroc (bench)", "MA", [("المديرية العامة للأمن الوطني (bench)", "ar")]),
    ("bench-eg-moi", "Egypt Passports Authority (bench)", "EG", []),
    ("bench-tr-gd", "Turkish migration directorate (bench)", "TR", []),
    ("bench-kz-bs", "Kazakhstan border service (bench)", "KZ", [("Погранслужба РК (bench)", "ru")]),
    ("bench-my-imi", "Malaysia immigration (bench)", "MY", []),
    ("bench-th-imm", "Thai immigration bureau (bench)", "TH", []),
    ("bench-co-mig", "Migración Colombia (bench)", "CO", []),
    ("bench-mx-inm", "INM México (bench)", "MX", []),
    ("bench-iata", "IATA (bench)", "CA", []),
    ("bench-ngo", "Migrant rights network (bench)", "FR", [("Réseau droits (bench)", "fr")]),
]
THEMES = ["documents", "indicators", "corruption", "rights", "trainers"]
AGENCIES = ["border_police", "immigration", "customs", "gendarmerie", "police", "airline"]
MODALITIES = ["classroom", "elearning", "blended", "mentoring", "operation"]
FIRST_DAY, RECENT, LAST_DAY = (datetime.date(y, 1, 1) for y in (2005, 2015, 2028))
# Hubs hold more training than the rest: Nairobi most, as the demo's own organisations are there.
HUBS = {"NBO": 10, "IST": 4, "DXB": 4, "CAI": 4, "LOS": 4, "ADD": 4, "BKK": 4, "KUL": 4}
AIRPORT_WEIGHTS = [HUBS.get(a[0], 1) for a in AIRPORTS]


def organisations() -> list:
    """The bench's organisations and their aliases, made once."""
    from cms.accounts.models import Organisation
    from cms.programs.models import OrganisationAlias, normalise_name

    have = {o.slug: o for o in Organisation.objects.filter(slug__startswith="bench-")}
    if len(have) < len(ORGANISATIONS):
        Organisation.objects.bulk_create(
            Organisation(
                slug=slug, name=name, country=country, kind="international", officer_access=False
            )
            for slug, name, country, _aliases in ORGANISATIONS
            if slug not in have
        )
        have = {o.slug: o for o in Organisation.objects.filter(slug__startswith="bench-")}
        OrganisationAlias.objects.bulk_create(
            OrganisationAlias(
                organisation=have[slug], name=alias, normalised=normalise_name(alias), language=lang
            )
            for slug, _name, _country, aliases in ORGANISATIONS
            for alias, lang in aliases
        )
    return [have[slug] for slug, *_rest in ORGANISATIONS]


def _record(n: int, rng: random.Random) -> dict:
    """The n-th generated programme, the same every run."""
    airports = rng.choices(AIRPORTS, weights=AIRPORT_WEIGHTS)
    if rng.random() < 0.15:
        second = rng.choice(AIRPORTS)
        if second[0] != airports[0][0]:
            airports.append(second)
    if rng.random() < 0.7:  # most records are recent
        start = RECENT + datetime.timedelta(days=rng.randrange((LAST_DAY - RECENT).days))
    else:
        start = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    days = rng.choice([1, 2, 3, 4, 5, 5, 5, 10, 14, 30, 90, 365])
    themes = rng.sample(THEMES, rng.choice([1, 1, 2]))
    language = rng.choices(LANGUAGES, weights=[50, 20, 12, 10, 8])[0]
    city = airports[0][2 + LANGUAGES.index(language)]
    participants = rng.choice([None, 12, 15, 20, 24, 25, 30, 36, 40, 50, 60, 80])
    return {
        "n": n,
        "airports": airports,
        "countries": sorted({a[1] for a in airports}),
        "start": start,
        "end": start + datetime.timedelta(days=days - 1),
        "themes": themes,
        "agencies": rng.sample(AGENCIES, rng.choice([1, 2, 3])),
        "language": language,
        "title": TITLES[themes[0]][language].format(city=city) + f" ({n})",
        "description": DESCRIPTION[language].format(n=participants or 20, days=days),
        "participants": participants,
        "reporting": rng.choices(range(len(ORGANISATIONS)), weights=[8] * 10 + [2] * 20)[0],
        "funders": rng.sample(range(10), rng.choice([0, 1, 1, 2])),
        "modality": rng.choice(MODALITIES),
        "public": rng.random() < 0.7,
        "published": rng.random() < 0.9,
    }


def grow(size: int) -> float:
    """Add generated programmes up to `size`; returns the seconds it took."""
    from cms.programs import summaries
    from cms.programs.cache import registry_changed
    from cms.programs.models import (
        ParticipatingOrganisation,
        Programme,
        ProgrammeAirport,
        ProgrammeCountry,
        ProgrammeSector,
        ProgrammeTag,
        ProgrammeText,
    )

    started = time.monotonic()
    orgs = organisations()
    have = Programme.objects.filter(identifier__startswith=PREFIX).count()
    for first in range(have, size, BATCH):
        records = [_record(n, random.Random(n)) for n in range(first, min(size, first + BATCH))]
        programmes = Programme.objects.bulk_create(
            Programme(
                identifier=f"{PREFIX}-{r['n']}",
                reporting_org=orgs[r["reporting"]],
                default_language=r["language"],
                activity_status=4 if r["end"] < datetime.date(2026, 1, 1) else 2,
                planned_start=r["start"],
                planned_end=r["end"],
                starts_on=r["start"],
                ends_on=r["end"],
                modality=r["modality"],
                participants_planned=r["participants"],
                visibility="public" if r["public"] else "partners",
                workflow_status="published" if r["published"] else "draft",
            )
            for r in records
        )
        pairs = list(zip(programmes, records, strict=True))
        ProgrammeText.objects.bulk_create(
            ProgrammeText(
                programme=p, language=r["language"], title=r["title"], description=r["description"]
            )
            for p, r in pairs
        )
        ProgrammeCountry.objects.bulk_create(
            ProgrammeCountry(programme=p, country=c, percentage=round(100 / len(r["countries"]), 2))
            for p, r in pairs
            for c in r["countries"]
        )
        ProgrammeAirport.objects.bulk_create(
            ProgrammeAirport(programme=p, iata=a[0], country=a[1])
            for p, r in pairs
            for a in r["airports"]
        )
        ProgrammeSector.objects.bulk_create(
            ProgrammeSector(programme=p, code="15190", percentage=100) for p, _r in pairs
        )
        ProgrammeTag.objects.bulk_create(
            ProgrammeTag(programme=p, kind=kind, code=code)
            for p, r in pairs
            for kind, codes in (("theme", r["themes"]), ("agency", r["agencies"]))
            for code in codes
        )
        ParticipatingOrganisation.objects.bulk_create(
            ParticipatingOrganisation(programme=p, organisation=orgs[o], role=role)
            for p, r in pairs
            for o, role in {(r["reporting"], 4)} | {(f, 1) for f in r["funders"]}
        )
    # Bulk inserts send no signals and bypass the services: the overlap check's summaries are
    # written for the new records and the registry is told it changed, as its services would.
    summaries.refresh(
        Programme.objects.filter(identifier__startswith=PREFIX, match_summary__isnull=True)
        .order_by()
        .values_list("pk", flat=True)
    )
    registry_changed()
    return time.monotonic() - started


def viewer() -> str:
    """The person recording programmes: the coordinator of a member organisation, with a
    second factor so that production's MFA rule lets them in. Returns their e-mail."""
    from allauth.mfa.models import Authenticator

    from cms.accounts.models import Membership, Organisation, User

    organisation, _ = Organisation.objects.get_or_create(
        slug=ORG_SLUG,
        defaults={"name": "Registry bench border police", "country": "KE", "kind": "border_police"},
    )
    user, _ = User.objects.get_or_create(
        email="coordinator@registry.bench.example.org",
        defaults={"first_name": "Registry", "last_name": "Coord"},
    )
    Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": "coordinator", "status": "verified"},
    )
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    return user.email


TRANSLATE = {"en": "fr", "fr": "en", "es": "en", "ar": "fr", "ru": "en"}


def create_forms(*, among: int, count: int = 50) -> list[dict]:
    """What the create form posts for `count` new records, each another organisation's report of
    a generated programme (one of the first `among`) in another language: the same airport and
    dates, another title."""
    orgs = organisations()
    numbers = [n for n in range(among) if _record(n, random.Random(n))["published"]]
    forms = []
    for n in random.Random(20_000).sample(numbers, count):
        r = _record(n, random.Random(n))
        language = TRANSLATE[r["language"]]
        city = r["airports"][0][2 + LANGUAGES.index(language)]
        funder = orgs[r["funders"][0] if r["funders"] else (r["reporting"] + 1) % 10]
        forms.append(
            {
                "own_id": f"REPORT-{n}",
                "language": language,
                "title": TITLES[r["themes"][0]][language].format(city=city),
                "description": DESCRIPTION[language].format(n=r["participants"] or 20, days=3),
                "activity_status": "4",
                "planned_start": r["start"].isoformat(),
                "planned_end": r["end"].isoformat(),
                "countries": ", ".join(f"{c} {100 // len(r['countries'])}" for c in r["countries"]),
                "airports": ", ".join(a[0] for a in r["airports"]),
                "sectors": "15190",
                "themes": r["themes"],
                "agencies": r["agencies"],
                "modality": r["modality"],
                "participants_planned": str(r["participants"] or ""),
                "participating_orgs": f"{funder.aliases.first() or funder.name}, funding",
                "visibility": "partners",
                "token": str(uuid.uuid4()),
            }
        )
    return forms


def form_body(form: dict) -> str:
    return urlencode(form, doseq=True)


def api_list_path() -> str:
    """The API list narrowed as a reader narrows it: a country, a theme and a year."""
    return "/api/v1/programmes?country=KE&theme=documents&year=2019"


def matches_found(form: dict, email: str) -> int:
    """How many matches the create form shows for `form`, found in-process (a form with none
    would save a record: the bench leaves those out). -1 when the form is refused."""
    from django.http import QueryDict

    from cms.accounts.models import User
    from cms.programs import selectors, validation
    from cms.programs.forms import ProgrammeForm
    from cms.programs.overlap import find_matches

    user = User.objects.get(email=email)
    bound = ProgrammeForm(
        QueryDict(form_body(form)), organisation=selectors.member_organisation(user=user)
    )
    if not bound.is_valid():
        return -1
    draft = bound.to_draft()
    if validation.problems(draft):
        return -1
    return len(find_matches(draft, reader=selectors.reader(user=user)))
