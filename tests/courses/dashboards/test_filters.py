"""The dashboards' query strings: `Filters.queries`, which writes a table's links with the
filters' own values encoded once, gives what `Filters.query` gives link by link."""

import datetime

import pytest
from django.http import QueryDict

from courses.dashboards.selectors import Filters

FILTERS = [
    Filters(),
    Filters(by="country", country="KE", start=datetime.date(2026, 1, 1), scope="programmes"),
    Filters(
        by="trainer",
        organisation=7,
        course=3,
        status="completed",
        end=datetime.date(2026, 6, 1),
        labels={"organisation_slug": "kenya-police & co", "programme_identifier": "XM-1"},
        programme=4,
    ),
    Filters(by="course", cohort=0, trainer=0, country=""),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize(
    ("varying", "fixed", "values"),
    [
        (("country",), {}, {"country": "BJ"}),
        (("course", "cohort"), {"by": None, "status": ""}, {"course": 5, "cohort": "none"}),
        (("course",), {"by": None, "status": "in_progress"}, {"course": 9}),
        (("from", "to"), {"by": None}, {"from": "2026-03", "to": "2026-03"}),
        (
            ("completed",),
            {"by": None, "status": "completed", "from": None, "to": None},
            {"completed": "2026-04"},
        ),
        # A key the filters do not hold, and a value to be encoded.
        (("days",), {"by": None}, {"days": 30}),
        (("organisation",), {}, {"organisation": "Police nationale / Bénin"}),
    ],
)
def test_queries_give_what_query_gives(filters, varying, fixed, values):
    written = filters.queries(*varying, **fixed)(**values)
    assert written == filters.query(**fixed, **values)
    # ...and it reads back as the values it was given.
    read = QueryDict(written)
    for key, value in values.items():
        assert read.get(key) == str(value)
