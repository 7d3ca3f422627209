"""The words a scenario quiz is written in, kept in one place.

Authored choice ids: a question's choices are `c1`, `c2`, ... in the order the author wrote
them (an MRZ question names its faults instead). Attempts store answers in these ids, and the
scoring adapter, the statistics and the review read them back.

Tokens: the browser never sees an authored id. For an ordering question the authored order is
the answer, so `c1`, `c2`, ... would give it away; every choice of every kind is therefore
sent as a token that belongs to one attempt (an HMAC under SECRET_KEY of the attempt, the
question and the choice), and a question shows its choices sorted by token, an order of the
attempt's own that cannot be recomputed without the key (unless its author pinned the order).
A token from another attempt, or an authored id, is refused.

Targets: a scenario step's choice leads to another step's key, or to an ending, `end:<slug>`.
A scenario's answer is its path, the authored ids of the choices taken from the first step;
`trail` walks it.

Dimensions: a quiz scores on dimensions named by short keys (`detection`, `rights`, ...); the
learner reads them by their labels, never by the key.
"""

import re
from collections.abc import Mapping, Sequence

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import mrz, scoring
from .scoring import AnswerError, Choice, Question

ENDING_PREFIX = "end:"
_AUTHORED_ID = re.compile(r"c([1-9][0-9]*)")
_TOKEN_SALT = "flightpath.assessments.choice"  # noqa: S105 a salt, not a secret


DIMENSION_LABELS = {
    "detection": gettext_lazy("Detection"),
    "rights": gettext_lazy("Rights and dignity"),
    "integrity": gettext_lazy("Integrity"),
    "facilitation": gettext_lazy("Facilitation"),
}


def dimension_label(key: str) -> str:
    """What a learner reads for a dimension: its label, or for one not in the table yet, its
    key in words ("document_checks" reads "Document checks")."""
    if key in DIMENSION_LABELS:
        return str(DIMENSION_LABELS[key])
    words = " ".join(re.split(r"[\s_\-]+", str(key))).strip()
    return words[:1].upper() + words[1:]


def dimension_labels(keys: Sequence[str]) -> list[str]:
    return [dimension_label(key) for key in keys]


def labelled_scores(scores: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """(label, percent) for an attempt's (dimension, percent) pairs."""
    return [(dimension_label(key), percent) for key, percent in scores]


def choice_id(number: int) -> str:
    """The authored id of a question's `number`th choice, counting from 1."""
    return f"c{number}"


def choice_index(choice_id: str) -> int | None:
    """The position (from 0) in the authored list of the choice `choice_id` names, if any."""
    match = _AUTHORED_ID.fullmatch(choice_id) if isinstance(choice_id, str) else None
    return int(match[1]) - 1 if match else None


def authored(choices: Sequence) -> list[tuple[str, object]]:
    """(authored id, choice) for a block's list of choices, in authored order."""
    return [(choice_id(n), choice) for n, choice in enumerate(choices, start=1)]


def authored_choice(choices: Sequence, choice_id: str):
    """The authored choice `choice_id` names, or None."""
    index = choice_index(choice_id)
    return choices[index] if index is not None and index < len(choices) else None


def ending_target(slug: str) -> str:
    return f"{ENDING_PREFIX}{slug}"


def ending_slug(target: str | None) -> str | None:
    """The ending a target names, or None for a step."""
    if target and target.startswith(ENDING_PREFIX):
        return target.removeprefix(ENDING_PREFIX)
    return None


def next_step(target: str | None) -> str | None:
    """The step a target leads to; None at an ending (or with no target)."""
    return target if target and ending_slug(target) is None else None


def _walk(questions: Mapping[str, Question], start: str, path: Sequence):
    step = start
    for taken in path:
        if step is None or step not in questions or not isinstance(taken, str):
            raise AnswerError(_("That choice does not follow from the scenario so far."))
        leads_to = questions[step].choice(taken).leads_to
        yield step, taken
        step = leads_to


def trail(questions: Mapping[str, Question], start: str, path: Sequence) -> list[tuple[str, str]]:
    """The (step, choice) pairs of a scenario's `path` from `start`; refuses a choice that
    does not follow from the steps before it."""
    return list(_walk(questions, start, path))


def trail_followed(
    questions: Mapping[str, Question], start: str, path: Sequence
) -> list[tuple[str, str]]:
    """The pairs of `path` that follow from `start`, up to the first that does not (a path
    taken on an earlier revision of the scenario, read against the current one)."""
    pairs = []
    try:
        for pair in _walk(questions, start, path):
            pairs.append(pair)
    except AnswerError:
        pass
    return pairs


def choice_token(*, attempt_id: int, key: str, choice_id: str) -> str:
    """The identifier the browser sees for one choice of one question of one attempt."""
    value = f"{attempt_id}:{key}:{choice_id}"
    return salted_hmac(_TOKEN_SALT, value, algorithm="sha256").hexdigest()[:20]


def tokens(question: Question, *, attempt_id: int) -> dict[str, str]:
    """Authored id -> token for every choice of `question` in this attempt."""
    return {
        c.id: choice_token(attempt_id=attempt_id, key=question.id, choice_id=c.id)
        for c in question.choices
    }


def choice_from_token(question: Question, *, attempt_id: int, token) -> str:
    """The authored id of the choice `token` names; a forged or stale token is refused."""
    if isinstance(token, str):
        for authored_id, expected in tokens(question, attempt_id=attempt_id).items():
            if constant_time_compare(token, expected):
                return authored_id
    raise AnswerError(
        _("That answer does not belong to this attempt: reload the page and answer again.")
    )


def shown_order(question: Question, *, attempt_id: int, pinned: bool = False) -> list[Choice]:
    """The choices in the order the learner sees them: sorted by their tokens, an order of
    this attempt's own that nobody can undo without the key, so the first choice shown is no
    more likely to be the right one or the one written first. A question whose author pinned
    its order (a scale, "none of the above") keeps the authored order."""
    if pinned and question.kind != "ordering":
        return list(question.choices)
    named = tokens(question, attempt_id=attempt_id)
    return sorted(question.choices, key=lambda c: named[c.id])


def order_pinned(block) -> bool:
    """Whether a question block is shown in its authored order: an MRZ question's faults are a
    fixed list of fields, and an author may pin any other choice question but an ordering one,
    whose authored order is its answer."""
    if block.block_type == "mrz":
        return True
    return block.block_type != "ordering" and bool(block.value.get("pin_order"))


def choice_texts(quiz, key: str) -> dict[str, str]:
    """Authored id -> the text the learner reads for each choice of question `key`."""
    block = quiz.blocks_by_key[key]
    if block.block_type == "mrz":
        from .blocks import MRZ_FAULT_CHOICES  # blocks may come to use this module

        return {str(name): str(label) for name, label in MRZ_FAULT_CHOICES}
    return {cid: choice["text"] for cid, choice in authored(block.value["choices"])}


def shown_choices(quiz, key: str, *, attempt_id: int, answer=None) -> list[dict]:
    """What the learner sees of a question's choices: token, text, and their own answer so
    far (checked, or the position given), never correctness, points or authored ids."""
    question = quiz.scoring_question(key)
    texts, named = choice_texts(quiz, key), tokens(question, attempt_id=attempt_id)
    chosen = answer if isinstance(answer, list) else [answer]
    return [
        {
            "token": named[c.id],
            "text": texts[c.id],
            "checked": c.id in chosen,
            "position": chosen.index(c.id) + 1 if c.id in chosen else "",
        }
        for c in shown_order(
            question, attempt_id=attempt_id, pinned=order_pinned(quiz.blocks_by_key[key])
        )
    ]


def review(quiz, *, answers: dict, drawn: Sequence[str], reveal: bool = False) -> list[dict]:
    """Per question: what was chosen, its feedback, how it went (right, partly right, wrong or
    not answered) with the points per dimension and, if the quiz allows (or `reveal`, for an
    author), what was right. For a scenario, per step of the path taken: the choice, its
    feedback, its points and whether it is critical."""
    if quiz.is_branching:
        return [
            _step_review(quiz, step, taken)
            for step, taken in trail(
                quiz.scoring_questions(), quiz.first_step, answers.get("path", [])
            )
        ]
    show = reveal or quiz.show_correct_answers
    return [_question_review(quiz, key, answers.get(key), show) for key in drawn]


def critical_taken(quiz, taken) -> list[dict]:
    """The critical choices a grade found (scoring.Result.critical), as pages name them: the
    choice's text, the dimensions it failed and why."""
    return [
        {
            "text": choice_texts(quiz, c.question)[c.choice],
            "dimensions": list(c.dimensions),
            "reason": c.reason,
        }
        for c in taken
    ]


def answered(answer) -> bool:
    return answer not in (None, "", [])


def to_submit(quiz, *, answers: dict, drawn: Sequence[str]) -> list[dict]:
    """The questions as the review before submitting lists them: number, key, prompt and
    whether the attempt holds an answer to it yet (never whether it is right)."""
    return [
        {
            "number": number,
            "key": key,
            "block": quiz.blocks_by_key[key],
            "answered": answered(answers.get(key)),
        }
        for number, key in enumerate(drawn, start=1)
    ]


def _points(dimensions: Sequence[str], earned, possible=None) -> list[dict]:
    """Points per dimension in the quiz's order; with `possible`, only on the dimensions the
    question scores (a rights question is worth nothing on detection, not 0 of 1)."""
    if possible is not None:
        dimensions = [key for key in dimensions if key in possible]
    return [
        {
            "dimension": key,
            "label": dimension_label(key),
            "earned": float(earned.get(key, 0)),
            "possible": _number(possible[key]) if possible else None,
        }
        for key in dimensions
    ]


def _number(value) -> int | float:
    return int(value) if value == int(value) else float(value)


def _step_review(quiz, step: str, taken: str) -> dict:
    block = quiz.blocks_by_key[step]
    choice = authored_choice(block.value["choices"], taken)
    scored = quiz.scoring_question(step).choice(taken)
    return {
        "block": block,
        "chosen": [choice["text"]],
        "feedback": [choice["feedback"]] if choice["feedback"] else [],
        "points": _points(quiz.dimension_list, scored.points),
        "critical": list(scored.critical),
        "reason": scored.reason,
    }


def outcome(question: Question, answer, score: scoring.Score) -> str:
    """right, partly (some credit), wrong or unanswered. A single choice is right when it is
    the right one; a choice worth some points on a dimension is partly right."""
    if not answered(answer):
        return "unanswered"
    if question.kind in ("single", "true_false", "mrz"):
        if question.choice(answer).correct:
            return "right"
        return "partly" if any(score.earned.values()) else "wrong"
    earned, possible = sum(score.earned.values()), sum(score.possible.values())
    return "right" if earned == possible else "partly" if earned else "wrong"


def _score(question: Question, answer) -> scoring.Score:
    if answered(answer):
        return scoring.score_question(question, answer)
    possible = scoring.possible_points(question)
    return scoring.Score(earned={}, possible=possible)


def _question_review(quiz, key: str, answer, show: bool) -> dict:
    block, question = quiz.blocks_by_key[key], quiz.scoring_question(key)
    chosen = answer if isinstance(answer, list) else [answer] if answer else []
    texts = choice_texts(quiz, key)
    feedback = {}
    if block.block_type != "mrz":
        feedback = {cid: choice["feedback"] for cid, choice in authored(block.value["choices"])}
    right = [texts[c.id] for c in question.choices if c.correct or question.kind == "ordering"]
    score = _score(question, answer)
    return {
        "key": key,
        "block": block,
        "chosen": [texts.get(c, "") for c in chosen],
        "feedback": [feedback[c] for c in chosen if feedback.get(c)],
        "right": right if show else None,
        "ordered": question.kind == "ordering",
        "outcome": outcome(question, answer, score),
        "points": _points(quiz.dimension_list, score.earned, score.possible),
        # the working gives the answer away, so it comes with the right answers only
        "mrz_working": mrz.td3_working(quiz.specimen_lines(key)[1])
        if block.block_type == "mrz" and show
        else None,
    }


def ending(quiz, *, path: Sequence) -> dict | None:
    """The ending a scenario's last choice led to (None while it has not reached one)."""
    pairs = trail(quiz.scoring_questions(), quiz.first_step, path) if quiz.is_branching else []
    if not pairs:
        return None
    step, taken = pairs[-1]
    choice = authored_choice(quiz.blocks_by_key[step].value["choices"], taken)
    slug = ending_slug(choice.get("leads_to"))
    return quiz.endings_by_slug.get(slug) if slug else None
