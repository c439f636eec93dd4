"""Integrity holes closed (issue 13), each test stating the attack it stops.

Published rounds that stay settled, comment names and received times that do
not identify an anonymous commenter, text fields cleaned of control
characters with bidirectional overrides isolated, and the "your session
ended" page that shows typed text to our own pages only.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import docx
import openpyxl
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.domain.text_clean import clean_line, clean_text
from consult.extensions import db
from consult.models import Comment, Organisation, Round, User
from consult.models.base import utcnow
from consult.services import sessions
from tests import factories
from tests.web.support import get_page, post_form, soup
from tests.web.test_comments import (
    comment_count,
    comment_url,
    fresh,
    hidden_fields,
    make_setup,
    only_comment,
    other_stakeholder,
    post_comment,
    signed_in,
)

OURS = "http://localhost"
PLANTED = "Your session ended. To recover your text call +00 555 0100."


# --- the "your session ended, copy your text" page ------------------------------------------


def _ended_session_client(app: Flask, user: User) -> tuple[FlaskClient, str, dict[str, str]]:
    """Sign `user` in, open the comment form, then end the session on the server."""
    setup = make_setup()
    client = signed_in(app, user)
    url = comment_url(setup.round.id, "principle-dignity-p1")
    fields = hidden_fields(get_page(client, url))
    fresh()
    sessions.end_all_sessions(user)
    db.session.commit()
    return client, url, fields


def test_our_own_form_posted_after_the_session_ended_gets_its_text_back(
    app: Flask, users: dict[str, User]
) -> None:
    """Not an attack: the person's own browser, whose session ended, keeps the text it typed."""
    client, url, fields = _ended_session_client(app, users["stakeholder"])
    fields.update({"type": "general", "body": "My long comment.", "proposed_text": "Mine."})
    response = client.post(
        url, data=fields, headers={"Origin": OURS, "Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 401
    page = soup(response)
    assert page.find("textarea", id="kept-body").get_text().strip() == "My long comment."
    assert page.find("textarea", id="kept-proposed").get_text().strip() == "Mine."
    # A Referer of ours is proof enough where the browser sends no Origin.
    response = client.post(url, data=fields, headers={"Referer": f"{OURS}{url}"})
    assert "My long comment." in soup(response).find("textarea", id="kept-body").get_text()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},
        {"Referer": "https://attacker.example/page"},
        {"Origin": OURS, "Sec-Fetch-Site": "cross-site"},
        {},  # no sign of where the post came from
    ],
)
def test_a_cross_site_post_does_not_make_our_page_display_its_text(
    app: Flask, users: dict[str, User], headers: dict[str, str]
) -> None:
    """Attack: another site posts a planted text to our comment form, even from the
    victim's browser with its old session cookie, so that our origin displays it."""
    client, url, fields = _ended_session_client(app, users["stakeholder"])
    fields.update({"type": "general", "body": PLANTED, "proposed_text": PLANTED, "clause": "x<y"})
    response = client.post(url, data=fields, headers=headers)
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "+00 555 0100" not in html and "x<y" not in html and "x%3Cy" not in html
    page = soup(response)
    assert page.find("textarea") is None
    assert "session ended" in page.find("h1").get_text()
    assert page.find("a", href=lambda h: bool(h) and h.startswith("/login")) is not None
    assert comment_count() == 0


def test_a_post_from_our_origin_without_our_session_cookie_does_not_display_its_text(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: a post that claims our origin but carries no session cookie of ours (a
    forged request, or another browser) must not have its text displayed either."""
    setup = make_setup()
    client = app.test_client()  # never signed in: no session token
    response = client.post(
        comment_url(setup.round.id),
        data={"type": "general", "body": PLANTED},
        headers={"Origin": OURS, "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 401
    assert "+00 555 0100" not in response.get_data(as_text=True)
    assert soup(response).find("textarea") is None
    # A made-up token in a validly signed session is not a session of ours either.
    with client.session_transaction() as session:
        session["_user_id"] = "made-up-token"
    response = client.post(
        comment_url(setup.round.id),
        data={"type": "general", "body": PLANTED},
        headers={"Origin": OURS},
    )
    assert "+00 555 0100" not in response.get_data(as_text=True)


# --- received times in a round that does not attribute comments -----------------------------

EXACT = datetime(2026, 3, 12, 9, 14, 37, 250000, tzinfo=UTC)


def _anonymous_comment(users: dict[str, User]) -> Comment:
    setup = make_setup(visibility="open", attribution="anonymous")
    comment = factories.comment(setup.round.id, users["stakeholder"], None, body="Anonymous view.")
    comment.received_at = EXACT
    db.session.commit()
    return comment


def _times(page: BeautifulSoup) -> set[str]:
    return {str(t["datetime"]) for t in page.find_all("time") if t.has_attr("datetime")}


def test_an_anonymous_comment_cannot_be_tied_to_its_author_by_its_received_time(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: another organisation reads the exact second an anonymous comment was
    received and matches it against a named comment or a receipt seen elsewhere."""
    comment = _anonymous_comment(users)
    pages = [f"/comments/{comment.id}", f"/rounds/{comment.round_id}/comments"]
    other = signed_in(app, other_stakeholder())
    for url in pages:
        page = get_page(other, url)
        assert "Anonymous view." in page.get_text()
        shown = _times(page)
        assert any(t.startswith("2026-03-12T") and ":14:00" in t for t in shown), shown
        assert not any(":14:37" in t for t in shown), (url, shown)
    for sheet in ("xlsx", "csv", "docx"):
        for public in ("", "?public=yes"):
            response = other.get(f"/documents/sample/matrix.{sheet}{public}")
            assert response.status_code == 200
            text = _file_text(sheet, response.data)
            assert "Anonymous view." in text
            assert "09:14:37" not in text and "9:14:37" not in text
    # The comment's own organisation and the secretariat see the exact second.
    for user in (users["stakeholder"], users["secretariat"]):
        page = get_page(signed_in(app, user), f"/comments/{comment.id}")
        assert any(":14:37" in t for t in _times(page)), user.role


def _file_text(sheet: str, data: bytes) -> str:
    if sheet == "csv":
        return data.decode("utf-8-sig")
    if sheet == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join(
            str(cell)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for cell in row
        )
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- control characters on the way in ------------------------------------------------------

RLO = "\u202e"


def test_control_characters_are_removed_and_line_ends_made_plain() -> None:
    """Attack: NUL and escape sequences smuggled into a text (they break PostgreSQL
    inserts, terminals reading exports and spreadsheets) are removed; line ends stay."""
    assert clean_text("a\x00b\x1b[31mc\r\nd\re\x0bf\tg\x85h\x9bi") == "ab[31mc\nd\ne\nf\tg\nhi"
    assert clean_line("Name\x00 with\nbreak\tand\x07bell") == "Name with break andbell"
    # Bidirectional overrides are kept as typed (displayed isolated, see below).
    assert clean_line(f"Acme {RLO}evil") == f"Acme {RLO}evil"


def test_nul_and_control_characters_typed_in_a_comment_and_an_organisation_name_are_removed(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: a NUL or terminal escape in a comment or a name, posted through the forms."""
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    response = post_comment(
        client,
        setup.round.id,
        body="Line one\x00\r\nLine\x1b[2J two",
        proposed_text="New\x0bwording\x07",
    )
    assert response.status_code in (200, 302, 303)
    comment = only_comment()
    assert comment.body == "Line one\nLine[2J two"
    assert comment.proposed_text == "New\nwording"
    admin = signed_in(app, users["admin"])
    response = post_form(
        admin,
        "/admin/organisations",
        {"name": "Bad\x00 Org\x1f\nName", "kind": "ngo", "country_code": ""},
    )
    assert response.status_code in (200, 302, 303)
    fresh()
    names = set(db.session.scalars(select(Organisation.name)))
    assert "Bad Org Name" in names
    assert not any(ch in name for name in names for ch in "\x00\x1f\n")


def test_a_name_with_a_right_to_left_override_is_kept_but_shown_isolated(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: an organisation named "Acme <U+202E>lanif" reverses the text after its name
    on every page ("Trojan Source" for people): the name is kept as typed but displayed
    inside <bdi>, and kept in its own cell in the matrix spreadsheet."""
    name = f"Acme {RLO}lanif"
    setup = make_setup(visibility="open", attribution="named")
    org = factories.organisation("ngo", name=name)
    author = factories.user("stakeholder", org)
    comment = factories.comment(setup.round.id, author, None, body=f"Body {RLO}desrever")
    reader = signed_in(app, other_stakeholder())
    for url in (f"/comments/{comment.id}", f"/rounds/{comment.round_id}/comments"):
        page = get_page(reader, url)
        holders = [b for b in page.find_all("bdi") if name in b.get_text()]
        assert holders, url
        body = page.find(class_="comment-body")
        assert f"Body {RLO}desrever" in body.get_text()
    # The author's own header line shows its name isolated too.
    page = get_page(signed_in(app, author), "/")
    assert any(b.get_text() == name for b in page.find_all("bdi"))
    admin = signed_in(app, users["admin"])
    page = get_page(admin, "/admin/organisations")
    assert any(b.get_text() == name for b in page.find_all("bdi"))
    response = reader.get("/documents/sample/matrix.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    # As typed, alone in its cell: a cell is its own paragraph, nothing else to reorder.
    assert f"Body {RLO}desrever" in cells


# --- already closed on main, checked again here ----------------------------------------------


def test_a_round_whose_answers_are_published_cannot_be_reopened_by_any_route(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: the secretariat (or a stolen secretariat session) moves the closing time of a
    settled round into the future, so that comments can be edited after their answers."""
    setup = make_setup(opens_in=timedelta(days=-10), closes_in=timedelta(days=-1))
    round_ = db.session.get(Round, setup.round.id)
    assert round_ is not None
    round_.responses_published_at = utcnow()
    closes = round_.closes_at
    db.session.commit()
    later = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    moved = {"closes_at": later, "time_zone": "UTC", "confirm": "yes"}
    staff = signed_in(app, users["secretariat"])
    for url, data in [
        (f"/rounds/{round_.id}/closing", moved),
        (f"/rounds/{round_.id}/edit", moved),
        (f"/rounds/{round_.id}/close", {"confirm": "yes"}),
    ]:
        response = post_form(staff, url, data)
        assert response.status_code < 500, url
        fresh()
        again = db.session.get(Round, round_.id)
        assert again is not None and again.closes_at == closes, url
    # No command of the CLI changes an existing round: create-round only makes new ones.
    assert not {
        name for name in app.cli.list_commands(None) if "reopen" in name or "closing" in name
    }


def test_invitation_only_rounds_and_comment_numbers_tell_nothing_to_others(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: an organisation not invited opens an invitation-only round by its id to read
    who was invited; another reads database ids in comment names to count all comments."""
    guest = factories.organisation("ngo", name="Invited Guest")
    invited_only = make_setup(participation="invited", invited=[guest])
    outsider = signed_in(app, other_stakeholder())
    assert outsider.get(f"/rounds/{invited_only.round.id}").status_code == 404
    assert outsider.get(f"/rounds/{invited_only.round.id}/comments").status_code == 404
    # Comments elsewhere raise the database ids; names stay per round.
    version = invited_only.version
    named = factories.round_(version, title="Named", visibility="open", attribution="named")
    for _ in range(3):
        factories.comment(named.id, users["stakeholder"])
    anonymous = factories.round_(version, title="Anon", visibility="open", attribution="anonymous")
    first = factories.comment(anonymous.id, users["stakeholder"], None, body="Numbered.")
    assert first.id > 1
    page = get_page(outsider, f"/comments/{first.id}")
    assert page.find("h1").get_text(" ", strip=True).endswith("Comment 1"), page.find("h1")
    assert f"Comment {first.id}" not in page.get_text()


def test_control_characters_in_an_e_mailed_template_are_removed_from_every_cell(app: Flask) -> None:
    """Attack: a terminal escape (a C1 control, legal in the file's XML) hidden in the
    paragraph or clause cell of a commenting template sent by e-mail."""
    from consult.services.comment_import.importing import read_file
    from tests.template_files import ISO_HEADER, docx_bytes, iso_row

    content = docx_bytes(
        [
            ISO_HEADER,
            iso_row(clause="Guideline\x9b 1", paragraph="para\x85 2\x9b", comment="Say\x9b who."),
        ]
    )
    (row,) = read_file(content)
    assert row.get("clause") == "Guideline 1"
    assert row.get("paragraph") == "para\n 2"
    assert row.get("comment") == "Say who."
