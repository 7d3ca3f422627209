"""What the dashboards' tests share beside their fixtures."""

from courses.dashboards import selectors


def progress_as_the_orm_reads_it(scope, filters):
    """The progress rows in `scope` and `filters` (organisation, country, cohort, trainer,
    programme, course), by the ORM: what the learner lists, read as SQL written out, are
    checked against."""
    rows = selectors.progress_in(scope)
    for name, column in selectors.PROGRESS_COLUMN.items():
        value = getattr(filters, name)
        if value is None:
            continue
        if value == 0:
            rows = rows.filter(**{f"{column}__isnull": True})
        else:
            rows = rows.filter(**{column: value})
    if filters.course is not None:
        rows = rows.filter(course_id=filters.course)
    return rows
