"""The cascade: master trainers, the trainers they certified, the cohorts those trainers taught
and the learners in them, some of whom become trainers themselves.

The tree's edges are certifications: a trainer hangs below whoever certified them (their latest
certification that names a certifier). Each trainer's reach is kept in `TrainerReach`, one row
per trainer, rewritten by `refresh_trainer_reach` for the trainers whose cohorts, members,
sessions, completions or certifications changed and for everyone above them. The refresh walks
the tree with recursive queries (`WITH RECURSIVE`, the same SQL on SQLite and PostgreSQL), one
for each step whatever the depth, and numbers the tree in reading order when its shape changes;
a page then reads one range of the numbered rows, in one query, whatever the size of the tree.

Downstream learners are counted exactly: a learner taught by two trainers of one part of the
tree is one learner of it. That count needs every membership below a trainer, so it is made
when something changes, never when a page is read.
"""

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import get_language
from django_countries import countries as country_names

from cms import generations
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
PAGE_SIZE = 50
TOTAL_SECONDS = 3600  # a total is kept at most this long, and never past a change

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
        if _write_places(ids):
            _number_tree()
        affected = None if ids is None else ids | above_before | _above(ids)
        _write_totals(affected)
        tree_changed()


def refresh_cohort_summary(cohort_id: int) -> None:
    """A cohort's members, sessions or trainer changed: rewrite its trainer's reach. (When the
    trainer changes, refresh the previous trainer too: `refresh_trainer_reach([old, new])`.)"""
    trainer_id = Cohort.objects.filter(pk=cohort_id).values_list("trainer_id", flat=True).first()
    if trainer_id is not None:
        refresh_trainer_reach([trainer_id])


def completion_recorded(*, user, course) -> None:
    """A learner completed a course or track: one more learner completed for each trainer
    at and above the cohorts that taught it to them, unless they had already counted there.
    Four queries at most, whatever the size of the tree; one when they learnt it alone."""
    cohorts = list(Cohort.objects.filter(members__user=user).values_list("trainer_id", "course_id"))
    if not any(course_id == course.pk for _trainer, course_id in cohorts):
        return
    done = set(
        CourseCompletion.objects.filter(
            user=user, course_id__in={course_id for _trainer, course_id in cohorts}
        )
        .exclude(course_id=course.pk)
        .values_list("course_id", flat=True)
    )
    above = _above_each({trainer for trainer, _course in cohorts})
    completed, direct = set(), set()
    for trainer in {trainer for trainer, course_id in cohorts if course_id == course.pk}:
        for someone in above[trainer] | {trainer}:
            if not any(c in done and someone in above[t] | {t} for t, c in cohorts):
                completed.add(someone)
        if not any(c in done and t == trainer for t, c in cohorts):
            direct.add(trainer)
    with transaction.atomic():
        TrainerReach.objects.filter(trainer_id__in=completed).update(completed=F("completed") + 1)
        TrainerReach.objects.filter(trainer_id__in=direct).update(
            direct_completed=F("direct_completed") + 1
        )


def _above_each(ids: set[int]) -> dict[int, set[int]]:
    """Everyone above each of these trainers (one query)."""
    where, params = _in("r.trainer_id", ids)
    sql = f"""
        WITH RECURSIVE up(start, node, depth) AS (
            SELECT r.trainer_id, r.parent_id, 1
            FROM {TABLES["reach"]} r WHERE {where} AND r.parent_id IS NOT NULL
            UNION ALL
            SELECT up.start, r.parent_id, up.depth + 1
            FROM {TABLES["reach"]} r JOIN up ON r.trainer_id = up.node
            WHERE r.parent_id IS NOT NULL AND up.depth < {MAX_DEPTH}
        )
        SELECT start, node FROM up"""  # noqa: S608 table names from models, values as parameters
    found = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for start, node in cursor.fetchall():
            found[start].add(node)
    return found


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


def _write_places(ids: set[int] | None) -> bool:
    """Each trainer's row: level, organisation, who certified them and where they hang.
    Returns whether the tree's shape (or a name, which orders it) changed."""
    in_cascade = _in_cascade(ids)
    rows = TrainerReach.objects.all()
    if ids is not None:
        rows = rows.filter(trainer_id__in=ids)
    known = dict(rows.values_list("trainer_id", "sort_key"))
    removed, _ = rows.exclude(trainer_id__in=in_cascade).delete()
    places = _places(in_cascade) if in_cascade else []
    reshaped = bool(removed) or any(known.get(p.trainer_id) != p.sort_key for p in places)
    if places:
        TrainerReach.objects.bulk_create(
            places,
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
    moved = {row.trainer_id for row in (rows if ids is None else changed)}
    _break_loops(moved, ids or set())
    return reshaped or bool(changed) or ids is None


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
    """Digits only, fixed width: the name's first twelve letters (two digits each), then the
    id. A path of these keys sorts a tree depth first, siblings by name, in any collation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    letters = re.sub(r"[^a-z0-9]+", "", ascii_name)[:12]
    digits = "".join(f"{int(c, 36):02d}" for c in letters)
    return f"{digits:0<24}{pk:010d}"


def _number_tree() -> None:
    """Number every trainer in reading order (one recursive query): `tree_start`, the `tree_end`
    of their part of the tree, and their `depth`; rows that moved are rewritten."""
    sql = f"""
        WITH RECURSIVE tree(trainer_id, depth, path) AS (
            SELECT r.trainer_id, 0, '.' || r.sort_key FROM {TABLES["reach"]} r
            WHERE r.parent_id IS NULL
            UNION ALL
            SELECT r.trainer_id, t.depth + 1, t.path || '.' || r.sort_key
            FROM {TABLES["reach"]} r JOIN tree t ON r.parent_id = t.trainer_id
            WHERE t.depth < {MAX_DEPTH} AND t.path NOT LIKE ('%%.' || r.sort_key || '%%')
        )
        SELECT tree.trainer_id, tree.depth, r.tree_start, r.tree_end, r.depth
        FROM tree JOIN {TABLES["reach"]} r ON r.trainer_id = tree.trainer_id
        ORDER BY tree.path"""  # noqa: S608 table names from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [])
        rows = cursor.fetchall()
    numbered, open_ = {}, []  # open_: (depth, trainer) of the rows whose part is still open
    for position, (pk, depth, *_stored) in enumerate(rows, start=1):
        while open_ and open_[-1][0] >= depth:
            numbered[open_.pop()[1]][1] = position - 1
        numbered[pk] = [position, position, depth]
        open_.append((depth, pk))
    for _depth, pk in open_:
        numbered[pk][1] = len(rows)
    moved = [(pk, *numbered[pk]) for pk, _depth, *stored in rows if list(stored) != numbered[pk]]
    for start in range(0, len(moved), 500):
        batch = moved[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH v(trainer_id, tree_start, tree_end, depth) AS (VALUES {values})
                UPDATE {TABLES["reach"]} SET tree_start = v.tree_start, tree_end = v.tree_end,
                    depth = v.depth
                FROM v WHERE {TABLES["reach"]}.trainer_id = v.trainer_id""",  # noqa: S608 table names from models, values as parameters
                [value for row in batch for value in row],
            )


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
    # Each learner once per part of the tree, then the parts' sums: one sort, not five
    # distinct counts.
    learners = f"""{_subtrees(where)},
        taught(root, direct, direct_completed, downstream, completed) AS (
            SELECT sub.root,
                MAX(CASE WHEN sub.depth = 0 THEN 1 ELSE 0 END),
                MAX(CASE WHEN sub.depth = 0 AND cc.id IS NOT NULL THEN 1 ELSE 0 END),
                MAX(CASE WHEN sub.depth > 0 THEN 1 ELSE 0 END),
                MAX(CASE WHEN cc.id IS NOT NULL THEN 1 ELSE 0 END)
            FROM sub
            JOIN {TABLES["cohort"]} c ON c.trainer_id = sub.node
            JOIN {TABLES["member"]} m ON m.cohort_id = c.id
            LEFT JOIN {TABLES["completion"]} cc
                ON cc.user_id = m.user_id AND cc.course_id = c.course_id
            GROUP BY sub.root, m.user_id
        )
        SELECT root, SUM(direct), SUM(direct_completed), SUM(downstream), COUNT(*),
               SUM(completed)
        FROM taught GROUP BY root"""  # noqa: S608 table names from models, values as parameters
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
    parent_id: int | None
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
        return level_name(get_language(), self.level) if self.level else ""

    @property
    def country_names(self) -> list[tuple[str, str]]:
        return [(code, country_name(get_language(), code)) for code in self.countries]

    def as_json(self) -> dict:
        return {
            "email": self.email,
            "level": self.level,
            "direct_learners": self.direct_learners,
            "downstream_learners": self.downstream_learners,
            "completion_rate": self.completion_rate,
            "countries": self.countries,
        }


@functools.lru_cache(maxsize=4096)
def country_name(language: str, code: str) -> str:
    """A country's name in a language, remembered: looking one up translates every name."""
    return str(country_names.name(code) or code)


@functools.lru_cache(maxsize=64)
def level_name(language: str, level: str) -> str:
    return str(TrainerCertification.Level(level).label)


def cascade_reach(
    *, scope: Scope, focus_id: int | None = None, offset: int = 0, limit: int | None = PAGE_SIZE
) -> tuple[list[Reach], int]:
    """The trainers in `scope` (the part of the tree below `focus_id` and them, when given),
    depth first, siblings by name: a page of them and how many there are in all. One query,
    a range of the numbered summary, whatever the size or the depth of the tree; the total
    comes from `trainers_in`."""
    where, params = _scope_filter("r", scope, focus_id)
    page = ""
    if limit is not None:
        page = "LIMIT %s OFFSET %s"
    sql = f"""
        SELECT r.trainer_id, u.email, u.first_name, u.last_name, r.level, r.depth,
               r.parent_id, p.first_name, p.last_name, p.email,
               r.direct_learners, r.downstream_learners, r.learners, r.completed,
               r.countries, r.airports
        FROM {TABLES["reach"]} r
        JOIN {TABLES["user"]} u ON u.id = r.trainer_id
        LEFT JOIN {TABLES["user"]} p ON p.id = r.parent_id
        WHERE {where}
        ORDER BY r.tree_start
        {page}"""  # noqa: S608 table names from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params + ([limit, offset] if limit is not None else []))
        rows = [_reach(row) for row in cursor.fetchall()]
    if limit is None:
        return rows, len(rows)
    if not rows and offset == 0:
        return rows, 0
    return rows, trainers_in(scope=scope, focus_id=focus_id)


def trainers_in(*, scope: Scope, focus_id: int | None = None) -> int:
    """How many trainers `cascade_reach` lists in all for `scope` and `focus_id`: counted once
    per change to the tree and kept under the cascade's generation, which every rewrite of the
    summary moves (on a PostgreSQL table just rewritten in bulk, counting an organisation's ten
    thousand trainers costs more than the page's rows)."""
    name = f"{settings.FLIGHTPATH_RELEASE}.{generations.current('cascade')}"
    key = f"flightpath:{name}:cascade-total:{scope.kind}:{scope.pk}:{focus_id}"

    def count() -> int:
        where, params = _scope_filter("c", scope, focus_id)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLES['reach']} c WHERE {where}", params)  # noqa: S608 a table name from the model
            return cursor.fetchone()[0]

    return generations.remember(key, count, TOTAL_SECONDS)


def tree_changed(**kwargs) -> None:
    """The tree's rows were rewritten, added or removed: totals are counted again."""
    generations.move("cascade")


def _scope_filter(alias: str, scope: Scope, focus_id: int | None) -> tuple[str, list]:
    reach = TABLES["reach"]
    start = f"(SELECT b.tree_start FROM {reach} b WHERE b.trainer_id = %s)"  # noqa: S608 a table name from the model
    end = f"(SELECT b.tree_end FROM {reach} b WHERE b.trainer_id = %s)"  # noqa: S608 a table name from the model
    within = alias + ".tree_start BETWEEN " + start + " AND " + end
    conditions, params = ["1 = 1"], []
    if scope.kind == "trainer":
        conditions.append(within)
        params += [scope.pk, scope.pk]
    elif scope.kind == "organisation":
        conditions.append(f"{alias}.organisation_id = %s")
        params.append(scope.pk)
    if focus_id is not None:
        conditions.append(within)
        params += [focus_id, focus_id]
        # and the focus itself in the reader's scope
        if scope.kind == "trainer":
            conditions.append(f"{start} BETWEEN {start} AND {end}")
            params += [focus_id, scope.pk, scope.pk]
        elif scope.kind == "organisation":
            conditions.append(
                f"(SELECT b.organisation_id FROM {reach} b WHERE b.trainer_id = %s) = %s"  # noqa: S608 a table name from the model
            )
            params += [focus_id, scope.pk]
    return " AND ".join(conditions), params


def _reach(row) -> Reach:
    (pk, email, first, last, level, depth, parent_id, p_first, p_last, p_email) = row[:10]
    direct, downstream, learners, completed, countries, airports = row[10:16]
    return Reach(
        trainer_id=pk,
        email=email,
        name=f"{first} {last}".strip() or email,
        level=level,
        depth=depth,
        parent_id=parent_id,
        trained_by=(f"{p_first or ''} {p_last or ''}".strip() or p_email or ""),
        direct_learners=direct,
        downstream_learners=downstream,
        learners=learners,
        completed=completed,
        countries=countries.split(),
        airports=airports.split(),
    )


def as_tree(rows: list[Reach]) -> list[Reach]:
    """Nest rows listed depth first below their parent where it is listed too (an
    organisation's trainers whose certifier is elsewhere, or a page that starts inside a
    branch, start new trees)."""
    roots: list[Reach] = []
    stack: list[Reach] = []
    for row in rows:
        row.children = []
        while stack and stack[-1].trainer_id != row.parent_id:
            stack.pop()
        (stack[-1].children if stack else roots).append(row)
        stack.append(row)
    return roots
