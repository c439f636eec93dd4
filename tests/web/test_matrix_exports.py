"""Downloading the matrix: exactly the filtered matrix each reader sees, as XLSX, CSV or DOCX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.test import TestResponse

from consult.models import Comment, Round, User
from consult.services import comments as comment_service
from consult.services import responses
from consult.services.matrix import filters as matrix_filters
from consult.services.matrix.query import matrix_page
from tests import factories
from tests.web.support import post_form, set_clock, sign_in

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=2)  # the anonymous round has closed, the others are open


@dataclass
class World:
    named: Round  # open, named: every participant sees every comment and who made it
    anonymous: Round  # open, not attributed
    beta: User  # a stakeholder of another organisation
    ours: Comment  # the users fixture's stakeholder's, on the named round, answered (unpublished)
    theirs: Comment  # beta's, on the named round, editorial
    withdrawn: Comment
    hidden_name: Comment  # beta's, on the anonymous round
    published: Comment  # beta's, on the anonymous round, answered and published


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> World:
    version = factories.version()
    set_clock(app, client, T0 + timedelta(hours=1))
    clauses = {c.key: c for c in version.clauses}
    named = factories.round_(
        version, opens_at=T0, closes_at=T0 + timedelta(days=5), title="Named round"
    )
    anonymous = factories.round_(
        version,
        opens_at=T0,
        closes_at=T0 + timedelta(days=1),
        title="Anonymous round",
        attribution="anonymous",
    )
    beta = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    secretariat = users["secretariat"]
    ours = factories.comment(
        named.id, users["stakeholder"], clauses["principle-dignity"], body="Our own remark."
    )
    responses.respond(ours.id, "accepted", "Draft answer, not published.", secretariat)
    theirs = factories.comment(
        named.id, beta, clauses["guideline-1.3"], body="Their remark.", type="editorial"
    )
    withdrawn = factories.comment(named.id, beta, None, body="Taken back.")
    comment_service.withdraw_comment(withdrawn.id, beta)
    hidden_name = factories.comment(anonymous.id, beta, None, body="=cmd|' /C calc'!A0")
    published = factories.comment(
        anonymous.id, beta, clauses["principle-dignity"], body="Published answer here."
    )
    responses.respond(published.id, "noted", "Thank you.", secretariat)
    set_clock(app, client, NOW)
    responses.publish_responses(anonymous.id, secretariat)
    return World(named, anonymous, beta, ours, theirs, withdrawn, hidden_name, published)


def download(client: FlaskClient, url: str) -> TestResponse:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def xlsx_rows(response: TestResponse) -> dict[str, list[dict[str, Any]]]:
    """Return each round sheet's rows as {header: value} dicts."""
    book = load_workbook(io.BytesIO(response.data))
    sheets = {}
    for name in book.sheetnames[1:]:
        rows = list(book[name].iter_rows(values_only=True))
        sheets[name] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return sheets


def everything(response: TestResponse) -> str:
    """Return every cell of a workbook as one text."""
    book = load_workbook(io.BytesIO(response.data))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_the_file_holds_exactly_the_filtered_matrix(
    app: Flask, client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["secretariat"])
    args = {"type": "substantive", "page": "2", "per_page": "25"}  # paging is ignored
    response = download(client, "/documents/sample/matrix.xlsx?type=substantive&page=2")
    sheets = xlsx_rows(response)
    every = matrix_page(
        users["secretariat"],
        "sample",
        matrix_filters.parse({**args, "page": "1", "per_page": "200"}),
        NOW,
    )
    # Tracking numbers are numbered per round: a row is its round and its number.
    shown = [(row.round_title, row.tracking_number) for row in every.rows]
    in_file = [(name, row["Tracking no."]) for name, rows in sheets.items() for row in rows]
    assert in_file == shown
    assert set(in_file) == {
        ("Named round", world.ours.tracking_number),
        ("Named round", world.withdrawn.tracking_number),
        ("Anonymous round", world.hidden_name.tracking_number),
        ("Anonymous round", world.published.tracking_number),
    }
    assert all(row["Type of comment"] == "te (Substantive)" for r in sheets.values() for row in r)
    about = load_workbook(io.BytesIO(response.data))["About"]
    assert ("Filter: Type of comment", "Substantive") in {
        (row[0], row[1]) for row in about.iter_rows(values_only=True)
    }


def test_file_name_and_headers(client: FlaskClient, users: dict[str, User], world: World) -> None:
    sign_in(client, users["drafter"])
    response = download(client, f"/documents/sample/matrix.xlsx?round={world.named.id}")
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=sample-matrix-round-{world.named.id}.xlsx"
    )
    assert "no-store" in response.headers["Cache-Control"]
    assert list(xlsx_rows(response)) == ["Named round"]
    response = download(client, "/documents/sample/matrix.csv?public=yes")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=sample-matrix-public.csv"
    )
    assert response.mimetype == "text/csv"
    response = download(client, "/documents/sample/matrix.docx")
    assert response.mimetype.endswith("wordprocessingml.document")
    assert len(Document(io.BytesIO(response.data)).tables) == 2


def test_staff_see_every_comment_answer_and_organisation(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["secretariat"])
    sheets = xlsx_rows(download(client, "/documents/sample/matrix.xlsx"))
    named = {row["Tracking no."]: row for row in sheets["Named round"]}
    assert named[world.ours.tracking_number]["Disposition"] == "Accepted"
    assert named[world.ours.tracking_number]["Answer revision"] == 1
    assert named[world.withdrawn.tracking_number]["Comments"] == "[Withdrawn] Taken back."
    anonymous = {row["Tracking no."]: row for row in sheets["Anonymous round"]}
    assert anonymous[world.hidden_name.tracking_number]["MB/NC"] == "BO (NGO)"
    assert anonymous[world.hidden_name.tracking_number]["Comments"] == "'=cmd|' /C calc'!A0"


def test_a_stakeholder_gets_what_the_matrix_shows_them(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["stakeholder"])
    response = download(client, "/documents/sample/matrix.xlsx")
    sheets = xlsx_rows(response)
    named = {row["Tracking no."]: row for row in sheets["Named round"]}
    # The answer to our comment is not published: neither it nor its revision shows.
    assert named[world.ours.tracking_number]["Disposition"] is None
    assert named[world.ours.tracking_number]["Observations of the secretariat"] is None
    assert named[world.ours.tracking_number]["Answer revision"] == 0
    assert named[world.theirs.tracking_number]["MB/NC"] == "BO (NGO)"
    anonymous = sheets["Anonymous round"]
    assert [row["Disposition"] for row in anonymous if row["Disposition"]] == ["Noted"]
    # Tracking numbers carry the organisation's code: blank for others in an anonymous round.
    assert not any(str(row["Tracking no."] or "").startswith("BO-") for row in anonymous)
    text = everything(response)
    assert "Draft answer, not published." not in text
    assert "BO (NGO)" not in {row["MB/NC"] for row in sheets["Anonymous round"]}
    assert {row["MB/NC"] for row in sheets["Anonymous round"]} <= {
        "Participant 1",
        "Participant 2",
    }


def test_a_hidden_comment_never_leaves_in_a_file(
    app: Flask, client: FlaskClient, users: dict[str, User], world: World
) -> None:
    version = world.named.version
    private = factories.round_(
        version,
        opens_at=T0,
        closes_at=T0 + timedelta(days=5),
        title="Private round",
        visibility="own_until_close",
    )
    factories.comment(private.id, world.beta, None, body="Only Beta and the secretariat.")
    sign_in(client, users["stakeholder"])
    for fmt in ("xlsx", "csv", "docx"):
        data = download(client, f"/documents/sample/matrix.{fmt}").data
        if fmt == "xlsx":
            text = everything(download(client, "/documents/sample/matrix.xlsx"))
        elif fmt == "csv":
            text = data.decode("utf-8-sig")
        else:
            document = Document(io.BytesIO(data))
            text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "Only Beta and the secretariat." not in text
        assert "Taken back." not in text  # beta withdrew it: others no longer see it
        assert "Draft answer, not published." not in text


def test_public_variant_names_no_person_and_follows_attribution(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["secretariat"])
    response = download(client, "/documents/sample/matrix.csv?public=yes")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    by_number = {row["Tracking no."]: row for row in rows if row["Round"] == "Named round"}
    # Not the withdrawn one.
    assert set(by_number) == {world.ours.tracking_number, world.theirs.tracking_number}
    assert by_number[world.ours.tracking_number]["Disposition"] == ""  # not published
    assert by_number[world.ours.tracking_number]["Answer revision"] == "0"
    anonymous = [row for row in rows if row["Round"] == "Anonymous round"]
    assert [row["Disposition"] for row in anonymous if row["Disposition"]] == ["Noted"]
    assert {row["MB/NC"] for row in anonymous} == {"Participant 1"}
    assert {row["Tracking no."] for row in anonymous} == {""}
    text = response.data.decode("utf-8-sig")
    for person in (users["stakeholder"], users["secretariat"], world.beta):
        assert person.name not in text
        assert person.email not in text
    assert "Beta Org" not in text
    assert "Draft answer, not published." not in text


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 403), ("anonymous", 302), ("stakeholder", 200)]
)
def test_who_may_download(
    client: FlaskClient, users: dict[str, User], world: World, role: str, status: int
) -> None:
    if role != "anonymous":
        sign_in(client, users[role])
    response = client.get("/documents/sample/matrix.xlsx")
    assert response.status_code == status
    if status != 200:
        assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_unknown_document_or_format(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["secretariat"])
    assert client.get("/documents/nowhere/matrix.xlsx").status_code == 404
    assert client.get("/documents/sample/matrix.pdf").status_code == 404


def download_with(client: FlaskClient, url: str, headers: dict[str, str]) -> bytes:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.data


def directions(client: FlaskClient, **headers: str) -> tuple[list[bool], list[bool], list[bool]]:
    """Download the XLSX and DOCX; say which sheets, tables and paragraphs run right to left."""
    xlsx = download_with(client, "/documents/sample/matrix.xlsx", headers)
    sheets = [
        bool(sheet.sheet_view.rightToLeft) for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
    ]
    document = Document(io.BytesIO(download_with(client, "/documents/sample/matrix.docx", headers)))
    tables = [table._tbl.tblPr.find(qn("w:bidiVisual")) is not None for table in document.tables]
    paragraphs = [
        p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
        for p in document.paragraphs
    ]
    return sheets, tables, paragraphs


@pytest.mark.parametrize(("language", "rtl"), [("ar-EG", True), ("en", False), ("fr", False)])
def test_the_files_run_the_way_the_reader_s_language_is_written(
    client: FlaskClient, users: dict[str, User], world: World, language: str, rtl: bool
) -> None:
    sign_in(client, users["secretariat"])
    sheets, tables, paragraphs = directions(client, **{"Accept-Language": language})
    assert sheets == [rtl] * 3  # "About" and the two rounds
    assert tables == [rtl] * 2
    assert paragraphs and set(paragraphs) == {rtl}


def test_the_language_chosen_on_the_switch_beats_the_browser_s(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["stakeholder"])
    assert post_form(client, "/language", {"language": "ar", "next": "/"}).status_code == 303
    sheets, tables, paragraphs = directions(client, **{"Accept-Language": "en"})
    assert all(sheets) and all(tables) and all(paragraphs)
    document = Document(io.BytesIO(download_with(client, "/documents/sample/matrix.docx", {})))
    assert document.paragraphs[0].text == "مصفوفة التعليقات"  # "Comment matrix"
