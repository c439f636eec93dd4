"""Helpers for web tests: parsed pages, CSRF tokens, signing in.

A form's CSRF token is made for the client's session without loading a page
(`csrf_token`): tests that check a page carries its token parse the page.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.ctx import RequestContext
from flask.testing import EnvironBuilder, FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select
from werkzeug.test import TestResponse

from consult.extensions import db
from consult.models import AuditEvent, User

PASSWORD = "correct horse"


def soup(response: TestResponse) -> BeautifulSoup:
    """Return the response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def without_bdi(tag: Tag) -> Tag:
    """Return a copy of `tag` whose <bdi> elements are unwrapped into the text around them.

    Typed values are isolated in <bdi> inside sentences (consult.web.bidi):
    get_text(" ") on the page itself puts spaces around them ("of “ Title ”").
    """
    copied = copy.copy(tag)
    for bdi in copied.find_all("bdi"):
        bdi.unwrap()
    copied.smooth()
    return copied


def get_page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    """GET `url`, check the status, and return the parsed page."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return soup(response)


def csrf_token(client: FlaskClient) -> str:
    """Return the CSRF token a form would carry for the client's session, without loading a page.

    Flask-WTF signs a secret kept in the session: it is made here, as a page
    would make it, in a request context that holds the client's session, and
    the session (with the secret, if it is new) goes back into the client's cookie.
    """
    web = client.application
    with client.session_transaction() as session, web.app_context():
        # A fresh app context: Flask-WTF keeps the token of a request in `g`.
        environ = EnvironBuilder(web).get_environ()
        with RequestContext(web, environ, session=session):
            return str(generate_csrf())


def post_form(client: FlaskClient, url: str, data: dict[str, Any] | None = None) -> TestResponse:
    """POST `data` to `url` with a valid CSRF token for the client's session."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client)
    return client.post(url, data=payload)


def login(
    client: FlaskClient, email: str, password: str = PASSWORD, remember: bool = False
) -> TestResponse:
    """Sign in through the login form; return the response."""
    data: dict[str, Any] = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, "/login", data)


def set_clock(app: Flask, client: FlaskClient, at: datetime) -> None:
    """Make the services (in the test and behind the client) believe it is `at`."""
    app.config["CLOCK"] = lambda: at
    client.application.config["CLOCK"] = lambda: at


def fresh() -> None:
    """End the test's read transaction, so that it sees what requests have written since."""
    db.session.rollback()


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign `user` in through the login form, checking it worked."""
    assert login(client, user.email).status_code == 302
    fresh()


def count(model: type[Any]) -> int:
    """Return how many rows of `model` the database holds now."""
    fresh()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit_actions() -> list[str]:
    """Return the actions of the audit trail, oldest first."""
    fresh()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def flash_messages(page: BeautifulSoup) -> list[str]:
    """The flashed messages shown on `page`, each on one line."""
    return [" ".join(p.get_text().split()) for p in page.select(".message")]


@contextmanager
def counted_statements(client: FlaskClient) -> Iterator[list[str]]:
    """Collect the SQL statements of the requests `client` makes meanwhile."""
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(str(args[2]))

    with client.application.app_context():
        engine = db.engine  # the engine of the app serving the client's requests
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
