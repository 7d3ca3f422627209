"""Moving summary counts by what changed: a summary keeps one row per learner (and course, or
programme and scope) and counts added up from those rows. Refreshing some learners computes
their rows again; the counts move by what the old rows contributed and the new ones do."""

from collections import Counter
from collections.abc import Callable


def changes(
    old: dict, new: dict, *, same: Callable, contributions: Callable[..., Counter]
) -> tuple[Counter, list, list]:
    """What replacing the rows `old` by `new` (each by its key) changes: how far each count
    moves, the rows to write (new or changed) and the old rows that are gone."""
    delta = Counter()
    changed = []
    for key, row in new.items():
        before = old.get(key)
        if before is not None and same(before, row):
            continue
        if before is not None:
            delta.subtract(contributions(before))
        delta.update(contributions(row))
        changed.append(row)
    gone = [row for key, row in old.items() if key not in new]
    for row in gone:
        delta.subtract(contributions(row))
    return delta, changed, gone
