"""A version uploaded without a label is named by its number once, on every page that names
it ("Version 2", never "Version 2 · Version 2" nor "Version 2: Version 2"); one with a label
is "Version 2 (Final text)" wherever a version is named in a sentence or a list."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult import labels
from consult.models import User
from consult.services import drafts
from tests.web.support import get_page, login

TEXT = "# Plain Terms\n\n## 1. Scope\n\nThis text applies at every border.\n"
LATER = TEXT.replace("every border", "every land border") + "\n## 2. Review\n\nA review.\n"


@pytest.fixture
def unlabelled(app: object) -> None:
    for text in (TEXT, LATER):
        drafts.import_draft(text.encode(), document_slug="plain", filename="v.md", publish=True)


def test_a_version_is_named_by_its_number_and_its_label_if_any(app: Flask) -> None:
    with app.test_request_context():
        assert labels.version_name(2) == "Version 2"
        assert labels.version_name(2, "") == "Version 2"
        assert labels.version_name(2, "Final text") == "Version 2 (Final text)"


@pytest.mark.parametrize("role", ["stakeholder", "drafter"])
def test_an_unlabelled_version_is_named_once(
    unlabelled: None, client: FlaskClient, users: dict[str, User], role: str
) -> None:
    assert drafts.get_version("plain", 2).label == ""  # no label of its own
    login(client, users[role].email)
    page = get_page(client, "/documents/plain/v2")
    meta = page.find(class_="version-meta").get_text(" ", strip=True)
    assert meta.count("Version 2") == 1 and page.find(class_="version-label") is None
    compare = get_page(client, "/documents/plain/compare/1/2")
    options = [o.get_text(strip=True) for o in compare.select("select option")]
    assert "Version 1" in options and "Version 2" in options
    assert not [o for o in options if o.count("Version") > 1]
    assert "From Version 1 to Version 2." in compare.get_text(" ", strip=True)
    clause = get_page(client, "/documents/plain/v2/clauses/1")
    assert clause.find(class_="version-meta").get_text().count("Version 2") == 1


def test_a_labelled_version_keeps_its_label(
    app: object, client: FlaskClient, users: dict[str, User]
) -> None:
    drafts.import_draft(
        TEXT.encode(), document_slug="plain", filename="v.md", label="First reading", publish=True
    )
    login(client, users["stakeholder"].email)
    drafts.import_draft(LATER.encode(), document_slug="plain", filename="v.md", publish=True)
    page = get_page(client, "/documents/plain/v1")
    assert page.find(class_="version-label").get_text(strip=True) == "First reading"
    # Named by its label beside an unlabelled version; each side on its own.
    compare = get_page(client, "/documents/plain/compare/1/2")
    meta = compare.find(class_="version-meta").get_text()
    assert meta == "From Version 1 (First reading) to Version 2."
    options = [o.get_text(strip=True) for o in compare.select("select option")]
    assert "Version 1 (\u2068First reading\u2069)" in options and "Version 2" in options
