"""Drafting in the browser: upload or paste a draft, preview it, publish or discard it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from consult.extensions import db
from consult.models import AuditEvent, Clause, Document, User, Version
from tests import factories
from tests.web.support import csrf_token, get_page, login, post_form, soup

DRAFT = """# Border Principles

## Principle 1: Dignity {#dignity}

Everyone at a border shall be treated with dignity and respect, whatever their status.

## Principle 2: Remedies

1. States shall provide effective remedies.
2. Remedies shall be accessible.
"""

DUPLICATE_KEY = """# Border Principles

## Principle 1 {#same}

One.

## Principle 2 {#same}

Two.
"""

UNTITLED = "- A first point.\n- A second point.\n\n1. States shall act.\n"

MB = 1024 * 1024


def fresh() -> None:
    """End the test's read transaction, so that it sees what the requests stored since."""
    db.session.rollback()


def drafting_events() -> list[AuditEvent]:
    """The audit records about documents and versions, oldest first (not sign-ins)."""
    fresh()
    query = select(AuditEvent).where(AuditEvent.object_type.in_(["document", "version"]))
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def counts() -> dict[str, int]:
    """How many documents, versions, clauses and audit records about them are stored."""
    fresh()
    found = {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Document, Version, Clause)
    }
    return found | {"AuditEvent": len(drafting_events())}


NOTHING = {"Document": 0, "Version": 0, "Clause": 0, "AuditEvent": 0}


def sign_in(client: FlaskClient, users: dict[str, User], role: str) -> None:
    response = login(client, users[role].email)
    assert response.status_code == 302
    fresh()


def as_drafter(client: FlaskClient, users: dict[str, User]) -> FlaskClient:
    sign_in(client, users, "drafter")
    return client


def file(content: bytes, name: str = "draft.md") -> FileStorage:
    return FileStorage(io.BytesIO(content), name, content_type="application/octet-stream")


def post_multipart(client: FlaskClient, url: str, fields: dict[str, Any]) -> TestResponse:
    """POST `fields` as a browser posts a form with a file, with the form's CSRF token."""
    payload = {"csrf_token": csrf_token(client)} | fields
    # Encoded in memory: the test client's own temporary file for large bodies is left open.
    boundary, body = encode_multipart(payload)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def new_document(client: FlaskClient, **fields: Any) -> TestResponse:
    data = {"slug": "border", "title": "", "label": "", "draft_text": ""} | fields
    return post_multipart(client, "/documents/new", data)


def upload(client: FlaskClient, slug: str, **fields: Any) -> TestResponse:
    data = {"title": "", "label": "", "draft_text": ""} | fields
    return post_multipart(client, f"/documents/{slug}/upload", data)


def field_error(page: BeautifulSoup, field_id: str) -> str:
    """The error shown for a field, checking it is tied to the input for screen readers."""
    error = page.find(id=f"{field_id}-error")
    assert error is not None, f"no error shown for {field_id}"
    control = page.find(id=field_id)
    assert control is not None
    assert f"{field_id}-error" in str(control.get("aria-describedby", "")).split()
    assert control.get("aria-invalid") == "true"
    return str(error.get_text(" ", strip=True))


def draft_version(publish: bool = False) -> Version:
    return factories.version(publish=publish)


# --- who may use the drafting pages -------------------------------------------------

GET_URLS = [
    "/documents/new",
    "/documents/sample/upload",
    "/documents/sample/v1/preview",
    "/documents/sample/v1/publish",
]
OTHER_ROLES = ["admin", "secretariat", "stakeholder"]


@pytest.mark.parametrize("url", GET_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, url: str) -> None:
    draft_version()
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", GET_URLS)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_drafters_see_the_drafting_pages(
    client: FlaskClient, users: dict[str, User], url: str, role: str
) -> None:
    draft_version()
    sign_in(client, users, role)
    get_page(client, url, 403)


@pytest.mark.parametrize("url", GET_URLS)
def test_drafters_see_the_drafting_pages(
    client: FlaskClient, users: dict[str, User], url: str
) -> None:
    draft_version()
    page = get_page(as_drafter(client, users), url)
    assert len(page.find_all("h1")) == 1


POST_URLS = [
    "/documents/new",
    "/documents/sample/upload",
    "/documents/sample/v1/publish",
    "/documents/sample/v1/discard",
]


@pytest.mark.parametrize("url", POST_URLS)
@pytest.mark.parametrize("role", [None, *OTHER_ROLES])
def test_nobody_but_drafters_can_post(
    client: FlaskClient, users: dict[str, User], url: str, role: str | None
) -> None:
    draft_version()
    before = counts()
    if role is not None:
        sign_in(client, users, role)
    data = {"slug": "other", "draft_text": DRAFT, "confirm": "yes"}
    response = post_form(client, url, data)
    if role is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == 403
    assert counts() == before
    assert db.session.scalar(select(Version.status)) == "draft"


# --- importing ----------------------------------------------------------------------


def test_a_file_becomes_a_draft_version_shown_in_the_preview(
    client: FlaskClient, users: dict[str, User]
) -> None:
    response = new_document(
        as_drafter(client, users), label="Zero draft", draft_file=file(DRAFT.encode(), "v1.md")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/border/v1/preview"
    version = db.session.scalar(select(Version))
    assert version is not None and version.status == "draft"
    assert version.document.title == "Border Principles"

    page = get_page(client, "/documents/border/v1/preview")
    assert "Version 1 was imported as a draft" in page.get_text()
    facts = page.find("dl").get_text(" ", strip=True)
    assert "Zero draft" in facts and "v1.md" in facts and "Clauses 5" in facts
    table = page.find("table")
    assert table.find("caption") is not None
    assert [th.get_text(strip=True) for th in table.find("thead").find_all("th")] == [
        "Number",
        "Heading",
        "Kind",
        "Key",
        "Start of the text",
    ]
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.find("tbody").find_all("tr")
    ]
    assert [row[3] for row in rows] == [c.key for c in version.clauses]
    assert rows[0] == ["Principle 1", "Dignity", "principle", "dignity", ""]
    assert rows[1][3] == "dignity-p1" and rows[1][4].startswith("Everyone at a border")
    assert rows[3][:3] == ["1.", "", "paragraph"]
    assert page.select_one("#summary-warnings").get_text(strip=True) == "None"
    assert page.find(id="warnings") is None
    buttons = [b.get_text(strip=True) for b in page.find("main").find_all("button")]
    assert buttons == ["Confirm the language", "Discard version 1"]
    link = page.find("a", href="/documents/border/v1/publish")
    assert link is not None and link.get_text(strip=True) == "Publish version 1"
    assert "can never be changed" in page.find(id="publish-warning").get_text()


def test_pasted_text_is_imported_like_a_file(client: FlaskClient, users: dict[str, User]) -> None:
    response = new_document(
        as_drafter(client, users), slug="pasted", draft_text=DRAFT.replace("\n", "\r\n")
    )
    assert response.status_code == 302
    version = db.session.scalar(select(Version))
    assert version is not None and version.source_filename == ""
    assert "\r" not in version.source_text  # stored as a file would hold it
    assert len(version.clauses) == 5
    page = get_page(client, response.headers["Location"])
    assert "pasted text" in page.find("dl").get_text()


def test_preview_lists_the_parser_warnings(client: FlaskClient, users: dict[str, User]) -> None:
    text = "# Border Principles\n\n## Empty\n\n## Full\n\nSome text.\n"
    response = new_document(as_drafter(client, users), draft_text=text)
    page = get_page(client, response.headers["Location"])
    warnings = page.find(class_="warnings")
    assert warnings is not None
    assert "line 3: heading 'Empty' has no content" in warnings.get_text()
    # The stored preview is read by each reader in their own language.
    post_form(client, "/language", {"language": "fr", "next": "/"})
    page = get_page(client, response.headers["Location"])
    warnings = page.find(class_="warnings")
    assert warnings is not None
    assert "ligne 3 : le titre « Empty » n’a pas de contenu" in " ".join(
        warnings.get_text().replace("\u202f", " ").replace("\u00a0", " ").split()
    )


def test_next_version_is_uploaded_to_an_existing_document(
    client: FlaskClient, users: dict[str, User]
) -> None:
    first = draft_version(publish=True)
    page = get_page(as_drafter(client, users), "/documents/sample/upload")
    assert page.find(id="slug") is None  # the document is fixed
    changed = factories.SAMPLE_DRAFT.replace("dignity.", "dignity and respect.")
    response = upload(
        client, "sample", title="Revised Principles", draft_file=file(changed.encode())
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/sample/v2/preview"
    second = db.session.scalar(select(Version).where(Version.number == 2))
    assert second is not None and second.status == "draft"
    assert second.document_id == first.document_id
    assert second.document.title == "Revised Principles"


def test_upload_to_an_unknown_document_is_404(client: FlaskClient, users: dict[str, User]) -> None:
    get_page(as_drafter(client, users), "/documents/nope/upload", 404)
    get_page(client, "/documents/nope/v1/preview", 404)
    draft_version()
    get_page(client, "/documents/sample/v9/preview", 404)


# --- bad input: a clear message at the field, nothing stored ------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + bytes(64)
OVERSIZED = b"# Big\n\n" + b"A sentence of the draft.\n" * int(5.5 * MB // 25)

BAD_NEW_DOCUMENTS = {
    "no file and no text": ({}, "draft_file", "Choose a file to upload, or paste the text"),
    "file and text": (
        {"draft_file": file(DRAFT.encode()), "draft_text": DRAFT},
        "draft_file",
        "not both",
    ),
    "empty file": ({"draft_file": file(b"")}, "draft_file", "the draft is empty"),
    "not UTF-8": (
        {"draft_file": file("# Café\n\nTexte.\n".encode("latin-1"))},
        "draft_file",
        "not UTF-8",
    ),
    "binary file": ({"draft_file": file(PNG, "picture.md")}, "draft_file", "binary"),
    "over 5 MB": ({"draft_file": file(OVERSIZED)}, "draft_file", "the limit is 5 MB"),
    "pdf": ({"draft_file": file(b"%PDF-1.4", "draft.pdf")}, "draft_file", "Markdown or plain"),
    "docx": ({"draft_file": file(b"PK\x03\x04", "draft.docx")}, "draft_file", "Markdown or plain"),
    "duplicate key": (
        {"draft_file": file(DUPLICATE_KEY.encode())},
        "draft_file",
        "Line 7: duplicate key 'same'",
    ),
    "no title": ({"draft_text": UNTITLED}, "title", "no title"),
    "invalid slug": ({"slug": "Border Principles!", "draft_text": DRAFT}, "slug", "lowercase"),
    "no slug": ({"slug": "", "draft_text": DRAFT}, "slug", "short name"),
    "title too long": ({"title": "T" * 501, "draft_text": DRAFT}, "title", "500"),
}


@pytest.mark.parametrize("case", list(BAD_NEW_DOCUMENTS))
def test_bad_new_documents_are_refused_at_the_field(
    client: FlaskClient, users: dict[str, User], case: str
) -> None:
    fields, field_id, message = BAD_NEW_DOCUMENTS[case]
    response = new_document(as_drafter(client, users), **fields)
    assert response.status_code == 200
    page = soup(response)
    assert message in field_error(page, field_id)
    assert "Nothing was imported" in page.find(id="form-problems").get_text()
    assert counts() == NOTHING


def test_duplicate_key_in_pasted_text_keeps_the_text(
    client: FlaskClient, users: dict[str, User]
) -> None:
    response = new_document(as_drafter(client, users), draft_text=DUPLICATE_KEY)
    page = soup(response)
    assert "Line 7: duplicate key 'same' (first used on line 3)" in field_error(page, "draft_text")
    assert page.find("textarea", id="draft_text").get_text().strip() == DUPLICATE_KEY.strip()
    assert counts() == NOTHING


def test_missing_title_keeps_the_pasted_text(client: FlaskClient, users: dict[str, User]) -> None:
    response = new_document(as_drafter(client, users), label="Mine", draft_text=UNTITLED)
    page = soup(response)
    assert "type one here" in field_error(page, "title")
    assert page.find("textarea", id="draft_text").get_text().strip() == UNTITLED.strip()
    assert page.find(id="label")["value"] == "Mine"
    assert counts() == NOTHING


def test_a_request_over_6_mb_gets_the_too_large_page(
    client: FlaskClient, users: dict[str, User]
) -> None:
    huge = b"# Huge\n\n" + b"A sentence of the draft.\n" * (6 * MB // 25 + 1000)
    response = new_document(as_drafter(client, users), draft_file=file(huge))
    assert response.status_code == 413
    assert "Too large" in soup(response).find("h1").get_text()
    assert counts() == NOTHING


def test_a_long_pasted_text_is_imported(client: FlaskClient, users: dict[str, User]) -> None:
    paragraph = "A long sentence of a pasted draft. " * 300
    text = "# Long Principles\n\n" + "".join(f"{n}. {paragraph}\n\n" for n in range(1, 101))
    assert len(text.encode()) > MB
    response = new_document(as_drafter(client, users), slug="long", draft_text=text)
    assert response.status_code == 302
    assert counts()["Clause"] == 100


def test_a_taken_short_name_points_to_uploading_a_new_version(
    client: FlaskClient, users: dict[str, User]
) -> None:
    draft_version(publish=True)
    before = counts()
    response = new_document(
        as_drafter(client, users), slug="sample", draft_text=factories.SAMPLE_DRAFT + "\nMore.\n"
    )
    page = soup(response)
    assert "already a document called “sample”" in field_error(page, "slug")
    link = page.find(id="slug-error").find("a")
    assert link["href"] == "/documents/sample/upload"
    assert link.get_text(strip=True) == "upload a new version of it"
    assert counts() == before


def test_a_text_identical_to_the_latest_version_is_refused(
    client: FlaskClient, users: dict[str, User]
) -> None:
    draft_version(publish=True)
    before = counts()
    response = upload(as_drafter(client, users), "sample", draft_text=factories.SAMPLE_DRAFT)
    page = soup(response)
    assert "identical to version 1" in field_error(page, "draft_text")
    assert counts() == before


def test_a_form_without_its_token_is_refused_and_stores_nothing(
    client: FlaskClient, users: dict[str, User]
) -> None:
    as_drafter(client, users)
    response = client.post("/documents/new", data={"slug": "border", "draft_text": DRAFT})
    assert response.status_code == 400
    assert counts() == NOTHING
    draft_version()
    before = counts()
    assert client.post("/documents/sample/v1/publish").status_code == 400
    assert client.post("/documents/sample/v1/discard").status_code == 400
    assert counts() == before
    assert db.session.scalar(select(Version.status)) == "draft"


# --- publishing ---------------------------------------------------------------------


def test_upload_preview_publish_then_read(client: FlaskClient, users: dict[str, User]) -> None:
    response = new_document(as_drafter(client, users), draft_file=file(DRAFT.encode()))
    preview_url = response.headers["Location"]
    page = get_page(client, preview_url)
    link = page.find("a", href="/documents/border/v1/publish")
    assert link is not None and link.get_text(strip=True) == "Publish version 1"
    page = get_page(client, "/documents/border/v1/publish")
    publish_form = page.find("form", action="/documents/border/v1/publish")
    token = publish_form.find("input", attrs={"name": "csrf_token"})["value"]
    confirm = publish_form.find("input", attrs={"name": "confirm"})["value"]
    response = client.post(
        "/documents/border/v1/publish", data={"csrf_token": token, "confirm": confirm}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/border/v1"

    page = get_page(client, "/documents/border/v1")
    assert "Version 1 is published" in page.find(class_="messages").get_text()
    assert "published" in page.find(class_="version-meta").get_text().lower()
    version = db.session.scalar(select(Version))
    assert version is not None and version.is_published and version.published_at is not None
    drafter = users["drafter"]
    assert [(e.action, e.actor_id) for e in drafting_events()] == [
        ("document.create", drafter.id),
        ("version.import", drafter.id),
        ("version.publish", drafter.id),
    ]


def test_publishing_asks_for_confirmation_saying_what_will_happen(
    client: FlaskClient, users: dict[str, User]
) -> None:
    as_drafter(client, users)
    new_document(client, draft_text=DRAFT)
    post_form(client, "/documents/border/v1/publish", {"confirm": "yes"})
    upload(client, "border", draft_text=RENUMBERED)
    page = get_page(client, "/documents/border/v2/publish")
    assert page.find("h1").get_text() == "Publish version 2 of “Border Principles”?"
    said = " ".join(page.find(id="publish-consequences").get_text(" ").split())
    assert "becomes visible to every signed-in person, stakeholders included" in said
    assert "can never be changed or deleted" in said
    assert "It holds 6 clauses." in said
    assert "5 clauses continue clauses of version 1 and take their comments and history" in said
    assert "1 clause is new" in said
    assert "every clause of version 1 is continued." in said
    assert "not continued" not in said and "is new" in said
    # A revision that drops a paragraph says so; one that adds none says nothing of new clauses.
    post_form(client, "/documents/border/v2/discard", {})
    upload(client, "border", draft_text=DRAFT.replace("2. Remedies shall be accessible.\n", ""))
    said = " ".join(get_page(client, "/documents/border/v2/publish").get_text(" ").split())
    assert "1 clause of version 1 is not continued in this version" in said
    assert "its comments stay with version 1" in said and "is new" not in said
    form = page.find("form", action="/documents/border/v2/publish")
    assert form.find("button").get_text(strip=True) == "Yes, publish version 2"
    back = page.find("a", href="/documents/border/v2/preview")
    assert back is not None and "back to the preview" in back.get_text()
    fresh()
    assert db.session.scalar(select(Version.status).where(Version.number == 2)) == "draft"


@pytest.mark.parametrize("data", [{}, {"confirm": ""}, {"confirm": "no"}])
def test_a_post_without_the_confirmation_publishes_nothing(
    client: FlaskClient, users: dict[str, User], data: dict[str, str]
) -> None:
    draft_version()
    before = counts()
    response = post_form(as_drafter(client, users), "/documents/sample/v1/publish", data)
    assert response.status_code == 400
    page = soup(response)
    assert "was not published: confirm it" in page.find(id="publish-error").get_text()
    assert page.find("input", attrs={"name": "confirm", "value": "yes"}) is not None
    db.session.expire_all()
    assert counts() == before
    assert db.session.scalar(select(Version.status)) == "draft"


def test_the_confirmation_of_a_published_version_leads_back_to_its_preview(
    client: FlaskClient, users: dict[str, User]
) -> None:
    draft_version(publish=True)
    response = as_drafter(client, users).get("/documents/sample/v1/publish")
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/sample/v1/preview"
    page = get_page(client, "/documents/sample/v1/preview")
    assert "already published" in page.find(class_="messages").get_text()
    assert get_page(client, "/documents/sample/v9/publish", 404) is not None


def test_the_preview_of_a_published_version_has_no_buttons(
    client: FlaskClient, users: dict[str, User]
) -> None:
    draft_version(publish=True)
    page = get_page(as_drafter(client, users), "/documents/sample/v1/preview")
    assert "This version is published" in page.get_text()
    link = page.find("a", href="/documents/sample/v1")
    assert link is not None and "Read version 1" in link.get_text()
    assert page.find("main").find_all("button") == []


def test_publishing_twice_changes_nothing(client: FlaskClient, users: dict[str, User]) -> None:
    version = draft_version(publish=True)
    published_at = version.published_at
    before = counts()
    response = post_form(
        as_drafter(client, users), "/documents/sample/v1/publish", {"confirm": "yes"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/sample/v1/preview"
    page = get_page(client, response.headers["Location"])
    assert "already published: nothing was changed" in page.find(class_="messages").get_text()
    db.session.expire_all()
    assert counts() == before
    assert db.session.scalar(select(Version.published_at)) == published_at


# --- discarding ---------------------------------------------------------------------


def test_discarding_the_only_draft_keeps_the_empty_document(
    client: FlaskClient, users: dict[str, User]
) -> None:
    draft_version()
    response = post_form(as_drafter(client, users), "/documents/sample/v1/discard")
    assert response.status_code == 302
    assert response.headers["Location"] == "/documents/sample"
    assert counts()["Version"] == counts()["Clause"] == 0
    assert db.session.scalar(select(Document.slug)) == "sample"
    last = drafting_events()[-1]
    assert last.action == "version.discard"
    assert last.actor_id == users["drafter"].id
    page = get_page(client, "/documents/sample")
    message = page.find(class_="messages").get_text()
    assert "Draft version 1 was discarded" in message and "no versions now" in message


def test_discarding_a_later_draft_keeps_the_earlier_version(
    client: FlaskClient, users: dict[str, User]
) -> None:
    draft_version(publish=True)
    factories.version(factories.SAMPLE_DRAFT + "\nOne more paragraph.\n", publish=False)
    clauses_of_v1 = len(db.session.scalar(select(Version).where(Version.number == 1)).clauses)
    post_form(as_drafter(client, users), "/documents/sample/v2/discard")
    assert db.session.scalars(select(Version.number)).all() == [1]
    assert counts()["Clause"] == clauses_of_v1
    message = get_page(client, "/").find(class_="messages").get_text()
    assert "Draft version 2 was discarded." in message and "no versions" not in message


def test_a_published_version_cannot_be_discarded_or_altered(
    client: FlaskClient, users: dict[str, User]
) -> None:
    version = draft_version(publish=True)
    source, digest = version.source_text, version.content_hash
    clauses = [(c.key, c.number, c.text) for c in version.clauses]
    before = counts()

    response = post_form(as_drafter(client, users), "/documents/sample/v1/discard")
    assert response.headers["Location"] == "/documents/sample/v1/preview"
    message = get_page(client, "/").find(class_="messages").get_text()
    assert "is published: it can never be changed or deleted" in message
    assert counts() == before

    # Uploading new text makes a new version; the published one stays as it was.
    upload(client, "sample", draft_text=factories.SAMPLE_DRAFT.replace("dignity", "respect"))
    fresh()
    first = db.session.scalar(select(Version).where(Version.number == 1))
    assert first is not None and first.is_published
    assert (first.source_text, first.content_hash) == (source, digest)
    assert [(c.key, c.number, c.text) for c in first.clauses] == clauses
    assert db.session.scalar(select(Version.status).where(Version.number == 2)) == "draft"


# --- the matching with the previous published version --------------------------------

RENUMBERED = DRAFT.replace(
    "1. States shall provide effective remedies.\n2. Remedies shall be accessible.",
    "1. Remedies shall be prompt.\n2. States shall provide effective remedies.\n"
    "3. Remedies shall be accessible.",
)


def test_a_new_version_keeps_the_keys_of_renumbered_clauses(
    client: FlaskClient, users: dict[str, User]
) -> None:
    as_drafter(client, users)
    new_document(client, draft_text=DRAFT)
    post_form(client, "/documents/border/v1/publish", {"confirm": "yes"})
    fresh()
    old = {c.text: c.key for c in db.session.scalars(select(Clause)) if c.text}
    response = upload(client, "border", draft_text=RENUMBERED)
    assert response.headers["Location"] == "/documents/border/v2/preview"
    fresh()
    v2 = db.session.scalar(select(Version).where(Version.number == 2))
    assert v2 is not None
    new = {c.text: c.key for c in v2.clauses if c.text}
    for text in ("States shall provide effective remedies.", "Remedies shall be accessible."):
        assert new[text] == old[text]
    assert new["Remedies shall be prompt."] not in old.values()

    page = get_page(client, "/documents/border/v2/preview")
    section = page.find("h2", id="matching")
    assert section is not None and section.get_text() == "Matching with version 1"
    statuses = {
        code.get_text(): row.find(class_="match-status").get_text()
        for row in page.select("li.match-pair")
        for code in row.select(".new-clause code")
    }
    assert statuses == {
        old["States shall provide effective remedies."]: "Renumbered",
        old["Remedies shall be accessible."]: "Renumbered",
        new["Remedies shall be prompt."]: "Added",
    }


def test_the_first_version_shows_no_matching(client: FlaskClient, users: dict[str, User]) -> None:
    draft_version()
    page = get_page(as_drafter(client, users), "/documents/sample/v1/preview")
    assert page.find(id="matching") is None
    assert page.find("form", class_="match-form") is None


@pytest.mark.parametrize(
    ("language", "fields", "message"),
    [
        ("fr", {"draft_file": file(b"")}, "le projet est vide"),
        ("es", {"draft_file": file(PNG, "picture.md")}, "parece un archivo binario"),
        ("ru", {"draft_file": file(DUPLICATE_KEY.encode())}, "ключ «same» повторяется"),
        ("ar", {"draft_file": file(OVERSIZED)}, "والحد الأقصى 5 ميغابايت"),
    ],
)
def test_the_parser_s_refusals_are_in_the_reader_s_language(
    client: FlaskClient, users: dict[str, User], language: str, fields: Any, message: str
) -> None:
    drafter = as_drafter(client, users)
    assert post_form(drafter, "/language", {"language": language, "next": "/"}).status_code == 303
    response = new_document(drafter, **fields)
    assert response.status_code == 200
    assert message in field_error(soup(response), "draft_file")
    assert counts() == NOTHING
