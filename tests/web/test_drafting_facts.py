"""The document facts a draft's front matter sets (symbol, publisher, language) on the preview."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Document, User
from tests.web.support import get_page, soup
from tests.web.test_drafting import (
    NOTHING,
    as_drafter,
    counts,
    field_error,
    fresh,
    new_document,
    upload,
)

BODY = "# Border Principles\n\n## Principle 1: Dignity\n\nEveryone shall be treated with dignity.\n"


def draft(*front: str, body: str = BODY) -> str:
    return "---\n" + "".join(f"{line}\n" for line in front) + "---\n\n" + body


def facts(page: BeautifulSoup) -> dict[str, str]:
    """The preview's facts list, term to description."""
    listing = page.find("dl", class_="version-facts")
    assert listing is not None
    terms = [dt.get_text(" ", strip=True) for dt in listing.find_all("dt")]
    values = [dd.get_text(" ", strip=True) for dd in listing.find_all("dd")]
    return dict(zip(terms, values, strict=True))


def test_the_preview_shows_the_facts_the_draft_sets(
    client: FlaskClient, users: dict[str, User]
) -> None:
    text = draft(
        "symbol: CONSULT/HRB/2026/1",
        "publisher: Consult demonstration secretariat",
        "language: EN",
    )
    response = new_document(as_drafter(client, users), draft_text=text)
    assert response.status_code == 302
    page = get_page(client, response.headers["Location"])
    shown = facts(page)
    assert shown["Document symbol"] == "CONSULT/HRB/2026/1"
    assert shown["Publisher"] == "Consult demonstration secretariat"
    assert shown["Language of the text"] == "English (en)"
    assert "come from this draft's front matter" in page.get_text()
    fresh()
    document = db.session.scalar(select(Document))
    assert document is not None
    assert (document.symbol, document.publisher, document.language) == (
        "CONSULT/HRB/2026/1",
        "Consult demonstration secretariat",
        "en",
    )


def test_a_draft_that_sets_no_facts_lists_none(client: FlaskClient, users: dict[str, User]) -> None:
    response = new_document(as_drafter(client, users), draft_text=draft("title: Border Principles"))
    page = get_page(client, response.headers["Location"])
    assert list(facts(page)) == ["Label", "Source", "Clauses", "Warnings"]
    assert "front matter" not in page.get_text()


def test_each_preview_shows_what_its_own_draft_sets(
    client: FlaskClient, users: dict[str, User]
) -> None:
    as_drafter(client, users)
    new_document(client, draft_text=draft("symbol: CONSULT/1", "language: zh-Hans"))
    second = draft("symbol: CONSULT/1/Rev.1", body=BODY + "\nA second paragraph.\n")
    response = upload(client, "border", draft_text=second)
    assert response.headers["Location"] == "/documents/border/v2/preview"
    assert facts(get_page(client, "/documents/border/v2/preview"))["Document symbol"] == (
        "CONSULT/1/Rev.1"
    )
    first = facts(get_page(client, "/documents/border/v1/preview"))
    assert first["Document symbol"] == "CONSULT/1"
    assert first["Language of the text"] == "Chinese (Simplified) (zh-Hans)"
    fresh()
    document = db.session.scalar(select(Document))
    assert document is not None
    assert (document.symbol, document.language) == ("CONSULT/1/Rev.1", "zh-Hans")


def test_a_bad_language_is_refused_at_the_draft_with_its_line(
    client: FlaskClient, users: dict[str, User]
) -> None:
    text = draft("title: Border Principles", "language: English")
    response = new_document(as_drafter(client, users), draft_text=text)
    assert response.status_code == 200
    message = field_error(soup(response), "draft_text")
    assert "Line 3: the front matter's language 'English' is not a language tag" in message
    assert counts() == NOTHING
