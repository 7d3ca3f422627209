"""Checking xAPI statements that H5P content reports from the learner's browser.

The browser computes H5P scores, so a statement can be forged. The server keeps only statements
about the activity the learner was shown, refuses an actor that names anyone but the learner,
checks the score's range and computes the scaled score itself. Per-question statements inside a
container (those with a parent activity) are stored but do not count as the activity's result.

A body is read only if every database can keep it as it is: JSON within a size and a depth,
finite numbers that a double holds exactly, strings without NUL or lone surrogates (PostgreSQL's
jsonb refuses both). Anything else is refused with a reason, before anything is written.
"""

import hashlib
import json
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

VERBS_WITH_RESULTS = {
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
}
MAX_BYTES = 64_000
MAX_DEPTH = 32
MAX_INTEGER = 2**53  # beyond this a JSON number is no longer exact in a double (RFC 7493)
PARTS = ("actor", "verb", "object", "result", "context")


class StatementError(ValueError):
    """Why a statement was refused, in words for the learner; `status` is the HTTP status."""

    status = 422


class MalformedStatement(StatementError):
    """The body is not a statement the site can read or keep."""

    status = 400


class StatementTooLarge(MalformedStatement):
    status = 413


@dataclass(frozen=True)
class Learner:
    """Who is sending: the only person a statement may name."""

    email: str
    home_page: str
    account_name: str

    @property
    def actor(self) -> dict:
        """How kept statements name the learner: their account on the site."""
        account = {"homePage": self.home_page, "name": self.account_name}
        return {"objectType": "Agent", "account": account}

    def is_named_by(self, actor: dict) -> bool:
        """Whether every identifier in `actor` is the learner's (an actor with none names
        nobody, and is taken to be the learner, who is signed in)."""
        mailto = f"mailto:{self.email}".lower()
        expected = {
            "mbox": mailto,
            "mbox_sha1sum": hashlib.sha1(mailto.encode()).hexdigest(),  # noqa: S324 - xAPI's own
            "account": self.actor["account"],
            "openid": None,  # the site gives no OpenID: one names someone else
        }
        return all(_identifier(actor, name) == expected[name] for name in expected if name in actor)


@dataclass(frozen=True)
class Checked:
    key: str
    statement: dict = field(repr=False)
    raw: float | None = None
    maximum: float | None = None
    scaled: float | None = None

    @property
    def has_result(self) -> bool:
        return self.scaled is not None


def parse(body: bytes):
    """The JSON value in `body`, or MalformedStatement saying why it cannot be read."""
    if len(body) > MAX_BYTES:
        raise StatementTooLarge(_("The statement is too large."))
    try:
        return json.loads(body or b"null", parse_constant=_refuse_constant, parse_float=_float)
    except MalformedStatement:
        raise
    except RecursionError as e:
        raise MalformedStatement(_("The statement is nested too deeply.")) from e
    except ValueError as e:  # also a body that is not UTF-8
        raise MalformedStatement(_("That is not JSON.")) from e


def _refuse_constant(name: str):
    """NaN, Infinity and -Infinity: Python reads them, JSON and the databases do not."""
    raise MalformedStatement(_("%(name)s is not a number JSON can hold.") % {"name": name})


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 reads as infinity
        raise MalformedStatement(_("%(number)s is too large a number.") % {"number": text[:20]})
    return value


def check_keepable(value) -> None:
    """Refuse a value the database cannot keep as it is (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise MalformedStatement(_("The statement is nested too deeply."))
        if isinstance(item, dict):
            for key, inner in item.items():
                _check_text(key)
                pending.append((inner, depth + 1))
        elif isinstance(item, list):
            pending.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            _check_text(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise MalformedStatement(_("The statement holds a number JSON cannot."))
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_INTEGER:
            raise MalformedStatement(_("The statement holds a number too large to keep exactly."))


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise MalformedStatement(_("The statement holds a NUL character."))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise MalformedStatement(_("The statement holds text that is not Unicode.")) from e


def statement_key(statement: dict) -> str:
    """The statement's own id if it has one, else a digest of its content: a resend is the same."""
    given = statement.get("id")
    if isinstance(given, str) and 0 < len(given) <= 64:
        return given
    canonical = json.dumps(statement, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check(statement, *, activity: str, learner: Learner) -> Checked:
    """The statement as it is kept (naming the learner by their account), and its result."""
    if not isinstance(statement, dict):
        raise MalformedStatement(_("A statement is a JSON object."))
    check_keepable(statement)
    if len(json.dumps(statement)) > MAX_BYTES:
        raise StatementTooLarge(_("The statement is too large."))
    for name in PARTS:
        _part(statement, name)
    object_id = _text(_part(statement, "object"), "id", "object")
    if object_id.split("?")[0] != activity:
        raise StatementError(_("The statement is about another activity."))
    _check_actor(_part(statement, "actor"), learner)
    kept = {**statement, "actor": learner.actor}
    checked = Checked(key=statement_key(kept), statement=kept)
    verb = _text(_part(statement, "verb"), "id", "verb")
    context_activities = _part(_part(statement, "context"), "contextActivities", "context")
    score = _part(statement, "result").get("score")
    if score is not None and not isinstance(score, dict):
        raise MalformedStatement(_("The score must be a JSON object."))
    if verb not in VERBS_WITH_RESULTS or context_activities.get("parent") or "?" in object_id:
        return checked
    if not score:
        return checked
    return Checked(key=checked.key, statement=kept, **_score(score))


def _part(container: dict, name: str, within: str = "statement") -> dict:
    """`container[name]`, which must be a JSON object if it is there at all."""
    value = container.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedStatement(
            _("The %(within)s's “%(name)s” must be a JSON object.")
            % {"within": within, "name": name}
        )
    return value


def _text(container: dict, name: str, within: str) -> str:
    value = container.get(name, "")
    if not isinstance(value, str):
        raise MalformedStatement(
            _("The %(within)s's “%(name)s” must be text.") % {"within": within, "name": name}
        )
    return value


def _identifier(actor: dict, name: str):
    """An actor's identifier, of the kind xAPI gives it (text, or an account object)."""
    value = actor[name]
    if name == "account":
        account = _part(actor, "account", "actor")
        home_page, account_name = account.get("homePage"), account.get("name")
        if not isinstance(home_page, str | None) or not isinstance(account_name, str | None):
            raise MalformedStatement(_("An account's homePage and name must be text."))
        return {"homePage": (home_page or "").rstrip("/"), "name": account_name}
    if not isinstance(value, str):
        raise MalformedStatement(_("The actor's “%(name)s” must be text.") % {"name": name})
    return value.lower() if name != "openid" else value


def _check_actor(actor: dict, learner: Learner) -> None:
    if actor.get("objectType", "Agent") != "Agent":
        raise StatementError(_("The statement names another person: a statement is about one."))
    if not learner.is_named_by(actor):
        raise StatementError(_("The statement names another person."))


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return float(value)


def _score(score: dict) -> dict:
    try:
        raw = _number(score["raw"])
        minimum = _number(score.get("min", 0))
        maximum = _number(score["max"])
    except (KeyError, TypeError) as e:
        raise StatementError(_("The score needs numbers for raw and max.")) from e
    span = maximum - minimum
    if not (span > 0 and math.isfinite(span) and minimum <= raw <= maximum):
        raise StatementError(_("The score is out of its own range."))
    return {"raw": raw, "maximum": maximum, "scaled": (raw - minimum) / span}
