"""The demo data at work: the secretariat signs in and finds a matrix to work in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, Round
from consult.services import demo
from tests.web.support import get_page, login, set_clock

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
NOW = datetime(2027, 3, 10, 11, 30, tzinfo=UTC)
PASSWORD = "demo-test-password"


@pytest.fixture
def loaded(app: Flask, client: FlaskClient) -> demo.DemoReport:
    """The demo, loaded at a fixed moment."""
    set_clock(app, client, NOW)
    return demo.load_demo(DRAFTS, PASSWORD)


def round_comments(title: str) -> list[Comment]:
    round_ = db.session.scalars(select(Round).where(Round.title == title)).one()
    return list(db.session.scalars(select(Comment).where(Comment.round_id == round_.id)))


def rows_by_number(html: BeautifulSoup) -> dict[str, Tag]:
    """The matrix's comment rows by the tracking number they show, with the round's title."""
    found: dict[str, Tag] = {}
    group = ""
    for row in html.select("table.matrix tbody tr"):
        if "clause-row" in (row.get("class") or []):
            group = row.get_text(" ", strip=True)
            continue
        number = row.select_one("td a")
        assert number is not None
        round_title = "Second" if "Second expert meeting" in group else "First"
        found[f"{round_title} {number.get_text(strip=True)}"] = row
    return found


def test_the_secretariat_signs_in_and_finds_the_working_table(
    loaded: demo.DemoReport, client: FlaskClient
) -> None:
    login(client, "secretariat@consult.example", PASSWORD)
    html = get_page(client, "/documents/human-rights-borders/matrix?per_page=100")
    rows = rows_by_number(html)
    assert len(rows) == loaded.comments
    first = round_comments("First expert meeting")
    assert {f"First {c.tracking_number}" for c in first} <= set(rows)
    withdrawn = [c for c in first if c.is_withdrawn]
    assert [k for k, row in rows.items() if "withdrawn" in (row.get("class") or [])] == [
        f"First {withdrawn[0].tracking_number}"
    ]
    emailed = [c for c in first if c.channel == "email"]
    for comment in emailed:
        row = rows[f"First {comment.tracking_number}"]
        assert "by e-mail" in row.get_text(" ")
        assert comment.paragraph in [td.get_text(strip=True) for td in row.select("td")]
    # Answers to work on: some rows answered, others waiting, each with a form.
    chosen = [
        row.select_one("select[name=disposition] option[selected]")
        for k, row in rows.items()
        if k.startswith("First") and row.select_one("select[name=disposition]")
    ]
    assert any(chosen) and not all(chosen)
    # What became of the clauses in version 3.
    fates = " ".join(row.select("td")[-1].get_text(" ", strip=True) for row in rows.values())
    assert "Changed" in fates and "Unchanged" in fates


def test_a_stakeholder_sees_the_demo_rounds_as_their_rules_allow(
    loaded: demo.DemoReport, client: FlaskClient
) -> None:
    login(client, "germany@consult.example", PASSWORD)
    html = get_page(client, "/documents/human-rights-borders/matrix?per_page=100")
    rows = rows_by_number(html)
    first = round_comments("First expert meeting")
    second = round_comments("Second expert meeting")
    own = [c for c in second if c.organisation.name == "Germany"]
    assert len(own) == 1 and len(second) > 1
    # The first round is open and named: every comment not withdrawn, no answer before publication.
    assert {k for k in rows if k.startswith("First")} == {
        f"First {c.tracking_number}" for c in first if not c.is_withdrawn
    }
    assert not html.select("table.matrix select, table.matrix textarea")
    for comment in first:
        if comment.response is not None:
            assert comment.response.explanation not in html.get_text(" ")
    # The second round is open, own comments only until it closes.
    assert {k for k in rows if k.startswith("Second")} == {f"Second {own[0].tracking_number}"}
