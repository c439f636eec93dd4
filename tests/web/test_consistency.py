"""One way of writing on every page (issue 12, "Consistency"): the same moment reads the
same wherever it is shown, counts take the plural form their number asks for, and the
secretariat's answer is called an answer.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from consult.models import User
from consult.services import responses
from tests import factories
from tests.web.support import fresh, get_page, set_clock, sign_in

T0 = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
# 17:00 UTC is 18:00 in Zurich in December; the round is held in Zurich's time zone.
CLOSES = datetime(2026, 12, 20, 17, 0, tzinfo=UTC)
CLOSES_TEXT = "20 December 2026, 17:00 UTC (18:00 Zurich)"


def squash(value: str) -> str:
    return " ".join(value.split())


def times_at(page: BeautifulSoup, at: datetime) -> list[str]:
    """The text of every <time> element on the page that stands for `at`."""
    iso = at.isoformat(timespec="seconds")
    return [squash(t.get_text()) for t in page.select("main time") if t.get("datetime") == iso]


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """An open round held in Zurich, a comment of the stakeholder's organisation on it."""
    version = factories.version()
    set_clock(app, client, T0)
    round_ = factories.round_(
        version,
        opens_at=T0 - timedelta(days=1),
        closes_at=CLOSES,
        title="Zurich consultation",
        time_zone="Europe/Zurich",
        place="Zurich",
        meeting_starts_on=date(2027, 1, 12),
        meeting_ends_on=date(2027, 1, 13),
    )
    comment = factories.comment(round_.id, users["stakeholder"], version.clauses[2])
    return {"round": round_, "version": version, "comment": comment}


def test_a_rounds_closing_time_reads_the_same_on_every_page(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    sign_in(client, users["stakeholder"])
    pages = {
        "home": "/",
        "rounds list": "/rounds",
        "round page": f"/rounds/{round_id}",
        "round's comments": f"/rounds/{round_id}/comments",
        "our comments": "/our-comments",
        "version": f"/documents/sample/v1?round={round_id}",
    }
    shown = {name: times_at(get_page(client, url), CLOSES) for name, url in pages.items()}
    # Each page shows the closing time at least once, and always in the one form.
    assert {name: sorted(set(texts)) for name, texts in shown.items()} == {
        name: [CLOSES_TEXT] for name in pages
    }


def test_a_rounds_times_read_in_the_audit_log_as_the_events_own_time_in_utc(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["admin"])
    page = get_page(client, "/admin/audit?action=round.create")
    details = [squash(li.get_text(" ")) for li in page.select("ul.details li")]
    # Stored as ISO 8601; shown as every other moment of the log: in UTC, without seconds.
    assert "closes_at: 20 December 2026, 17:00 UTC" in details
    assert "opens_at: 9 December 2026, 12:00 UTC" in details
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", page.select_one("main").get_text())
    assert times_at(page, CLOSES) == ["20 December 2026, 17:00 UTC"]


def test_a_rounds_meeting_reads_the_same_on_the_home_page_and_the_pdf_cover(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    from consult.services.consolidated.gather import round_facts

    sign_in(client, users["stakeholder"])
    item = get_page(client, "/").select_one(f"li.home-item[data-round='{world['round'].id}']")
    meeting = "12 January 2027 to 13 January 2027, Zurich"
    assert f"Meeting: {meeting}" in squash(item.get_text(" "))
    fresh()
    assert round_facts(world["round"]).meeting == meeting


@pytest.mark.parametrize(
    ("unanswered", "sentence"),
    [
        (1, "1 comment has no saved answer yet: it will be shown without one."),
        (2, "2 comments have no saved answer yet: they will be shown without one."),
    ],
)
def test_the_publishing_confirmation_counts_unanswered_comments_in_the_right_number(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    world: dict[str, Any],
    unanswered: int,
    sentence: str,
) -> None:
    round_ = world["round"]
    for _ in range(unanswered - 1):
        factories.comment(round_.id, users["stakeholder"], world["version"].clauses[3])
    set_clock(app, client, CLOSES + timedelta(hours=1))
    sign_in(client, users["secretariat"])
    said = squash(get_page(client, f"/rounds/{round_.id}/responses/publish").get_text(" "))
    assert sentence in said
    other = "comments have" if unanswered == 1 else "comment has"
    assert f"{unanswered} {other}" not in said


def test_the_secretariats_answer_is_called_an_answer_on_the_pages_that_show_it(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    round_, comment = world["round"], world["comment"]
    set_clock(app, client, CLOSES + timedelta(hours=1))
    responses.respond(comment.id, "accepted", "Taken up.", users["secretariat"])
    responses.publish_responses(round_.id, users["secretariat"])
    sign_in(client, users["secretariat"])
    answers_page = get_page(client, f"/rounds/{round_.id}/responses")
    assert squash(answers_page.find("h1").get_text()) == (
        "Answers to the comments of Zurich consultation"
    )
    round_page = get_page(client, f"/rounds/{round_.id}")
    assert "Answers published at" in [dt.get_text(strip=True) for dt in round_page.select("dt")]
    stakeholder = app.test_client()
    sign_in(stakeholder, users["stakeholder"])
    home = get_page(stakeholder, "/")
    assert "Answers published to you" in [h.get_text(strip=True) for h in home.select("h2")]
    shown = get_page(stakeholder, f"/comments/{comment.id}")
    assert "Answer of the secretariat" in [h.get_text(strip=True) for h in shown.select("h2")]
    for page in (answers_page, round_page, home, shown):
        main = page.select_one("main").get_text(" ")
        assert not re.search(r"\bRespons", main), main
