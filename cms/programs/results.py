"""A programme's results, counted from what was delivered under it on the platform.

The registry keeps no learners, cohorts or certificates: the apps that do answer through the
Wagtail hook `programme_results(programme_ids) -> {programme id: ProgrammeResults}`, asked once
for many programmes at a time, in a fixed number of queries. Answers from several hooks are
added up. A programme nothing was delivered under has no results (`None`), which pages show
apart from a count of zero.
"""

from dataclasses import dataclass, fields

from wagtail import hooks

RESULTS_HOOK = "programme_results"


@dataclass(frozen=True)
class ProgrammeResults:
    cohorts: int = 0  # cohorts delivered under the programme
    courses: int = 0  # distinct courses and tracks those cohorts teach
    participants_trained: int = 0
    completions: int = 0
    certified_trainers: int = 0

    def __add__(self, other: "ProgrammeResults") -> "ProgrammeResults":
        return ProgrammeResults(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


RESULT_COLUMNS = ("participants_trained", "completions", "certified_trainers")


def programme_results(*, programmes) -> dict[int, ProgrammeResults]:
    """The results of each of `programmes` (records or ids) that anything was delivered under."""
    ids = [getattr(programme, "pk", programme) for programme in programmes]
    found: dict[int, ProgrammeResults] = {}
    if not ids:
        return found
    for hook in hooks.get_hooks(RESULTS_HOOK):
        for pk, results in hook(programme_ids=ids).items():
            found[pk] = found[pk] + results if pk in found else results
    return found
