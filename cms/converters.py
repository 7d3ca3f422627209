"""Path converters shared by every URL configuration of the site."""

from django.urls import register_converter

BIGINT_MAX = 2**63 - 1


class DatabaseIdConverter:
    """`<id:...>`: a row id, at most what a bigint column holds (ids are BigAutoField).

    A longer number is no route, so a 404, rather than an overflow in the database driver.
    Smaller ids beyond a 32-bit column (Wagtail's page ids) find no row: Django leaves such a
    lookup out of the query.
    """

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError("beyond a bigint")
        return number

    def to_url(self, value) -> str:
        return str(value)


def register():
    register_converter(DatabaseIdConverter, "id")
