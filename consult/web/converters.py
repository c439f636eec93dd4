"""URL converters: integers in a URL stay within the database's range.

Every `<int:...>` in a route names a row or a version number, stored in an
INTEGER column (32 bits on PostgreSQL, 64 on SQLite). A larger number cannot
name anything: the converter refuses it, so the route answers 404 instead of
passing the number to the database, which would raise (OverflowError on
SQLite, NumericValueOutOfRange on PostgreSQL).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

# The largest value of an SQL INTEGER column on PostgreSQL (signed 32 bits).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's int converter, matching only numbers a database INTEGER can hold."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def init_app(app: Flask) -> None:
    """Make every `<int:...>` in the app's routes a bounded one (before any route is added)."""
    app.url_map.converters["int"] = BoundedIntConverter


def bounded_int(value: str | None) -> int | None:
    """Return `value` as a positive database id, or None if it is not one.

    For query-string arguments: `bounded_int(request.args.get(name))`.
    Only ASCII digits count (str.isdigit() accepts "²", which int() refuses).
    """
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
