"""The offline round trip: download the matrix as XLSX, fill it in, upload it, preview, confirm.

Files are made by the matrix's own download and changed with openpyxl, as a
person would in Excel; bad files are made here too.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from werkzeug.test import TestResponse

from consult.extensions import db
from consult.models import Comment, Response, Round, Upload, User
from consult.services import comments as comment_service
from consult.services import responses
from tests import factories
from tests.web.support import (
    audit_actions,
    count,
    csrf_token,
    fresh,
    set_clock,
    sign_in,
    soup,
    without_bdi,
)

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SHEET = "Expert meeting"


@dataclass
class World:
    round: Round
    unanswered: Comment
    answered: Comment  # answered "Not accepted" with observations that begin with "-"
    second: Comment
    withdrawn: Comment


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> World:
    version = factories.version()
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(version, opens_at=T0, closes_at=T0 + timedelta(days=5), title=SHEET)
    clauses = {c.key: c for c in version.clauses}
    stakeholder = users["stakeholder"]
    unanswered = factories.comment(round_.id, stakeholder, clauses["principle-dignity"])
    answered = factories.comment(round_.id, stakeholder, None, body="On the whole text.")
    responses.respond(
        answered.id, "not_accepted", "- outside the scope of the text", users["secretariat"]
    )
    second = factories.comment(round_.id, stakeholder, clauses["guideline-1.3"], body="Later.")
    withdrawn = factories.comment(round_.id, stakeholder, None, body="Taken back.")
    comment_service.withdraw_comment(withdrawn.id, stakeholder)
    sign_in(client, users["secretariat"])
    return World(round_, unanswered, answered, second, withdrawn)


def downloaded(client: FlaskClient) -> Any:
    """Return the matrix as the secretariat downloads it, opened for editing."""
    response = client.get("/documents/sample/matrix.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def fill(book: Any, tracking: str, disposition: Any, observations: Any = None) -> None:
    """Type a disposition and observations into the row of `tracking`, as in Excel."""
    sheet = book[SHEET]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Tracking no.")].value == tracking:
            row[headers.index("Disposition")].value = disposition
            row[headers.index("Observations of the secretariat")].value = observations
            return
    raise AssertionError(tracking)


def saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: FlaskClient, content: bytes, name: str = "matrix.xlsx") -> TestResponse:
    return client.post(
        "/documents/sample/matrix/answers-upload",
        data={"csrf_token": csrf_token(client), "answers_file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def preview_of(client: FlaskClient, response: TestResponse) -> tuple[str, BeautifulSoup]:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    page = client.get(location)
    assert page.status_code == 200
    return location, soup(page)


def table_rows(page: BeautifulSoup, css: str) -> list[list[str]]:
    table = page.select_one(f"table.{css}")
    if table is None:
        return []
    table = without_bdi(table)
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr")
    ]


def counts(page: BeautifulSoup) -> dict[str, str]:
    return {
        li["class"][0]: li.strong.get_text(strip=True) for li in page.select("ul.upload-counts li")
    }


def stored(comment: Comment) -> tuple[str, str, int] | None:
    fresh()
    response = db.session.scalar(select(Response).where(Response.comment_id == comment.id))
    if response is None:
        return None
    return response.disposition, response.explanation, response.revision


def post_step(client: FlaskClient, location: str, step: str) -> TestResponse:
    return client.post(f"{location}/{step}", data={"csrf_token": csrf_token(client)})


def test_the_round_trip_saves_the_answers_filled_in(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    book = downloaded(client)
    # As people type them: a label in any case, a code, observations with a line break.
    fill(book, world.unanswered.tracking_number, "accepted in PART", "Clause 3 now says so.")
    fill(book, world.second.tracking_number, "addressed_elsewhere", "See Guideline 2.\nThanks.")
    location, page = preview_of(client, upload(client, saved(book)))
    assert count(Upload) == 1  # the file waits for the confirmation
    assert counts(page) == {
        "count-changes": "2",
        "count-conflicts": "0",
        "count-errors": "0",
        # the answered row (its "- ..." observations came back with the download's quote)
        # and the withdrawn one, left empty
        "count-unchanged": "2",
    }
    # In the order of the file: whole-document comments first, then clause order.
    assert table_rows(page, "answer-changes") == [
        [
            world.unanswered.tracking_number,
            SHEET,
            f"Row 4 of “{SHEET}”",
            "No answer",
            "Accepted in part Clause 3 now says so.",
        ],
        [
            world.second.tracking_number,
            SHEET,
            f"Row 5 of “{SHEET}”",
            "No answer",
            "Addressed elsewhere See Guideline 2. Thanks.",
        ],
    ]
    assert stored(world.unanswered) is None  # nothing is saved by the preview
    response = post_step(client, location, "confirm")
    assert response.status_code == 200
    result = soup(response)
    assert result.select_one(".upload-summary").get_text(strip=True) == "2 answers were saved."
    assert stored(world.unanswered) == ("accepted_in_part", "Clause 3 now says so.", 1)
    assert stored(world.second) == ("addressed_elsewhere", "See Guideline 2.\nThanks.", 1)
    assert stored(world.answered) == ("not_accepted", "- outside the scope of the text", 1)
    assert audit_actions()[-2:] == ["response.create", "response.create"]
    assert count(Upload) == 0
    # The file is gone: its preview and a second confirmation say so.
    assert client.get(location).status_code == 404
    assert post_step(client, location, "confirm").status_code == 404


def test_a_changed_answer_is_saved_with_the_upload_s_own_audit_action(
    client: FlaskClient, world: World
) -> None:
    book = downloaded(client)
    fill(book, world.answered.tracking_number, "Noted", "")
    location, page = preview_of(client, upload(client, saved(book)))
    assert table_rows(page, "answer-changes") == [
        [
            world.answered.tracking_number,
            SHEET,
            f"Row 2 of “{SHEET}”",
            "Not accepted - outside the scope of the text",
            "Noted",
        ]
    ]
    assert post_step(client, location, "confirm").status_code == 200
    assert stored(world.answered) == ("noted", "", 2)
    assert audit_actions()[-1] == "response.upload"


def test_a_row_answered_on_the_platform_since_the_download_is_a_conflict(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    book = downloaded(client)
    fill(book, world.answered.tracking_number, "Accepted", "From the file.")
    fill(book, world.unanswered.tracking_number, "Accepted", "Also from the file.")
    # Meanwhile a colleague answers both on the platform.
    responses.respond(world.answered.id, "noted", "", users["secretariat"], expected_revision=1)
    responses.respond(
        world.unanswered.id, "accepted", "Also from the file.", users["secretariat"], 0
    )
    location, page = preview_of(client, upload(client, saved(book)))
    assert table_rows(page, "answer-conflicts") == [
        [
            world.answered.tracking_number,
            SHEET,
            f"Row 2 of “{SHEET}”",
            "Noted",
            "Accepted From the file.",
        ]
    ]
    # The colleague gave the very answer of the file: nothing to change there.
    assert counts(page)["count-unchanged"] == "3"
    assert "Save" not in page.select_one(".actions").get_text()
    assert post_step(client, location, "confirm").status_code == 200
    assert stored(world.answered) == ("noted", "", 2)  # never overwritten


def test_an_answer_changed_between_preview_and_confirmation_is_not_overwritten(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    book = downloaded(client)
    fill(book, world.answered.tracking_number, "Accepted", "From the file.")
    location, page = preview_of(client, upload(client, saved(book)))
    assert len(table_rows(page, "answer-changes")) == 1
    responses.respond(world.answered.id, "noted", "", users["secretariat"], expected_revision=1)
    response = post_step(client, location, "confirm")
    result = soup(response)
    assert result.select_one(".upload-summary").get_text(strip=True) == "0 answers were saved."
    assert stored(world.answered) == ("noted", "", 2)


def test_rows_in_error_are_listed_and_not_applied(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    book = downloaded(client)
    sheet = book[SHEET]
    fill(book, world.unanswered.tracking_number, "Maybe", "Not a disposition.")
    fill(book, world.second.tracking_number, "Not accepted", "")  # needs an explanation
    fill(book, world.withdrawn.tracking_number, "Accepted", "Withdrawn meanwhile.")
    fill(book, world.answered.tracking_number, None, "Observations alone.")
    sheet.append([5, "ZZ-999", "", "", "", "", "", "", "Accepted", "Who?", "", world.round.id, 0])
    sheet.append([6, "XX-001", "", "", "", "", "", "", "Accepted", "Where?", "", 9999, 0])
    location, page = preview_of(client, upload(client, saved(book)))
    errors = {row[1]: row[2] for row in table_rows(page, "answer-errors")}
    assert errors == {
        world.unanswered.tracking_number: "“Maybe” is not a disposition: use one of Accepted, "
        "Accepted in part, Not accepted, Noted, Addressed elsewhere",
        world.second.tracking_number: "explain the disposition in a sentence or two",
        world.withdrawn.tracking_number: "the comment was withdrawn: it is not answered",
        world.answered.tracking_number: "choose a disposition for these observations",
        "ZZ-999": f"there is no comment ZZ-999 in round “{SHEET}”",
        "XX-001": "“9999” is not a round of this document",
    }
    assert counts(page)["count-changes"] == "0"
    assert post_step(client, location, "confirm").status_code == 200
    assert stored(world.unanswered) is None
    assert stored(world.second) is None
    assert stored(world.answered) == ("not_accepted", "- outside the scope of the text", 1)


def test_a_comment_twice_in_the_file_is_applied_once(client: FlaskClient, world: World) -> None:
    book = downloaded(client)
    sheet = book[SHEET]
    fill(book, world.unanswered.tracking_number, "Accepted", "First.")
    copy = [cell.value for cell in sheet[4]]  # the rows are in document order
    copy[9] = "Second."
    sheet.append(copy)
    _location, page = preview_of(client, upload(client, saved(book)))
    assert [row[0] for row in table_rows(page, "answer-changes")] == [
        world.unanswered.tracking_number
    ]
    assert [row[2] for row in table_rows(page, "answer-errors")] == [
        f"the comment is also on row 4 of “{SHEET}”"
    ]


def test_discarding_keeps_every_answer(client: FlaskClient, world: World) -> None:
    book = downloaded(client)
    fill(book, world.unanswered.tracking_number, "Accepted", "Never saved.")
    location, _page = preview_of(client, upload(client, saved(book)))
    response = post_step(client, location, "discard")
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/sample/matrix"
    assert count(Upload) == 0
    assert stored(world.unanswered) is None
    gone = client.get(location)
    assert gone.status_code == 404
    assert "upload it again" in gone.get_data(as_text=True)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return saved(book)


BAD_FILES = {
    "text": (b"No., Tracking no.\n1, XX-001\n", "is not a Word document (.docx) or an Excel"),
    "old excel": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "older Word or Excel file",
    ),
    "zip bomb": (
        _zip({"xl/workbook.xml": b"<workbook/>", "xl/big.xml": b"\0" * (40 * 1024 * 1024)}),
        "zip bomb",
    ),
    "no header": (
        _workbook([["Name", "Remark"], ["A", "B"]]),
        "No sheet of this file has the matrix's header row",
    ),
    "hidden columns dropped": (
        _workbook(
            [
                ["No.", "Tracking no.", "Disposition", "Observations of the secretariat"],
                [1, "TN-001", "Accepted", "Fine."],
            ]
        ),
        "lacks the columns “Round id”, “Answer revision”",
    ),
    "damaged": (_zip({"xl/workbook.xml": b"<not xml"}), "could not be read"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_gets_a_clear_message_and_nothing_is_stored(
    client: FlaskClient, world: World, kind: str
) -> None:
    content, message = BAD_FILES[kind]
    response = upload(client, content)
    assert response.status_code == 400
    page = soup(response)
    error = page.select_one("#answers_file-error")
    assert error is not None
    assert message in " ".join(error.get_text().split())
    assert count(Upload) == 0


def test_a_word_document_is_refused(client: FlaskClient, world: World) -> None:
    content = _zip({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})
    response = upload(client, content, "matrix.docx")
    assert response.status_code == 400
    assert "Upload the matrix as an Excel workbook" in soup(response).get_text()
    assert count(Upload) == 0


def test_a_file_over_the_limit_is_refused(app: Flask, client: FlaskClient, world: World) -> None:
    content = saved(downloaded(client))
    client.application.config["ANSWER_UPLOAD_MAX_BYTES"] = len(content) - 1
    response = upload(client, content)
    assert response.status_code == 400
    text = " ".join(soup(response).select_one("#answers_file-error").get_text().split())
    assert "a matrix file may be at most" in text
    assert count(Upload) == 0


def test_no_file_chosen(client: FlaskClient, world: World) -> None:
    response = client.post(
        "/documents/sample/matrix/answers-upload", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 400
    page = soup(response)
    assert "Choose the matrix file to upload" in page.select_one("#answers_file-error").get_text()
    field = page.select_one("input#answers_file")
    assert field["aria-invalid"] == "true"
    assert page.select_one("label[for=answers_file]") is not None


def test_the_upload_page_and_its_links(client: FlaskClient, world: World) -> None:
    page = soup(client.get("/documents/sample/matrix/answers-upload"))
    assert page.h1.get_text(strip=True) == "Upload answers filled in offline"
    form = page.select_one("form[enctype='multipart/form-data']")
    assert form is not None and form.select_one("input[name=csrf_token]") is not None
    assert client.get("/documents/nowhere/matrix/answers-upload").status_code == 404


@pytest.mark.parametrize("role", ["stakeholder", "drafter", "admin"])
def test_only_the_secretariat_uploads_answers(
    app: Flask, users: dict[str, User], world: World, role: str
) -> None:
    other = app.test_client()
    sign_in(other, users[role])
    content = _workbook([["x"]])
    response = other.post(
        "/documents/sample/matrix/answers-upload",
        data={"csrf_token": csrf_token(other), "answers_file": (io.BytesIO(content), "m.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert count(Upload) == 0


def test_a_waiting_file_belongs_to_its_document(
    client: FlaskClient, world: World, users: dict[str, User]
) -> None:
    factories.version(factories.SAMPLE_DRAFT.replace("sample", "other"), slug="other")
    book = downloaded(client)
    fill(book, world.unanswered.tracking_number, "Accepted", "Here.")
    location, _page = preview_of(client, upload(client, saved(book)))
    token = location.rsplit("/", 1)[1]
    assert client.get(f"/documents/other/matrix/answers-upload/{token}").status_code == 404


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_file_saved_again_by_libreoffice_is_read(
    client: FlaskClient, world: World, tmp_path: Path
) -> None:
    book = downloaded(client)
    fill(book, world.unanswered.tracking_number, "Accepted", "Saved by LibreOffice Calc.")
    source = tmp_path / "in" / "matrix.xlsx"
    source.parent.mkdir()
    source.write_bytes(saved(book))
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    content = (tmp_path / "out" / "matrix.xlsx").read_bytes()
    location, page = preview_of(client, upload(client, content))
    assert counts(page) == {
        "count-changes": "1",
        "count-conflicts": "0",
        "count-errors": "0",
        "count-unchanged": "3",
    }
    assert post_step(client, location, "confirm").status_code == 200
    assert stored(world.unanswered) == ("accepted", "Saved by LibreOffice Calc.", 1)


def test_a_file_larger_than_the_platform_s_usual_request_is_read_up_to_its_own_limit(
    client: FlaskClient, world: World
) -> None:
    # Scaled down (the platform's usual limit is 6 MB, a matrix's 10 MB): a file
    # over the usual limit and under the matrix's own is read.
    web = client.application
    web.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    web.config["ANSWER_UPLOAD_MAX_BYTES"] = 400 * 1024
    padded = saved(downloaded(client)) + b"\0" * (300 * 1024)
    response = upload(client, padded)
    assert response.status_code == 400  # read, and refused for what it holds, not its size
    assert "Too large" not in soup(response).get_text()
    assert count(Upload) == 0


def test_a_request_past_the_limit_says_how_large_a_matrix_may_be(
    client: FlaskClient, world: World
) -> None:
    client.application.config["ANSWER_UPLOAD_MAX_BYTES"] = 100 * 1024
    response = upload(client, b"\0" * (300 * 1024))
    assert response.status_code == 413
    text = " ".join(soup(response).get_text().split())
    assert "the most a matrix of answers may be" in text
    assert count(Upload) == 0
