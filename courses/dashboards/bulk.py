"""Rows written in bulk past the ORM's per-object work, for a population generated anew and
the summaries' rebuild: millions of rows, where `bulk_create` spends most of its time making
model instances and preparing each of their values one by one.

PostgreSQL takes the rows through COPY, with no statement and no round trip per row; SQLite
runs in this process, where a statement per row costs no round trip.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models

ROWS_PER_STATEMENT = 5000
# Fields whose values the database takes as they are (whole numbers, text, booleans, None).
AS_IS = (
    models.ForeignKey,
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.BooleanField,
)


def write_rows(table: str, columns: str, params: list[tuple]) -> None:
    """`params` into `table` (`table` and `columns` quoted, values prepared for the database)."""
    if not params:
        return
    if connection.vendor == "postgresql":
        copy = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy) as stream:
            for row in params:
                stream.write_row(row)
        return
    marks = ", ".join(["%s"] * len(params[0]))
    execute_in_batches(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608


def execute_in_batches(sql: str, params: list[tuple]) -> None:
    """`sql` once for each row of `params`, `ROWS_PER_STATEMENT` rows to an `executemany`."""
    with connection.cursor() as cursor:
        for start in range(0, len(params), ROWS_PER_STATEMENT):
            cursor.executemany(sql, params[start : start + ROWS_PER_STATEMENT])


def prepared(model: type[models.Model], name: str, value):
    """`value` of the field `name` as the database takes it: for a value many rows share (a
    JSON document, say), prepared once and passed to `insert` among its `prepared` names."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[tuple],
    *,
    prepared: Iterable[str] = (),
) -> int:
    """Insert `rows` into `model`'s table: each a tuple of the values of the fields `names`
    (attribute names: `user_id`, not `user`), as the model would store them; those of
    `prepared` are already prepared (`prepared()`). Every other column takes its field's
    default, prepared once: a field that is set when saved (`auto_now_add`) must be named.
    Nothing is validated and no signal is sent. Returns the number of rows."""
    meta = model._meta
    fields = {field.attname: field for field in meta.concrete_fields}
    given = [fields[name] for name in names]
    unnamed = [f for f in meta.concrete_fields if f.attname not in names and f is not meta.pk]
    if setting := [f.attname for f in unnamed if getattr(f, "auto_now_add", False)]:
        raise ValueError(f"{model.__name__}: name the fields set when saved: {setting}")
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in unnamed)
    skip = set(prepared)
    convert = [
        (i, fn)
        for i, field in enumerate(given)
        if field.attname not in skip and (fn := _converter(field)) is not None
    ]
    params = []
    for row in rows:
        if convert:
            row = list(row)
            for i, fn in convert:
                row[i] = fn(row[i])
        params.append((*row, *defaults))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [*given, *unnamed])
    write_rows(quote(meta.db_table), columns, params)
    return len(params)


def _converter(field):
    """How a value of `field` is prepared, or None where the database takes it as it is."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, AS_IS):
        return None
    return lambda value: field.get_db_prep_save(value, connection)
