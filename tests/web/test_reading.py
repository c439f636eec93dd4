"""The plain reading pages: documents, versions, clauses."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests import factories


def page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status
    return BeautifulSoup(response.data, "html.parser")


def test_index_lists_documents_and_versions(client: FlaskClient) -> None:
    assert "No documents yet." in page(client, "/").get_text()
    factories.version()
    soup = page(client, "/")
    assert soup.find("h2").get_text(strip=True) == "Sample Principles"
    link = soup.find("a", href="/documents/sample/v1")
    assert link is not None and link.get_text(strip=True) == "Version 1"
    assert soup.html["lang"] == "en" and soup.html["dir"] == "ltr"


def test_version_page_shows_every_clause_with_an_anchor(client: FlaskClient) -> None:
    version = factories.version()
    soup = page(client, "/documents/sample/v1")
    sections = soup.select("section.clause")
    assert [s["id"] for s in sections] == [c.key for c in version.clauses]
    dignity = soup.find(id="principle-dignity")
    assert "Dignity" in dignity.get_text() and "Principle 1" in dignity.get_text()


def test_clause_text_is_escaped(client: FlaskClient) -> None:
    factories.version("# T\n\nA <script>alert(1)</script> paragraph.\n", slug="xss")
    soup = page(client, "/documents/xss/v1")
    assert soup.find("script") is None
    assert "<script>alert(1)</script>" in soup.get_text()


def test_unknown_document_or_version_is_404(client: FlaskClient) -> None:
    factories.version()
    page(client, "/documents/sample/v2", 404)
    page(client, "/documents/nope/v1", 404)
