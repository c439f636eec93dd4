"""A moment in time as people read it: UTC first, then the round's own time, no seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask_babel import force_locale

from consult.moments import Moment

AT = datetime(2026, 12, 20, 17, 0, 42, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "text"),
    [
        ("UTC", "20 December 2026, 17:00 UTC"),
        ("Etc/UTC", "20 December 2026, 17:00 UTC"),
        ("Europe/Zurich", "20 December 2026, 17:00 UTC (18:00 Zurich)"),
        ("America/New_York", "20 December 2026, 17:00 UTC (12:00 New York)"),
        ("Asia/Tokyo", "20 December 2026, 17:00 UTC (21 December 2026, 02:00 Tokyo)"),
        ("Not/A_Zone", "20 December 2026, 17:00 UTC"),
        ("", "20 December 2026, 17:00 UTC"),
    ],
)
def test_one_form_for_every_zone(zone: str, text: str) -> None:
    assert Moment(AT, zone).text == text == str(Moment(AT, zone))


def test_any_offset_is_read_as_the_same_moment_and_a_naive_time_is_refused() -> None:
    geneva = AT.astimezone(timezone(timedelta(hours=1)))
    assert Moment(geneva, "Europe/Zurich") == Moment(AT, "Europe/Zurich")
    assert Moment(geneva).iso == "2026-12-20T17:00:42+00:00"
    with pytest.raises(ValueError):
        Moment(datetime(2026, 12, 20, 17, 0))


def test_summer_time_is_the_zone_s_own() -> None:
    assert Moment(datetime(2026, 7, 1, 12, tzinfo=UTC), "Europe/Zurich").text == (
        "1 July 2026, 12:00 UTC (14:00 Zurich)"
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "20 décembre 2026 à 17:00 UTC (18:00 à Zurich)"),
        ("ru", "20 декабря 2026\u202fг., 17:00 UTC (18:00, Цюрих)"),
        ("es", "20 de diciembre de 2026, 17:00 UTC (18:00 Zúrich)"),
        ("zh", "2026年12月20日，17:00 UTC （18:00 苏黎世）"),
        ("ar", "20 ديسمبر 2026، 17:00 UTC (18:00 بتوقيت زيورخ)"),
    ],
)
def test_a_moment_is_written_in_the_reader_s_language(app: Flask, language: str, text: str) -> None:
    with app.test_request_context(), force_locale(language):
        assert Moment(AT, "Europe/Zurich").text == text
