"""Helpers for web tests: parsed pages, CSRF tokens, signing in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from consult.extensions import db
from consult.models import AuditEvent, User

PASSWORD = "correct horse"


def soup(response: TestResponse) -> BeautifulSoup:
    """Return the response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def get_page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    """GET `url`, check the status, and return the parsed page."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return soup(response)


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """Return a CSRF token from a form on the page at `url`."""
    field = get_page(client, url).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF token on {url}"
    return str(field["value"])


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any] | None = None, token_from: str = "/"
) -> TestResponse:
    """POST `data` to `url` with a valid CSRF token taken from the page `token_from`."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, token_from)
    return client.post(url, data=payload)


def login(
    client: FlaskClient, email: str, password: str = PASSWORD, remember: bool = False
) -> TestResponse:
    """Sign in through the login form; return the response."""
    data: dict[str, Any] = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, "/login", data, token_from="/login")


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
