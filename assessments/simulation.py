"""Naive learners take a published quiz the way a person does: through its attempt pages.

A learner here is a throwaway verified member who starts attempts, reads each page's HTML for
the choices it shows (their labels and the values the page posts) and answers by the look of
them (`audit.NAIVE_LEARNERS`), never by the quiz's scoring data. Everything runs in one
transaction that is rolled back: no learner, attempt or completion outlives the audit, and the
signal that records a pass fires only on commit, so it never fires.
"""

import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from html.parser import HTMLParser

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from cms.accounts.models import Audience, Membership, Organisation, User

from . import audit
from .models import Attempt, Quiz, quiz_at_revision

Pick = Callable[[Sequence[tuple[str, str]]], str]  # (value, label) pairs -> the value chosen
_ATTEMPT_URL = re.compile(r"/attempts/(\d+)/")


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that never commits whatever happens inside it."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def pass_rates(quiz: Quiz, learners: dict[str, Pick], *, attempts: int = 200) -> dict[str, float]:
    """Per learner, the share of `attempts` fresh attempts at `quiz` that pass."""
    with rolled_back():
        user = _learner(quiz)
        client = _client_for(user)
        return {
            name: sum(_take(client, user, quiz, pick) for _n in range(attempts)) / attempts
            for name, pick in learners.items()
        }


def quiz_audit(quiz: Quiz, *, attempts: int = 200, translation: Quiz | None = None):
    """The audit of a published quiz: its paths (a branching scenario) and naive learners;
    with `translation` (one of the quiz's), naive learners reading it in that translation's
    language, as they take the quiz under its prefix (/fr/quizzes/...)."""
    if translation is None:
        return _audit(quiz, attempts, settings.LANGUAGE_CODE)
    with override(translation.locale.language_code):
        found = _audit(quiz, attempts, translation.locale.language_code)
    same = translation.grading_structure() == quiz.grading_structure()
    return replace(found, grades_as_source=same)


def _audit(quiz: Quiz, attempts: int, language: str) -> audit.QuizAudit:
    published = quiz_at_revision(quiz.live_revision_id)
    questions = published.scoring_questions()
    paths = passing = None
    with_critical = 0
    if published.is_branching:
        audits = audit.audit_paths(
            questions,
            published.first_step,
            pass_mark=published.pass_mark,
            pass_on=published.pass_on_list,
        )
        paths, passing, with_critical = audit.path_counts(audits)
    rates = pass_rates(quiz, audit.NAIVE_LEARNERS, attempts=attempts)
    return audit.QuizAudit(
        slug=quiz.slug,
        paths=paths,
        passing_paths=passing,
        passing_with_critical=with_critical,
        critical_choices=audit.critical_choice_count(questions),
        first_option_pass_rate=rates["first_option"],
        longest_option_pass_rate=rates["longest_option"],
        language=language,
    )


def _learner(quiz: Quiz) -> User:
    """A verified member who may open the quiz (for a trainers' quiz, a trainer who is staff,
    as the trainers' audience is for certified trainers and staff, with the second factor the
    site asks them for)."""
    tag = secrets.token_hex(6)
    user = User.objects.create_user(
        email=f"naive-learner-{tag}@audit.invalid", is_staff=quiz.audience == Audience.TRAINERS
    )
    organisation = Organisation.objects.create(
        name=f"Quiz audit {tag}",
        slug=f"quiz-audit-{tag}",
        country="KE",
        kind=Organisation.Kind.TRAINING_INSTITUTE,
    )
    role = Membership.Role.TRAINER if quiz.audience == Audience.TRAINERS else None
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role or Membership.Role.LEARNER,
        status=Membership.Status.VERIFIED,
    )
    if role:
        from allauth.mfa.models import Authenticator

        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


def _client_for(user: User) -> Client:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    client = Client(SERVER_NAME=hosts[0] if hosts else "localhost")
    client.force_login(user)
    return client


def _take(client: Client, user: User, quiz: Quiz, pick: Pick) -> bool:
    """One attempt from start to result, answered by `pick`; whether it passed."""
    Attempt.objects.filter(user=user, quiz=quiz).delete()  # a fresh start, whatever the limit
    response = _post(client, reverse("assessments:start", args=[quiz.slug]), {})
    attempt_id = int(_ATTEMPT_URL.search(response["Location"])[1])
    page = reverse("assessments:attempt", args=[attempt_id])
    while (response := client.get(page, secure=True)).status_code == 200:
        html = response.content.decode()
        if buttons := _Page.read(html).buttons:  # a scenario step
            _post(
                client, reverse("assessments:choose", args=[attempt_id]), {"choice": pick(buttons)}
            )
        else:
            _submit(client, attempt_id, _answers(html, pick))
    return bool(Attempt.objects.get(pk=attempt_id).passed)


def _submit(client: Client, attempt_id: int, answers: dict) -> None:
    """Post the answers, then confirm them on the review page, as a person submits a quiz."""
    review = reverse("assessments:review", args=[attempt_id])
    _post(client, review, answers)
    hidden = _Page.read(client.get(review, secure=True).content.decode()).hidden
    confirm = {"sequence": hidden.get("sequence", ""), "confirm": "1"}
    _post(client, reverse("assessments:submit", args=[attempt_id]), confirm)


def _post(client: Client, url: str, data: dict):
    response = client.post(url, data, secure=True)
    if response.status_code != 302:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def _answers(html: str, pick: Pick) -> dict:
    """The whole form, answered: one choice per question, items numbered in picking order."""
    page = _Page.read(html)
    data = {"sequence": page.hidden.get("sequence", "1")}
    for question in page.questions:
        if question and question[0]["type"] == "number":  # items to put in order
            left = [(c["name"], c["label"]) for c in question]
            for position in range(1, len(left) + 1):
                name = pick(left)
                data[name] = str(position)
                left = [item for item in left if item[0] != name]
        elif question:
            data[question[0]["name"]] = pick([(c["value"], c["label"]) for c in question])
    return data


class _Page(HTMLParser):
    """What a learner can act on: step buttons, and each question's inputs with their labels."""

    def __init__(self):
        super().__init__()
        self.buttons: list[tuple[str, str]] = []
        self.questions: list[list[dict]] = []
        self.hidden: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._label_for = self._button = None
        self._text: list[str] = []

    @classmethod
    def read(cls, html: str) -> "_Page":
        page = cls()
        page.feed(html)
        for question in page.questions:
            for control in question:
                control["label"] = page._labels.get(control.get("id", ""), "")
        return page

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "fieldset" and "question" in attrs.get("class", "").split():
            self.questions.append([])
        elif tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs.get("name", "")] = attrs.get("value", "")
        elif tag == "input" and attrs.get("name", "").startswith("q-") and self.questions:
            self.questions[-1].append(attrs)
        elif tag == "label" and attrs.get("for"):
            self._label_for, self._text = attrs["for"], []
        elif tag == "button" and attrs.get("name") == "choice":
            self._button, self._text = attrs.get("value", ""), []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text).split())
        if tag == "label" and self._label_for:
            self._labels[self._label_for], self._label_for = text, None
        elif tag == "button" and self._button is not None:
            self.buttons.append((self._button, text))
            self._button = None
