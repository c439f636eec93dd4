"""NUL characters in a request: never a server error, on SQLite or PostgreSQL.

PostgreSQL refuses a NUL byte in any text parameter, so a lookup with one (a
clause key in the address, a slug, a filter, a form field a view reads) used
to raise there while SQLite quietly found nothing.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, User
from tests import factories
from tests.web.support import fresh, get_page, login
from tests.web.test_comments import hidden_fields


def _signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_a_nul_in_an_address_is_not_found(app: Flask, users: dict[str, User]) -> None:
    """Attack: a NUL in a clause key, slug or comment address, to make the database fail."""
    factories.version()
    client = _signed_in(app, users["stakeholder"])
    for url in (
        "/documents/sample%00",
        "/documents/sample/v1/clauses/principle-dignity-p1%00",
        "/documents/%00/matrix",
    ):
        assert client.get(url).status_code == 404, url


def test_a_nul_in_a_query_string_is_a_bad_request(app: Flask, users: dict[str, User]) -> None:
    """Attack: a NUL in a filter or search of the query string."""
    factories.version()
    client = _signed_in(app, users["secretariat"])
    for url in (
        "/documents/sample/v1?round=%00",
        "/documents/sample/matrix?q=%00",
        "/admin/audit?action=%00",
        "/documents/sample/v1?x%00=1",
    ):
        assert client.get(url).status_code == 400, url


def test_nul_characters_in_a_posted_form_are_removed_before_any_view_reads_them(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: a NUL in a hidden form field that a view reads itself (the clause of a comment)."""
    version = factories.version()
    round_ = factories.round_(version)
    client = _signed_in(app, users["stakeholder"])
    url = f"/rounds/{round_.id}/comment?clause=principle-dignity-p1"
    payload = hidden_fields(get_page(client, url))
    payload.update(
        {"clause": "principle-dignity-p1\x00", "type": "substantive", "body": "Say\x00 who trains."}
    )
    response = client.post(url, data=payload)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    fresh()
    stored = db.session.scalars(select(Comment)).all()
    assert [c.body for c in stored] == ["Say who trains."]
    assert stored[0].clause is not None and stored[0].clause.key == "principle-dignity-p1"
