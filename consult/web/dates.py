"""The calendar a form accepts: dates and times between 1900 and 2999.

Python's dates end at years 1 and 9999: a time near either end moved to
another time zone (or a day added to it) leaves the calendar and raises
OverflowError. No consultation needs such dates, so every date and date-time
field of a form carries `within_calendar`, which answers them with a form
error, and code that converts a typed time between zones checks it first.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError

FIRST_YEAR = 1900
LAST_YEAR = 2999


def in_calendar(value: date | datetime | None) -> bool:
    """Whether `value` (a date or a date-time, any zone) lies in the years a form accepts."""
    return value is None or FIRST_YEAR <= value.year <= LAST_YEAR


def within_calendar(_form: FlaskForm, field: Field) -> None:
    """A WTForms validator: refuse a date or date-time before 1900 or after 2999."""
    check_in_calendar(field.data)


def check_in_calendar(value: date | datetime | None) -> None:
    """Raise the form error for `value` if it lies outside the years a form accepts."""
    if not in_calendar(value):
        raise ValidationError(
            _(
                "Enter a date between the years %(first)s and %(last)s.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
