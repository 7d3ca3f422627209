"""Hypothesis strategies for what a person, a script or an attacker can post to a form."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each example is a request against the test database; the database and the signed-in client are
# shared by the examples of one test, which only ask that nothing answers with a server error.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "²",
    "-1",
    "0",
    "1e400",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "%",
    "'",
    '"',
    "\\",
    "<script>alert(1)</script>",
    "email,role",
    "a@b",
    "x@example.org",
    "\u202e",
    "\ufeff",
]


def long_text(sizes=(1_000, 131_073, 200_000)):
    """A character repeated past the limits of parsers and columns."""
    # Any character a browser can send: a lone surrogate cannot be encoded in a request at all.
    character = st.characters(exclude_categories=["Cs"])
    return st.builds(lambda c, n: c * n, character, st.sampled_from(sizes))


# A value as a form field: a nasty string, any text, or very long text.
field = st.one_of(
    st.sampled_from(NASTY), st.integers().map(str), st.text(max_size=300), long_text()
)


# A whole form: known field names (or any) mapped to one value or several.
def form(*names):
    name = st.sampled_from(names) | st.text(min_size=1, max_size=20) if names else st.text()
    value = field | st.lists(field, min_size=2, max_size=3)
    return st.dictionaries(name, value, max_size=4)


# Ids as the URL's int converter passes them, up to what a database integer holds; larger ones are
# for the URL patterns to refuse.
row_id = st.integers(min_value=0, max_value=2**63 - 1)
slug = st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True)
