"""Checking xAPI statements that H5P content reports from the learner's browser.

The browser computes H5P scores, so a statement can be forged. The server keeps only statements
about the activity the learner was shown, refuses an actor that names someone else, checks the
score's range and computes the scaled score itself. Per-question statements inside a container
(those with a parent activity) are stored but do not count as the activity's result.
"""

import hashlib
import json
from dataclasses import dataclass

VERBS_WITH_RESULTS = {
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
}


class StatementError(ValueError):
    pass


@dataclass(frozen=True)
class Checked:
    key: str
    raw: float | None = None
    maximum: float | None = None
    scaled: float | None = None

    @property
    def has_result(self) -> bool:
        return self.scaled is not None


def statement_key(statement: dict) -> str:
    """The statement's own id if it has one, else a digest of its content: a resend is the same."""
    given = statement.get("id")
    if isinstance(given, str) and 0 < len(given) <= 64:
        return given
    canonical = json.dumps(statement, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check(statement, *, activity: str, email: str) -> Checked:
    if not isinstance(statement, dict):
        raise StatementError("a statement is a JSON object")
    if len(json.dumps(statement)) > 64_000:
        raise StatementError("the statement is too large")
    object_id = (statement.get("object") or {}).get("id", "")
    if not isinstance(object_id, str) or object_id.split("?")[0] != activity:
        raise StatementError("the statement is about another activity")
    mbox = (statement.get("actor") or {}).get("mbox")
    if mbox and mbox.lower() != f"mailto:{email}".lower():
        raise StatementError("the statement names another person")
    key = statement_key(statement)
    verb = (statement.get("verb") or {}).get("id")
    parent = ((statement.get("context") or {}).get("contextActivities") or {}).get("parent")
    score = (statement.get("result") or {}).get("score")
    if verb not in VERBS_WITH_RESULTS or parent or "?" in object_id or not score:
        return Checked(key=key)
    return Checked(key=key, **_score(score))


def _score(score) -> dict:
    try:
        raw = float(score["raw"])
        minimum = float(score.get("min", 0))
        maximum = float(score["max"])
    except (KeyError, TypeError, ValueError) as e:
        raise StatementError("the score needs numbers for raw and max") from e
    if not (maximum > minimum and minimum <= raw <= maximum):
        raise StatementError("the score is out of its own range")
    return {"raw": raw, "maximum": maximum, "scaled": (raw - minimum) / (maximum - minimum)}
