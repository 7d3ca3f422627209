"""The attempt pages as a browser reads them: the form fields a learner can send."""

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "button") and dict(attrs).get("name"):
            self.fields.append(dict(attrs))


def form_fields(html: str) -> list[dict]:
    """Every named input and button of the page's main content (not the site's header and
    footer forms, such as the language switch), in page order, as attribute dicts."""
    parser = _Fields()
    start, end = html.find("<main"), html.rfind("</main>")
    parser.feed(html[start:end] if start >= 0 and end > start else html)
    return parser.fields


def question_fields(client, attempt, key: str) -> list[dict]:
    """The fields of question `key` on the attempt page, in the order the page shows them."""
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    return [f for f in form_fields(html) if f["name"].startswith(f"q-{key}")]


def step_buttons(client, attempt) -> list[str]:
    """The values of a scenario step's choice buttons, in page order."""
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").text
    return [f["value"] for f in form_fields(html) if f["name"] == "choice"]


def submit(client, attempt, data, **options):
    """Submit a quiz as a learner does: post the questions' form, then confirm on the review
    page, with the sequence number that page gives its confirmation."""
    client.post(f"/quizzes/attempts/{attempt.pk}/review/", data)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/review/").text
    sequence = next((f["value"] for f in form_fields(html) if f["name"] == "sequence"), "0")
    return client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/",
        {"sequence": sequence, "confirm": "1"},
        **options,
    )
