"""Tracking numbers carry the organisation's code: hidden in anonymous rounds, in every form."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from consult.models import User
from tests import factories
from tests.web.support import get_page, set_clock, sign_in

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)
URL = "/documents/sample/matrix"


@pytest.fixture
def anonymous(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """A closed, open-visibility round that does not attribute comments, with two other NGOs.

    Zeta Zulu (code ZZ) comments on the whole document first; Alpha Alpha (AA)
    then on a clause: their tracking numbers sort the other way round.
    """
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(
        version, opens_at=T0, closes_at=CLOSES, title="Anonymous", attribution="anonymous"
    )
    zeta = factories.user("stakeholder", factories.organisation(name="Zeta Zulu"))
    alpha = factories.user("stakeholder", factories.organisation(name="Alpha Alpha"))
    clause = next(c for c in version.clauses if c.key == "principle-dignity-p1")
    made = {
        "zeta": factories.comment(round_.id, zeta, None, body="Zeta on the whole text."),
        "alpha": factories.comment(round_.id, alpha, clause, body="Alpha on dignity."),
        "mine": factories.comment(round_.id, users["stakeholder"], clause, body="Mine."),
    }
    set_clock(app, client, CLOSES + timedelta(hours=1))
    return {"round": round_, "made": made, "zeta": zeta, "alpha": alpha}


def matrix_tracking(page: BeautifulSoup) -> list[str]:
    return [
        td.get_text(" ", strip=True)
        for td in page.select("table.matrix tbody tr[id^=comment-] td[data-label='Tracking no.']")
    ]


def test_tracking_numbers_do_not_name_an_anonymous_rounds_organisations(
    client: FlaskClient, users: dict[str, User], anonymous: dict[str, Any]
) -> None:
    made = anonymous["made"]
    assert made["zeta"].tracking_number.startswith("ZZ-")
    sign_in(client, users["stakeholder"])
    page = get_page(client, URL)
    text = page.get_text()
    assert made["zeta"].tracking_number not in text
    assert made["alpha"].tracking_number not in text
    # Their own comment keeps its number, as on the comment pages.
    assert made["mine"].tracking_number in text
    assert len(matrix_tracking(page)) == 3


def test_sorting_by_tracking_number_does_not_order_by_hidden_organisations(
    client: FlaskClient, users: dict[str, User], anonymous: dict[str, Any]
) -> None:
    made = anonymous["made"]
    sign_in(client, users["stakeholder"])
    page = get_page(client, URL + "?view=flat&sort=tracking")
    ids = [tr["id"] for tr in page.select("table.matrix tbody tr[id^=comment-]")]
    # By tracking number Alpha's ("AA-001") would come before Zeta's ("ZZ-001"); hidden,
    # both fall back to document order (the whole document first).
    assert ids.index(f"comment-{made['zeta'].id}") < ids.index(f"comment-{made['alpha'].id}")


def test_exports_carry_no_hidden_tracking_number(
    app: Flask, client: FlaskClient, users: dict[str, User], anonymous: dict[str, Any]
) -> None:
    made = anonymous["made"]
    hidden = {made["zeta"].tracking_number, made["alpha"].tracking_number}
    sign_in(client, users["stakeholder"])
    book = load_workbook(io.BytesIO(client.get(URL + ".xlsx").data), read_only=True)
    cells = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
    assert not hidden & cells
    assert made["mine"].tracking_number in cells
    staff = app.test_client()
    sign_in(staff, users["secretariat"])
    public = staff.get(URL + ".csv?public=yes")
    assert public.status_code == 200
    rows = list(csv.DictReader(io.StringIO(public.data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 3
    assert {row["Tracking no."] for row in rows} == {""}
    assert not any(number in public.data.decode("utf-8-sig") for number in hidden)
