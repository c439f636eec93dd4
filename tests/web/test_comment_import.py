"""The secretariat imports comments that arrived by e-mail: upload, preview, correct, confirm."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from consult.extensions import db
from consult.models import Comment, Organisation, Round, Upload, User
from consult.services import comment_import, responses
from consult.web.bidi import FSI, PDI
from tests import factories
from tests.template_files import ISO_HEADER, docx_bytes, iso_row, xlsx_bytes
from tests.web.support import (
    audit_actions,
    count,
    csrf_token,
    fresh,
    get_page,
    login,
    post_form,
    set_clock,
    sign_in,
    soup,
    without_bdi,
)

# 23:30 in Geneva on 11 March is 22:30 UTC: the round's own day is the one offered.
NOW = datetime(2026, 3, 11, 22, 30, tzinfo=UTC)
TODAY_IN_GENEVA = "2026-03-11"

ROWS = [
    ISO_HEADER,
    iso_row(clause="Guideline 1", paragraph="para 2", type_="te", comment="Say who trains."),
    iso_row(clause="General", type_="ge", comment="A good text."),
    iso_row(clause="Guideline 7", type_="ed", comment="No such guideline."),
]


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """An open round in Geneva's time zone, open to every organisation (Germany, France...)."""
    set_clock(app, client, NOW)
    version = factories.version()
    round_ = factories.round_(
        version,
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
        time_zone="Europe/Zurich",
    )
    germany = factories.organisation("member_state", name="Germany", code="DE")
    france = factories.organisation("member_state", name="France", code="FR")
    return {"round": round_, "germany": germany, "france": france}


@pytest.fixture
def secretariat(client: FlaskClient, users: dict[str, User], world: dict[str, Any]) -> FlaskClient:
    sign_in(client, users["secretariat"])
    return client


def form_url(round_: Round) -> str:
    return f"/rounds/{round_.id}/import-comments"


def upload(
    client: FlaskClient,
    round_: Round,
    organisation: Organisation | int | str,
    content: bytes,
    emailed_on: str = "2026-03-10",
    filename: str = "comments.docx",
) -> TestResponse:
    data: dict[str, Any] = {
        "organisation": organisation.id if isinstance(organisation, Organisation) else organisation,
        "emailed_on": emailed_on,
        "comments_file": (io.BytesIO(content), filename),
    }
    return post_multipart(client, form_url(round_), data)


def post_multipart(client: FlaskClient, url: str, data: dict[str, Any]) -> TestResponse:
    """POST a form with a file, encoded in memory.

    (The test client spools a large body to a temporary file it does not close.)
    """
    values: dict[str, Any] = {"csrf_token": csrf_token(client)}
    for name, value in data.items():
        if isinstance(value, tuple):
            stream, filename = value
            value = FileStorage(stream=stream, filename=filename, name=name)
        values[name] = str(value) if isinstance(value, int) else value
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def start(client: FlaskClient, world: dict[str, Any], rows: list[Any] | None = None) -> str:
    """Upload the sample rows for Germany; return the preview's address."""
    response = upload(client, world["round"], world["germany"], docx_bytes(rows or ROWS))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert re.fullmatch(r"/comment-imports/[A-Za-z0-9_-]{40,}", location)
    return location


def rows_of(page: BeautifulSoup) -> list[Tag]:
    table = page.find("table", class_="import-preview")
    assert isinstance(table, Tag)
    return table.select("tbody tr")


def text(tag: Tag | None) -> str:
    assert tag is not None
    return " ".join(without_bdi(tag).get_text(" ", strip=True).split())


def stored() -> list[Comment]:
    fresh()
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def assert_unique_ids(page: BeautifulSoup) -> None:
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def problems(page: BeautifulSoup) -> str:
    return " ".join(text(tag) for tag in page.select(".error, .message.error"))


# The form ---------------------------------------------------------------------------------


def test_the_round_page_links_to_the_import_for_the_secretariat(
    app: Flask, users: dict[str, User], world: dict[str, Any]
) -> None:
    url = f"/rounds/{world['round'].id}"
    for role, shown in (("secretariat", True), ("drafter", False), ("stakeholder", False)):
        client = app.test_client()
        sign_in(client, users[role])
        link = get_page(client, url).find("a", href=form_url(world["round"]))
        assert (link is not None) == shown, role
        if shown:
            assert text(link) == "Import comments that arrived by e-mail"


def test_the_form_offers_the_organisations_of_the_round_and_todays_date_there(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    invited = factories.round_(
        world["round"].version,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
        time_zone="Europe/Zurich",
        participation="invited",
        invited=[world["france"]],
    )
    sign_in(client, users["secretariat"])
    page = get_page(client, form_url(invited))
    assert text(page.find("h1")) == "Import comments that arrived by e-mail"
    assert_unique_ids(page)
    options = [(o["value"], text(o)) for o in page.select("select#organisation option")]
    assert options == [
        ("0", "Choose an organisation"),
        (str(world["france"].id), f"{FSI}France{PDI} (FR)"),
    ]
    assert page.find("input", id="emailed_on")["value"] == TODAY_IN_GENEVA
    assert page.find("input", id="comments_file")["type"] == "file"
    for control in page.select("form.form input:not([type=hidden]), form.form select"):
        assert page.find("label", attrs={"for": control["id"]}) is not None, control
    form = page.find("form", class_="form")
    assert form["enctype"] == "multipart/form-data"
    everyone = get_page(client, form_url(world["round"]))
    names = [text(o) for o in everyone.select("select#organisation option")]
    # An <option> holds text only: the name is isolated by FSI ... PDI (consult.web.bidi).
    assert [n.replace(FSI, "").replace(PDI, "") for n in names] == [
        "Choose an organisation",
        "France (FR)",
        "Germany (DE)",
        "Test NGO (TN)",
    ]
    assert names[1] == f"{FSI}France{PDI} (FR)"


def test_an_unknown_round_is_not_found(secretariat: FlaskClient) -> None:
    assert secretariat.get("/rounds/999/import-comments").status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"comments_file": None}, 400, "Choose the file to import"),
        ({"organisation": "0"}, 400, "Choose the organisation that sent the comments."),
        ({"organisation": "abc"}, 400, "Choose the organisation that sent the comments."),
        ({"organisation": "999"}, 400, "Not a valid choice"),
        ({"emailed_on": ""}, 400, "Enter the day the e-mail arrived."),
        ({"emailed_on": "12/03/2026"}, 400, "Not a valid date"),
        ({"emailed_on": "2026-03-12"}, 400, "The e-mail cannot have arrived after today"),
        (
            {"content": b"MB/NC;Clause;Comments\nDE;3.1;Text\n"},
            400,
            "is not a Word document (.docx)",
        ),
        (
            {"content": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "filename": "c.doc"},
            400,
            "(.doc or .xls)",
        ),
        (
            {"content": docx_bytes([["Date", "Today"]])},
            400,
            "No table in this file has the commenting template's header",
        ),
        ({"content": docx_bytes([ISO_HEADER])}, 400, "has its header but no comments under it"),
    ],
    ids=[
        "no-file",
        "no-organisation",
        "organisation-not-a-number",
        "organisation-not-in-round",
        "no-date",
        "bad-date",
        "future-date",
        "renamed-text",
        "doc",
        "no-header",
        "no-rows",
    ],
)
def test_a_bad_upload_comes_back_with_its_problem_and_stores_nothing(
    secretariat: FlaskClient,
    world: dict[str, Any],
    change: dict[str, Any],
    status: int,
    message: str,
) -> None:
    data: dict[str, Any] = {
        "organisation": str(world["germany"].id),
        "emailed_on": "2026-03-10",
        "comments_file": (
            io.BytesIO(change.pop("content", docx_bytes(ROWS))),
            change.pop("filename", "c.docx"),
        ),
    }
    for name, value in change.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    response = post_multipart(secretariat, form_url(world["round"]), data)
    assert response.status_code == status
    page = soup(response)
    assert message in problems(page), problems(page)
    assert "Nothing was imported." in text(page.find(id="form-problems"))
    assert page.find("select", id="organisation") is not None  # the form is shown again
    assert (count(Upload), count(Comment)) == (0, 0)


def test_a_zip_bomb_is_refused(secretariat: FlaskClient, world: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" * (8 * 1024 * 1024))
    response = upload(secretariat, world["round"], world["germany"], buffer.getvalue())
    assert response.status_code == 400
    assert "zip bomb" in problems(soup(response))
    assert count(Upload) == 0


def test_an_organisation_outside_an_invited_round_is_refused(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    invited = factories.round_(
        world["round"].version,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
        participation="invited",
        invited=[world["france"]],
    )
    response = upload(secretariat, invited, world["germany"], docx_bytes(ROWS))
    assert response.status_code == 400  # not one of the choices offered
    assert count(Upload) == 0


def test_a_round_that_has_not_opened_refuses_imports(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    upcoming = factories.round_(
        world["round"].version, opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=5)
    )
    response = upload(secretariat, upcoming, world["germany"], docx_bytes(ROWS))
    assert response.status_code == 409
    assert "This round has not opened yet" in problems(soup(response))
    assert count(Upload) == 0


def test_a_round_whose_answers_are_published_takes_no_import(
    secretariat: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    closed = factories.round_(
        world["round"].version, opens_at=NOW - timedelta(days=9), closes_at=NOW - timedelta(days=2)
    )
    responses.publish_responses(closed.id, users["secretariat"])
    round_page = get_page(secretariat, f"/rounds/{closed.id}")
    assert round_page.find("a", href=form_url(closed)) is None
    assert "answers of this round are published" in text(round_page.find("p", class_="settled"))
    form_page = get_page(secretariat, form_url(closed))
    assert form_page.find("input", type="file") is None
    assert "no comment can be added to it any more" in text(form_page.find("main"))
    response = upload(secretariat, closed, world["germany"], docx_bytes(ROWS))
    assert response.status_code == 409
    assert "no comment can be added to it any more" in text(soup(response).find("main"))
    assert (count(Upload), stored()) == (0, [])


def test_a_file_larger_than_the_platform_default_but_within_the_limit_is_read(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    # Over the 6 MB that other forms accept, under the 10 MB of a template: the file is read.
    response = upload(secretariat, world["round"], world["germany"], b"x" * (7 * 1024 * 1024))
    assert response.status_code == 400
    assert "is not a Word document" in problems(soup(response))


def test_a_file_over_the_limit_is_refused_with_the_limit(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    web = secretariat.application
    content = docx_bytes(ROWS)
    web.config["COMMENT_IMPORT_MAX_BYTES"] = len(content) - 100
    response = upload(secretariat, world["round"], world["germany"], content)
    assert response.status_code == 400
    assert "a commenting template may be at most" in problems(soup(response))
    # A request far over the limit is stopped before it is read.
    response = upload(
        secretariat, world["round"], world["germany"], b"x" * (len(content) + 200_000)
    )
    assert response.status_code == 413
    page = soup(response)
    assert text(page.find("h1")) == "Too large"
    assert "the most a commenting template may be" in text(page.find("main"))
    assert count(Upload) == 0


# The preview ------------------------------------------------------------------------------


def test_the_preview_lists_every_row_with_its_clause_and_problems(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(secretariat, start(secretariat, world))
    assert text(page.find("h1")) == "Comments of Germany: preview"
    assert text(page.find(class_="import-emailed")) == "10 March 2026"
    assert page.find(class_="import-emailed").find("time")["datetime"] == "2026-03-10"
    rows = rows_of(page)
    assert len(rows) == 3
    first, whole, missing = rows
    assert text(first.find(class_="written-clause")) == "Guideline 1 Paragraph/Figure/Table: para 2"
    assert text(first.find(class_="citation")) == "Guideline 1, paragraph 2"
    assert "Training should cover" in text(first.find(class_="clause-text"))
    assert text(first.find(class_="type")) == "Substantive"
    assert text(first.find(class_="row-status")) == "To be imported"
    assert "narrows the clause to Guideline 1, paragraph 2" in text(first.find(class_="notes"))
    assert text(whole.find(class_="outcome")) == "The document as a whole"
    assert text(missing.find(class_="outcome")) == "Not found"
    assert text(missing.find(class_="row-status")) == "Not imported: needs a correction"
    assert "No clause “Guideline 7” in version 1" in text(missing.find(class_="errors"))
    for row in rows:
        select = row.find("select")
        label = page.find("label", attrs={"for": select["id"]})
        assert label is not None and "Clause of row" in text(label)
    chosen = [row.find("option", selected=True)["value"] for row in rows]
    assert chosen == ["k:guideline-1.2", "document", ""]
    counts = [text(li) for li in page.select(".import-counts li")]
    assert counts == [
        "To be imported: 2",
        "Already imported: 0",
        "Repeated in the file: 0",
        "Not imported: needs a correction: 1",
    ]
    assert text(page.find("button", class_="import-button")) == "Import 2 comments"
    assert page.find("table", class_="import-preview").find("caption") is not None
    assert count(Comment) == 0
    assert_unique_ids(page)


def test_a_clause_corrected_in_the_preview_is_shown_then_imported(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    preview = start(secretariat, world)
    chosen = {
        "clause-1": "k:guideline-1.2",
        "clause-2": "k:principle-2",
        "clause-3": "k:guideline-1.3",
    }
    response = post_form(secretariat, preview, chosen)
    assert response.status_code == 200
    page = soup(response)
    rows = rows_of(page)
    assert [row.find("option", selected=True)["value"] for row in rows] == list(chosen.values())
    assert text(rows[1].find(class_="outcome")) == "Chosen in the preview"
    assert text(rows[2].find(class_="row-status")) == "To be imported"
    assert text(page.find("button", class_="import-button")) == "Import 3 comments"
    assert count(Comment) == 0
    response = post_form(secretariat, preview + "/confirm", chosen)
    assert response.status_code == 200
    assert [(c.body, c.clause.key if c.clause else None) for c in stored()] == [
        ("Say who trains.", "guideline-1.2"),
        ("A good text.", "principle-2"),
        ("No such guideline.", "guideline-1.3"),
    ]


def test_a_long_text_offers_text_fields_with_suggestions(
    monkeypatch: pytest.MonkeyPatch, secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    from consult.services.comment_import import preview as preview_module

    monkeypatch.setattr(preview_module, "MAX_OPTIONS", 5)
    preview = start(secretariat, world)
    page = get_page(secretariat, preview)
    fields = [row.find("input", attrs={"list": "clause-list"}) for row in rows_of(page)]
    assert [field["value"] for field in fields] == [
        "Guideline 1, paragraph 2",
        "The document as a whole",
        "",
    ]
    assert all(page.find("label", attrs={"for": field["id"]}) for field in fields)
    assert not page.select("table.import-preview select")
    suggestions = [option["value"] for option in page.select("datalist#clause-list option")]
    assert suggestions[:3] == ["The document as a whole", "Part I", "Principle 1"]
    typed = {"clause-1": "Guideline 1, paragraph 2", "clause-2": "The document as a whole"}
    typed["clause-3"] = "guideline 1 para 3"
    response = post_form(secretariat, preview + "/confirm", typed)
    assert response.status_code == 200
    assert [c.clause.key if c.clause else None for c in stored()] == [
        "guideline-1.2",
        None,
        "guideline-1.3",
    ]


def test_a_forged_clause_choice_is_an_error_of_its_row(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    preview = start(secretariat, world)
    page = soup(
        post_form(secretariat, preview, {"clause-1": "k:<script>", "clause-99": "document"})
    )
    first = rows_of(page)[0]
    assert "not part of this version" in text(first.find(class_="errors"))
    assert "<script>" not in str(page.find("table"))


def test_nothing_to_import_says_so_and_confirming_keeps_the_file(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    preview = start(secretariat, world, [ISO_HEADER, ROWS[3]])
    page = get_page(secretariat, preview)
    assert page.find("button", class_="import-button") is None
    assert text(page.find(class_="nothing-to-import")) == "There is nothing to import yet."
    response = post_form(secretariat, preview + "/confirm")
    assert response.status_code == 409
    assert "Nothing can be imported yet" in text(soup(response).find(id="import-problem"))
    assert (count(Upload), count(Comment)) == (1, 0)


# Confirming -------------------------------------------------------------------------------


def test_confirming_imports_and_shows_the_receipts(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    preview = start(secretariat, world)
    response = post_form(secretariat, preview + "/confirm")
    assert response.status_code == 200
    page = soup(response)
    assert text(page.find("h1")) == "Comments of Germany imported"
    assert_unique_ids(page)
    assert text(page.find(class_="import-summary")) == (
        "2 comments from comments.docx were imported, received by e-mail on 10 March 2026."
    )
    comments = stored()
    receipts = page.find("table", class_="receipts").select("tbody tr")
    assert [text(r.find(class_="tracking-number")) for r in receipts] == ["DE-001", "DE-002"]
    assert [text(r.find(class_="content-hash")) for r in receipts] == [
        c.content_hash for c in comments
    ]
    assert all("by e-mail on 10 March 2026" in text(r) for r in receipts)
    skipped = page.find("table", class_="skipped").select("tbody tr")
    assert len(skipped) == 1 and "No clause “Guideline 7”" in text(skipped[0])
    assert [c.channel for c in comments] == ["email", "email"]
    assert audit_actions()[-2:] == ["comment.import", "comment.import"]
    assert count(Upload) == 0
    # Submitted again (a reload): the file is gone, nothing more is stored.
    again = post_form(secretariat, preview + "/confirm")
    assert again.status_code == 404
    assert "confirmed, discarded or has expired" in text(soup(again).find("main"))
    assert count(Comment) == 2


def test_imported_comments_say_they_came_by_e_mail(
    app: Flask, secretariat: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    post_form(secretariat, start(secretariat, world) + "/confirm")
    round_id = world["round"].id
    page = get_page(secretariat, f"/rounds/{round_id}/comments")
    metas = [text(meta) for meta in page.select(".comment-meta")]
    assert len(metas) == 2
    assert all("received by e-mail on 10 March 2026" in meta for meta in metas)
    assert page.select_one(".emailed-on time")["datetime"] == "2026-03-10"
    first = stored()[0]
    detail = get_page(secretariat, f"/comments/{first.id}")
    assert "received by e-mail on 10 March 2026" in text(detail.find(class_="comment-facts"))
    # Germany's own diplomats see it on their receipt; another organisation does not see it.
    diplomat = app.test_client()
    sign_in(diplomat, factories.user("stakeholder", world["germany"]))
    own = get_page(diplomat, f"/comments/{first.id}")
    assert "received by e-mail on 10 March 2026" in text(own.find(class_="receipt"))
    other = app.test_client()
    sign_in(other, users["stakeholder"])
    theirs = get_page(other, f"/comments/{first.id}")
    assert "Say who trains." in text(theirs.find("main"))
    assert "by e-mail" not in text(theirs.find("main"))


def test_an_e_mailed_proposed_change_is_shown_as_written_not_as_a_diff(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    rows = [
        ISO_HEADER,
        iso_row(
            clause="Principle 2", type_="te", comment="Widen it.", proposed="Add “and prompt”."
        ),
    ]
    post_form(secretariat, start(secretariat, world, rows) + "/confirm")
    page = get_page(secretariat, f"/comments/{stored()[0].id}")
    assert text(page.find(class_="proposed")) == "Add “and prompt”."
    assert page.find(class_="proposed-diff") is None


def test_importing_the_same_file_again_stores_nothing(
    secretariat: FlaskClient, world: dict[str, Any]
) -> None:
    post_form(secretariat, start(secretariat, world) + "/confirm")
    page = get_page(secretariat, start(secretariat, world))
    assert [text(r.find(class_="row-status")) for r in rows_of(page)] == [
        "Already imported",
        "Already imported",
        "Not imported: needs a correction",
    ]
    assert "Already imported as DE-001" in text(rows_of(page)[0].find(class_="notes"))
    assert count(Comment) == 2


def test_a_spreadsheet_is_imported_too(secretariat: FlaskClient, world: dict[str, Any]) -> None:
    content = xlsx_bytes(("Comments", ROWS[:3]))
    response = upload(secretariat, world["round"], world["germany"], content, filename="c.xlsx")
    assert response.status_code == 302
    page = get_page(secretariat, response.headers["Location"])
    assert [text(r.find("th")) for r in rows_of(page)] == [
        "1 Sheet “Comments”, row 2",
        "2 Sheet “Comments”, row 3",
    ]


def test_discarding_forgets_the_file(secretariat: FlaskClient, world: dict[str, Any]) -> None:
    preview = start(secretariat, world)
    response = post_form(secretariat, preview + "/discard")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world['round'].id}"
    page = get_page(secretariat, response.headers["Location"])
    assert "The file was discarded: nothing was imported." in text(page.find(class_="messages"))
    assert (count(Upload), count(Comment)) == (0, 0)
    gone = secretariat.get(preview)
    assert gone.status_code == 404
    assert "upload the file again" in text(soup(gone).find("main"))
    assert post_form(secretariat, preview + "/discard").status_code == 404


def test_an_unknown_token_or_another_kind_of_upload_is_not_found(
    secretariat: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    db.session.add(
        Upload(
            token="answers-token",
            kind="answers",
            uploaded_by_id=users["secretariat"].id,
            round_id=world["round"].id,
            filename="matrix.xlsx",
            sha256="0" * 64,
            content=b"x",
        )
    )
    db.session.commit()
    for token in ("no-such-token", "answers-token"):
        assert secretariat.get(f"/comment-imports/{token}").status_code == 404
        assert post_form(secretariat, f"/comment-imports/{token}/confirm").status_code == 404
    assert count(Upload) == 1


# Who may use it ---------------------------------------------------------------------------

ROLES = ("anonymous", "stakeholder", "drafter", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_uses_the_import(
    app: Flask, users: dict[str, User], world: dict[str, Any], role: str
) -> None:
    token = comment_import.start_import(
        world["round"].id,
        world["germany"].id,
        NOW.date(),
        "c.docx",
        docx_bytes(ROWS),
        users["secretariat"],
    )
    client = app.test_client()
    if role != "anonymous":
        login(client, users[role].email)
    web = client.application
    web.config["WTF_CSRF_ENABLED"] = False
    preview = f"/comment-imports/{token}"
    attempts = [
        ("GET", form_url(world["round"])),
        ("POST", form_url(world["round"])),
        ("GET", preview),
        ("POST", preview),
        ("POST", preview + "/confirm"),
        ("POST", preview + "/discard"),
    ]
    for method, url in attempts:
        data = (
            {
                "organisation": str(world["germany"].id),
                "emailed_on": "2026-03-10",
                "comments_file": (io.BytesIO(docx_bytes(ROWS)), "c.docx"),
            }
            if method == "POST"
            else None
        )
        response = client.open(url, method=method, data=data)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        else:
            assert response.status_code == 403, (method, url)
    assert (count(Upload), count(Comment)) == (1, 0)


def test_every_post_needs_its_form_token(
    secretariat: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    preview = start(secretariat, world)
    for url in (form_url(world["round"]), preview, preview + "/confirm", preview + "/discard"):
        response = secretariat.post(url, data={"clause-1": "document"})
        assert response.status_code == 400, url
    assert (count(Upload), count(Comment)) == (1, 0)
    assert csrf_token(secretariat)  # the session still works
