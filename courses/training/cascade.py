"""The cascade: master trainers, the trainers they certified, the cohorts those trainers taught
and the learners in them, some of whom become trainers themselves.

The tree's edges are certifications: a trainer hangs below whoever certified them (their latest
certification that names a certifier). Each trainer's reach is kept in `TrainerReach`, one row
per trainer, rewritten by `refresh_trainer_reach` for the trainers whose cohorts, members,
sessions, completions or certifications changed and for everyone above them. Both the refresh
and the pages walk the tree with one recursive query (`WITH RECURSIVE`, the same SQL on SQLite
and PostgreSQL), so the number of queries does not grow with the depth or the size of the tree.

Downstream learners are counted exactly: a learner taught by two trainers of one part of the
tree is one learner of it. That count needs every membership below a trainer, so it is made
when something changes, never when a page is read.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django_countries import countries as country_names

from cms.accounts.models import Membership, User

from ..models import (
    ClassroomSession,
    Cohort,
    CohortMember,
    CourseCompletion,
    TrainerCertification,
    TrainerReach,
)

# Deeper than any real cascade; a guard, with the paths, against a loop in the data.
MAX_DEPTH = 100
PAGE_SIZE = 100

TABLES = {
    "reach": TrainerReach._meta.db_table,
    "cohort": Cohort._meta.db_table,
    "member": CohortMember._meta.db_table,
    "completion": CourseCompletion._meta.db_table,
    "session": ClassroomSession._meta.db_table,
    "user": User._meta.db_table,
}


# -- Writes -------------------------------------------------------------------------------


def refresh_trainer_reach(trainer_ids: Iterable[int] | None = None) -> None:
    """Rewrite the reach of these trainers and of everyone above them (all trainers when
    `trainer_ids` is None). Call it in the transaction that changed their cohorts, members,
    sessions, completions or certifications."""
    ids = None if trainer_ids is None else {int(pk) for pk in trainer_ids}
    if ids is not None and not ids:
        return
    with transaction.atomic():
        above_before = _above(ids)
        _write_places(ids)
        affected = None if ids is None else ids | above_before | _above(ids)
        _write_totals(affected)


def refresh_cohort_summary(cohort_id: int) -> None:
    """A cohort's members, sessions or trainer changed: rewrite its trainer's reach. (When the
    trainer changes, refresh the previous trainer too: `refresh_trainer_reach([old, new])`.)"""
    trainer_id = Cohort.objects.filter(pk=cohort_id).values_list("trainer_id", flat=True).first()
    if trainer_id is not None:
        refresh_trainer_reach([trainer_id])


def completion_recorded(*, user, course) -> None:
    """A learner completed a course or track: the reach of the trainers who taught it to them
    in a cohort changes. One query when they learnt it on their own."""
    trainer_ids = set(
        Cohort.objects.filter(course=course, members__user=user).values_list(
            "trainer_id", flat=True
        )
    )
    refresh_trainer_reach(trainer_ids)


def certification_recorded(*, user) -> None:
    """A certification of `user` was recorded: where they hang in the tree may have changed."""
    refresh_trainer_reach([user.pk])


def rebuild() -> int:
    """Rewrite every trainer's reach from the records; returns the number of trainers."""
    refresh_trainer_reach(None)
    return TrainerReach.objects.count()


def _in(column: str, ids: set[int] | None) -> tuple[str, list[int]]:
    if ids is None:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", sorted(ids)


def _above(ids: set[int] | None) -> set[int]:
    """Everyone above these trainers in the tree as it is stored (one query)."""
    if ids is None:
        return set()
    where, params = _in("r.trainer_id", ids)
    sql = f"""
        WITH RECURSIVE up(node, path, depth) AS (
            SELECT r.parent_id, '/' || CAST(r.trainer_id AS TEXT) || '/', 1
            FROM {TABLES["reach"]} r WHERE {where} AND r.parent_id IS NOT NULL
            UNION ALL
            SELECT r.parent_id, up.path || CAST(r.trainer_id AS TEXT) || '/', up.depth + 1
            FROM {TABLES["reach"]} r JOIN up ON r.trainer_id = up.node
            WHERE r.parent_id IS NOT NULL AND up.depth < {MAX_DEPTH}
              AND up.path NOT LIKE ('%%/' || CAST(r.trainer_id AS TEXT) || '/%%')
        )
        SELECT DISTINCT node FROM up"""  # noqa: S608 table names from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _write_places(ids: set[int] | None) -> None:
    """Each trainer's row: level, organisation, who certified them and where they hang."""
    in_cascade = _in_cascade(ids)
    stale = TrainerReach.objects.all()
    if ids is not None:
        stale = stale.filter(trainer_id__in=ids)
    stale.exclude(trainer_id__in=in_cascade).delete()
    if in_cascade:
        TrainerReach.objects.bulk_create(
            _places(in_cascade),
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["trainer"],
            update_fields=["level", "certified_by", "organisation", "sort_key"],
        )
    # Hang each trainer below their certifier where the certifier is in the cascade (and
    # those these trainers certified below them), unless that would close a loop.
    rows = TrainerReach.objects.all()
    if ids is not None:
        rows = rows.filter(trainer_id__in=ids) | rows.filter(certified_by_id__in=ids)
    rows = list(rows.only("trainer_id", "certified_by_id", "parent_id"))
    certifiers = {row.certified_by_id for row in rows} - {None}
    nodes = set()
    for chunk in _chunks(certifiers):
        nodes.update(
            TrainerReach.objects.filter(trainer_id__in=chunk).values_list("trainer_id", flat=True)
        )
    changed = []
    for row in rows:
        parent = row.certified_by_id if row.certified_by_id in nodes else None
        if parent != row.parent_id:
            row.parent_id = parent
            changed.append(row)
    TrainerReach.objects.bulk_update(changed, ["parent"], batch_size=1000)
    _break_loops({row.trainer_id for row in changed}, ids or set())


def _break_loops(moved: set[int], recorded: set[int]) -> None:
    """A certification that would make someone their own ancestor is left out of the tree:
    its holder becomes a root. Where several are in one loop, the loop is broken at a holder
    whose certification was just recorded, else at the latest to join the platform."""
    looped = _in_a_loop(moved)
    while looped:
        breaking = max(looped, key=lambda pk: (pk in recorded, pk))
        TrainerReach.objects.filter(trainer_id=breaking).update(parent=None)
        moved.discard(breaking)
        looped = _in_a_loop(moved)


def _in_cascade(ids: set[int] | None) -> set[int]:
    """People in the cascade: anyone with a certification row or a cohort of their own."""
    certified = TrainerCertification.objects.values_list("user_id", flat=True)
    leading = Cohort.objects.values_list("trainer_id", flat=True)
    if ids is not None:
        certified, leading = certified.filter(user_id__in=ids), leading.filter(trainer_id__in=ids)
    return set(certified) | set(leading)


def _places(people: set[int]) -> list[TrainerReach]:
    latest, levels, home, names = {}, defaultdict(set), {}, {}
    certifications = TrainerCertification.objects.order_by("user_id", "-recorded_at", "-pk")
    members = Membership.objects.filter(status__in=Membership.CURRENT_STATUSES)
    for chunk in _chunks(people):
        for user_id, level, status, certified_by, organisation in certifications.filter(
            user_id__in=chunk
        ).values_list("user_id", "level", "status", "certified_by_id", "organisation_id"):
            latest.setdefault(user_id, (certified_by, organisation))
            if status != TrainerCertification.Status.REVOKED:
                levels[user_id].add(level)
        home.update(members.filter(user_id__in=chunk).values_list("user_id", "organisation_id"))
        for pk, first, last, email in User.objects.filter(pk__in=chunk).values_list(
            "pk", "first_name", "last_name", "email"
        ):
            names[pk] = f"{first} {last}".strip() or email
    places = []
    for pk in people:
        certified_by, organisation = latest.get(pk, (None, None))
        level = (
            TrainerCertification.Level.MASTER
            if TrainerCertification.Level.MASTER in levels[pk]
            else (TrainerCertification.Level.TRAINER if levels[pk] else "")
        )
        places.append(
            TrainerReach(
                trainer_id=pk,
                level=level,
                certified_by_id=certified_by,
                organisation_id=organisation or home.get(pk),
                sort_key=sort_key(names.get(pk, ""), pk),
            )
        )
    return places


def _chunks(ids: set[int], size: int = 2000) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def sort_key(name: str, pk: int) -> str:
    """Fixed width, ASCII letters and digits only (safe inside LIKE): a path of these keys
    sorts a tree depth first, siblings by name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"{re.sub(r'[^a-z0-9]+', ' ', ascii_name).strip()[:24]:<24}{pk:010d}"


def _in_a_loop(ids: set[int]) -> set[int]:
    """Those of `ids` who would be their own ancestors (one query)."""
    if not ids:
        return set()
    where, params = _in("r.trainer_id", ids)
    sql = f"""
        WITH RECURSIVE up(start, node, depth) AS (
            SELECT r.trainer_id, r.parent_id, 1 FROM {TABLES["reach"]} r
            WHERE {where} AND r.parent_id IS NOT NULL
            UNION ALL
            SELECT up.start, r.parent_id, up.depth + 1
            FROM {TABLES["reach"]} r JOIN up ON r.trainer_id = up.node
            WHERE r.parent_id IS NOT NULL AND up.node <> up.start AND up.depth < {MAX_DEPTH}
        )
        SELECT DISTINCT start FROM up WHERE node = start"""  # noqa: S608 table names from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _subtrees(where: str) -> str:
    """Every trainer in `where` (the root) with each trainer below them (the node)."""
    return f"""
        WITH RECURSIVE sub(root, node, depth, path) AS (
            SELECT r.trainer_id, r.trainer_id, 0, '/' || CAST(r.trainer_id AS TEXT) || '/'
            FROM {TABLES["reach"]} r WHERE {where}
            UNION ALL
            SELECT sub.root, r.trainer_id, sub.depth + 1,
                   sub.path || CAST(r.trainer_id AS TEXT) || '/'
            FROM {TABLES["reach"]} r JOIN sub ON r.parent_id = sub.node
            WHERE sub.depth < {MAX_DEPTH}
              AND sub.path NOT LIKE ('%%/' || CAST(r.trainer_id AS TEXT) || '/%%')
        )"""  # noqa: S608 table names from models, values as parameters


def _write_totals(affected: set[int] | None) -> None:
    """Learners, completions, countries and airports of each affected trainer's part of the
    tree (two queries, however deep), written in batches."""
    where, params = _in("r.trainer_id", affected)
    learners = f"""{_subtrees(where)}
        SELECT sub.root,
            COUNT(DISTINCT CASE WHEN sub.depth = 0 THEN m.user_id END),
            COUNT(DISTINCT CASE WHEN sub.depth = 0 AND cc.id IS NOT NULL THEN m.user_id END),
            COUNT(DISTINCT CASE WHEN sub.depth > 0 THEN m.user_id END),
            COUNT(DISTINCT m.user_id),
            COUNT(DISTINCT CASE WHEN cc.id IS NOT NULL THEN m.user_id END)
        FROM sub
        JOIN {TABLES["cohort"]} c ON c.trainer_id = sub.node
        JOIN {TABLES["member"]} m ON m.cohort_id = c.id
        LEFT JOIN {TABLES["completion"]} cc
            ON cc.user_id = m.user_id AND cc.course_id = c.course_id
        GROUP BY sub.root"""  # noqa: S608 table names from models, values as parameters
    places = f"""{_subtrees(where)}
        SELECT DISTINCT sub.root, s.country, s.airport
        FROM sub
        JOIN {TABLES["cohort"]} c ON c.trainer_id = sub.node
        JOIN {TABLES["session"]} s ON s.cohort_id = c.id"""  # noqa: S608 table names from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(learners, params)
        counts = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(places, params)
        reached = defaultdict(lambda: (set(), set()))
        for root, country, airport in cursor.fetchall():
            reached[root][0].add(country)
            if airport:
                reached[root][1].add(airport)
    rows = TrainerReach.objects.all()
    if affected is not None:
        rows = rows.filter(trainer_id__in=affected)
    fields = [
        "direct_learners",
        "direct_completed",
        "downstream_learners",
        "learners",
        "completed",
        "countries",
        "airports",
    ]
    changed = []
    for row in rows.only("trainer_id", *fields):
        direct, direct_completed, downstream, learners_, completed = counts.get(
            row.trainer_id, (0, 0, 0, 0, 0)
        )
        found_countries, found_airports = reached.get(row.trainer_id, (set(), set()))
        values = {
            "direct_learners": direct,
            "direct_completed": direct_completed,
            "downstream_learners": downstream,
            "learners": learners_,
            "completed": completed,
            "countries": " ".join(sorted(found_countries)),
            "airports": " ".join(sorted(found_airports)),
        }
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    TrainerReach.objects.bulk_update(changed, fields, batch_size=500)


# -- Reads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose trainers a reader may see: everyone's, an organisation's, or a trainer's own
    part of the tree."""

    kind: str  # "all", "organisation" or "trainer"
    pk: int | None = None


@dataclass
class Reach:
    trainer_id: int
    email: str
    name: str
    level: str
    depth: int
    trained_by: str
    direct_learners: int
    downstream_learners: int
    learners: int
    completed: int
    countries: list[str]
    airports: list[str]
    children: list["Reach"] = field(default_factory=list)

    @property
    def completion_rate(self) -> float:
        return round(self.completed / self.learners, 3) if self.learners else 0.0

    @property
    def completion_percent(self) -> int:
        return round(100 * self.completion_rate)

    @property
    def level_label(self) -> str:
        return str(TrainerCertification.Level(self.level).label) if self.level else ""

    @property
    def country_names(self) -> list[tuple[str, str]]:
        return [(code, country_names.name(code) or code) for code in self.countries]

    def as_json(self) -> dict:
        return {
            "email": self.email,
            "level": self.level,
            "direct_learners": self.direct_learners,
            "downstream_learners": self.downstream_learners,
            "completion_rate": self.completion_rate,
            "countries": self.countries,
        }


def cascade_reach(
    *, scope: Scope, focus_id: int | None = None, offset: int = 0, limit: int | None = PAGE_SIZE
) -> tuple[list[Reach], int]:
    """The trainers in `scope` (below `focus_id` and including them, when given), depth
    first, siblings by name, a page of them, and how many there are in all. One query."""
    params: list = []
    if scope.kind == "trainer":
        seed, step = "r.trainer_id = %s", ""
        params.append(scope.pk)
    elif scope.kind == "organisation":
        seed = f"""r.organisation_id = %s AND (r.parent_id IS NULL OR r.parent_id NOT IN (
            SELECT p.trainer_id FROM {TABLES["reach"]} p WHERE p.organisation_id = %s))"""  # noqa: S608 table names from models, values as parameters
        step = "AND r.organisation_id = %s"
        params += [scope.pk, scope.pk, scope.pk]
    else:
        seed, step = "r.parent_id IS NULL", ""
    focus = ""
    if focus_id is not None:
        focus = f"""WHERE t.path LIKE ('%%' || (
            SELECT f.sort_key FROM {TABLES["reach"]} f WHERE f.trainer_id = %s) || '%%')"""  # noqa: S608 table names from models, values as parameters
        params.append(focus_id)
    page = ""
    if limit is not None:
        page = "LIMIT %s OFFSET %s"
        params += [limit, offset]
    sql = f"""
        WITH RECURSIVE tree(trainer_id, depth, path) AS (
            SELECT r.trainer_id, 0, CAST(r.sort_key AS TEXT) FROM {TABLES["reach"]} r
            WHERE {seed}
            UNION ALL
            SELECT r.trainer_id, t.depth + 1, t.path || r.sort_key
            FROM {TABLES["reach"]} r JOIN tree t ON r.parent_id = t.trainer_id
            WHERE t.depth < {MAX_DEPTH} AND t.path NOT LIKE ('%%' || r.sort_key || '%%') {step}
        )
        SELECT r.trainer_id, u.email, u.first_name, u.last_name, r.level, t.depth,
               p.first_name, p.last_name, p.email,
               r.direct_learners, r.downstream_learners, r.learners, r.completed,
               r.countries, r.airports, COUNT(*) OVER ()
        FROM tree t
        JOIN {TABLES["reach"]} r ON r.trainer_id = t.trainer_id
        JOIN {TABLES["user"]} u ON u.id = r.trainer_id
        LEFT JOIN {TABLES["user"]} p ON p.id = r.parent_id
        {focus}
        ORDER BY t.path
        {page}"""  # noqa: S608 table names from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    return [_reach(row) for row in rows], total


def _reach(row) -> Reach:
    (pk, email, first, last, level, depth, p_first, p_last, p_email) = row[:9]
    direct, downstream, learners, completed, countries, airports = row[9:15]
    return Reach(
        trainer_id=pk,
        email=email,
        name=f"{first} {last}".strip() or email,
        level=level,
        depth=depth,
        trained_by=(f"{p_first or ''} {p_last or ''}".strip() or p_email or ""),
        direct_learners=direct,
        downstream_learners=downstream,
        learners=learners,
        completed=completed,
        countries=countries.split(),
        airports=airports.split(),
    )


def as_tree(rows: list[Reach]) -> list[Reach]:
    """Nest rows listed depth first: each hangs below the nearest row before it that is
    shallower. A page that starts inside a branch starts with that branch's rows at the top."""
    roots: list[Reach] = []
    stack: list[Reach] = []
    for row in rows:
        row.children = []
        while stack and stack[-1].depth >= row.depth:
            stack.pop()
        (stack[-1].children if stack else roots).append(row)
        stack.append(row)
    return roots
