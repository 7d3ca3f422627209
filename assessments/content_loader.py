"""Reads the demo scenario quizzes in `assessments/content/` (format in its README).

Strict, like the course loader: a malformed quiz raises ContentError naming the file, the
question and the problem. The rules a whole quiz keeps (branching scenarios as graphs, points
and dimensions, the draw) are the CMS's own, in `validation`.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from cms.markdown_files import ContentError, front_matter, sections, to_html

from . import mrz, scoring, validation, vocabulary
from .blocks import MRZ_FAULT_CHOICES, parse_points, split_critical

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KINDS = {"single", "multiple", "true_false", "ordering", "mrz", "step"}
CHOICE = re.compile(
    r"^- \[( |x)\] (?P<text>.+?) -> (?P<feedback>.+?)"
    r"(?: \{(?P<points>[^}]*)\})?(?: => (?P<target>\S+))?$"
)
WHY = re.compile(r"^\s+why: (?P<reason>.+)$")  # under a critical choice: its reason
ITEM = re.compile(r"^\d+\. (?P<text>.+?) -> (?P<feedback>.+?)(?: \{(?P<points>[^}]*)\})?$")


@dataclass
class ChoiceSpec:
    id: str
    text: str
    feedback: str
    correct: bool = False
    points: dict[str, int] = field(default_factory=dict)
    target: str | None = None  # "q7" or "end:slug" in branching scenarios
    critical: list[str] = field(default_factory=list)  # dimensions taking it fails
    why: str = ""  # why it is critical, when its feedback does not say

    @property
    def reason(self) -> str:
        return (self.why or self.feedback) if self.critical else ""


@dataclass
class QuestionSpec:
    id: str
    kind: str
    prompt_html: str
    competencies: list[str]
    choices: list[ChoiceSpec]
    specimen: mrz.Specimen | None = None
    fault: str | None = None
    pin_order: bool = False  # shown as written in every attempt


@dataclass
class EndingSpec:
    slug: str
    title: str
    text_html: str


@dataclass
class QuizSpec:
    title: str
    slug: str
    course: str
    pass_mark: int
    dimensions: list[str]
    pass_on: list[str]
    draw: int | None
    introduction_html: str
    questions: list[QuestionSpec]
    endings: dict[str, EndingSpec]

    @property
    def is_branching(self) -> bool:
        return all(q.kind == "step" for q in self.questions)

    def scoring_questions(self) -> dict[str, scoring.Question]:
        return {q.id: to_scoring(q, self.dimensions) for q in self.questions}

    def questions_data(self) -> list[dict]:
        """The questions as the Quiz's StreamField stores them."""
        return [{"type": q.kind, "value": _block_value(q)} for q in self.questions]

    def endings_data(self) -> list[dict]:
        return [
            {"type": "ending", "value": {"slug": e.slug, "title": e.title, "text": e.text_html}}
            for e in self.endings.values()
        ]


def _block_value(question: "QuestionSpec") -> dict:
    value = {
        "key": question.id,
        "prompt": question.prompt_html,
        "competencies": ", ".join(question.competencies),
    }
    if question.kind == "mrz":
        s = question.specimen
        return {
            **value,
            "surname": s.surname,
            "given_names": s.given_names,
            "document_number": s.document_number,
            "birth_date": s.birth_date,
            "sex": s.sex,
            "expiry_date": s.expiry_date,
            "fault": question.fault,
        }
    choices = []
    for choice in question.choices:
        item = {
            "text": choice.text,
            "is_correct": choice.correct,
            "feedback": choice.feedback,
            "points": ", ".join(f"{k}: {v}" for k, v in choice.points.items()),
            "critical_on": ", ".join(choice.critical),
            "reason": choice.why,
        }
        if question.kind == "step":
            item["leads_to"] = choice.target
        choices.append(item)
    if question.kind != "ordering":
        value["pin_order"] = question.pin_order
    return {**value, "choices": choices}


def to_scoring(question: QuestionSpec, dimensions: list[str]) -> scoring.Question:
    return scoring.Question(
        id=question.id,
        kind=question.kind,
        dimensions=tuple(dimensions),
        choices=[
            scoring.Choice(
                c.id, c.correct, c.points, vocabulary.next_step(c.target), c.critical, c.reason
            )
            for c in question.choices
        ],
    )


def _points(text: str | None, where: str) -> tuple[dict[str, int], list[str]]:
    """Points and critical dimensions, from `{detection: 2, rights: -2, critical: rights}`."""
    points, critical = split_critical(text or "")
    try:
        return parse_points(points), critical
    except ValidationError as e:
        raise ContentError(f"{where}: {' '.join(e.messages)}") from e


def _question(qid: str, body: str, where: str, dimensions: list[str]) -> QuestionSpec:
    meta, prompt, choices = {}, [], []
    for line in body.splitlines():
        if match := CHOICE.match(line):
            points, critical = _points(match["points"], where)
            choices.append(
                ChoiceSpec(
                    id=vocabulary.choice_id(len(choices) + 1),
                    text=match["text"],
                    feedback=match["feedback"],
                    correct=line[3] == "x",
                    points=points,
                    target=match["target"],
                    critical=critical,
                )
            )
        elif (match := WHY.match(line)) and choices:
            choices[-1].why = match["reason"].strip()
        elif match := ITEM.match(line):
            points, critical = _points(match["points"], where)
            choices.append(
                ChoiceSpec(
                    id=f"i{len(choices) + 1}",
                    text=match["text"],
                    feedback=match["feedback"],
                    points=points,
                    critical=critical,
                )
            )
        elif line.startswith("? ") or (prompt and not choices and line.strip()):
            prompt.append(line[2:] if line.startswith("? ") else line)
        elif ":" in line and not prompt:
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    kind = meta.get("kind", "")
    if kind not in KINDS:
        raise ContentError(f"{where}: kind '{kind}' is not one of {sorted(KINDS)}")
    if not prompt:
        raise ContentError(f"{where}: the question needs a '? ' line")
    question = QuestionSpec(
        id=qid,
        kind=kind,
        prompt_html=to_html("\n".join(prompt)),
        competencies=[c.strip() for c in meta.get("competencies", "").split(",") if c.strip()],
        choices=choices,
        pin_order=_pin_order(meta.get("pin_order", "no"), kind, where),
    )
    if kind == "mrz":
        _mrz_question(question, meta, where, dimensions)
    return question


def _pin_order(text: str, kind: str, where: str) -> bool:
    if text not in ("yes", "no"):
        raise ContentError(f"{where}: pin_order is 'yes' or 'no', not '{text}'")
    if text == "yes" and kind in ("ordering", "mrz"):
        raise ContentError(f"{where}: pin_order is for choice questions, not {kind}")
    return text == "yes"


def _mrz_question(question: QuestionSpec, meta: dict, where: str, dimensions: list[str]) -> None:
    fields = [f.strip() for f in meta.get("specimen", "").split(",")]
    if len(fields) != 7:
        raise ContentError(f"{where}: specimen needs seven comma-separated values")
    state, surname, given, number, birth, sex, expiry = fields
    try:
        question.specimen = mrz.Specimen(state, surname, given, number, state, birth, sex, expiry)
    except mrz.SpecimenError as e:
        raise ContentError(f"{where}: {e}") from e
    question.fault = meta.get("fault", "")
    if question.fault not in mrz.FAULTS:
        raise ContentError(f"{where}: fault '{question.fault}' is not one of {list(mrz.FAULTS)}")
    question.choices = [
        ChoiceSpec(
            id=name,
            text=label,
            feedback="",
            correct=name == question.fault,
            points={dimensions[0]: 1} if name == question.fault else {},
        )
        for name, label in MRZ_FAULT_CHOICES
    ]


def _ending(slug: str, body: str, where: str) -> EndingSpec:
    title, _, text = body.partition("\n")
    if not title.startswith("title:"):
        raise ContentError(f"{where}: an ending starts with a 'title:' line")
    return EndingSpec(slug=slug, title=title[6:].strip(), text_html=to_html(text))


def for_validation(quiz: QuizSpec) -> validation.Quiz:
    return validation.Quiz(
        dimensions=quiz.dimensions,
        pass_on=quiz.pass_on,
        draw=quiz.draw,
        endings=list(quiz.endings),
        questions=[
            validation.Question(
                key=q.id,
                kind=q.kind,
                choices=[
                    validation.Choice(c.correct, c.points, c.target, tuple(c.critical))
                    for c in q.choices
                ],
            )
            for q in quiz.questions
        ],
    )


def check_quiz(quiz: QuizSpec, name: str) -> None:
    """The CMS's rules, each problem named by the question or setting it is in."""
    if found := validation.problems(for_validation(quiz)):
        lines = [f"{_place(quiz, p.where)}: {p.message}" for p in found]
        raise ContentError(f"{name}: " + "\n".join(lines))


def _place(quiz: QuizSpec, where: tuple) -> str:
    if where[0] == "questions" and len(where) > 1:
        place = f"Question {quiz.questions[where[1]].id}"
        return f"{place}, choice {where[3] + 1}" if len(where) > 3 else place
    if where[0] == "endings" and len(where) > 1:
        return f"Ending {list(quiz.endings)[where[1]]}"
    return str(where[0])


def parse_quiz(path: Path) -> QuizSpec:
    meta, rest = front_matter(path.read_text(encoding="utf-8"), path)
    dimensions = [d.strip() for d in meta.get("dimensions", "detection").split(",")]
    questions, endings, introduction = [], {}, ""
    for heading, body in sections(rest):
        kind, _, name = heading.partition(" ")
        where = f"{path.name} {heading}"
        if heading == "Introduction":
            introduction = to_html(body)
        elif kind == "Question":
            questions.append(_question(name, body, where, dimensions))
        elif kind == "Ending":
            endings[name] = _ending(name, body, where)
        else:
            raise ContentError(f"{where}: unknown section")
    quiz = QuizSpec(
        title=meta["title"],
        slug=meta["slug"],
        course=meta["course"],
        pass_mark=int(meta.get("pass_mark", 70)),
        dimensions=dimensions,
        pass_on=[d.strip() for d in meta.get("pass_on", dimensions[0]).split(",")],
        draw=int(meta["draw"]) if meta.get("draw") else None,
        introduction_html=introduction,
        questions=questions,
        endings=endings,
    )
    check_quiz(quiz, path.name)
    return quiz


def load_quizzes(directory: Path = CONTENT_DIR) -> list[QuizSpec]:
    return [parse_quiz(path) for path in sorted(directory.glob("*.md")) if path.name != "README.md"]


def load_quiz_translations(directory: Path = CONTENT_DIR) -> dict[str, list[tuple[Path, QuizSpec]]]:
    """The quizzes' translations, by language: `translations/<lang>/<quiz>.md`, parsed as
    strictly as the English (whether each grades as its quiz does is checked when loaded)."""
    found: dict[str, list[tuple[Path, QuizSpec]]] = {}
    for folder in sorted((directory / "translations").glob("*/")):
        for path in sorted(folder.glob("*.md")):
            found.setdefault(folder.name, []).append((path, parse_quiz(path)))
    return found
