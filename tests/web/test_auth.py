"""Signing in and out: same message for every failure, sessions that really end, safe redirects."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, User, UserSession
from consult.services import accounts
from tests.web.support import PASSWORD, csrf_token, get_page, login, post_form, soup

FAILURE = "The e-mail address or password is not right."


def test_login_page_has_labelled_fields(client: FlaskClient) -> None:
    page = get_page(client, "/login")
    form = page.select_one("main form")
    for name in ("email", "password"):
        field = form.find("input", attrs={"name": name})
        assert page.find("label", attrs={"for": field["id"]}) is not None
    assert form.find("input", attrs={"name": "csrf_token"}) is not None


@pytest.mark.parametrize("role", ["admin", "secretariat", "drafter", "stakeholder"])
def test_each_role_can_sign_in_and_out(
    client: FlaskClient, users: dict[str, User], role: str
) -> None:
    response = login(client, users[role].email.upper())  # e-mail is case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = get_page(client, "/")
    assert users[role].name in page.get_text()
    response = post_form(client, "/logout")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, users: dict[str, User]
) -> None:
    wrong = soup(login(client, users["drafter"].email, "not the password"))
    unknown = soup(login(client, "nobody@example.org", PASSWORD))
    for page in (wrong, unknown):
        messages = [p.get_text(strip=True) for p in page.select(".message")]
        assert messages == [FAILURE]
    assert client.get("/").status_code == 302  # still signed out


def test_deactivated_user_cannot_sign_in(client: FlaskClient, users: dict[str, User]) -> None:
    accounts.deactivate_user(users["stakeholder"], actor=users["admin"])
    page = soup(login(client, users["stakeholder"].email))
    assert FAILURE in page.get_text()


def test_missing_fields_are_reported(client: FlaskClient) -> None:
    page = soup(post_form(client, "/login", {"email": "", "password": ""}))
    assert len(page.select(".field .error")) == 2


def test_login_without_csrf_token_is_refused(client: FlaskClient, users: dict[str, User]) -> None:
    response = client.post("/login", data={"email": users["admin"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in soup(response).get_text()
    assert db.session.scalars(select(UserSession)).first() is None


def test_session_is_renewed_at_login(client: FlaskClient, users: dict[str, User]) -> None:
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, users["drafter"].email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_replayed_cookie_is_refused_after_logout(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    login(client, users["drafter"].email, remember=True)
    cookies = {c.key: c.value for c in client._cookies.values()}
    assert "remember_token" in cookies
    post_form(client, "/logout")
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    only_remember = app.test_client()
    only_remember.set_cookie("remember_token", cookies["remember_token"])
    assert only_remember.get("/").status_code == 302


def test_deactivation_ends_existing_sessions(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    login(client, users["stakeholder"].email)
    assert client.get("/").status_code == 200
    accounts.deactivate_user(users["stakeholder"], actor=users["admin"])
    assert client.get("/").status_code == 302


def test_cookies_are_http_only_and_same_site(client: FlaskClient, users: dict[str, User]) -> None:
    response = login(client, users["drafter"].email, remember=True)
    headers = response.headers.getlist("Set-Cookie")
    assert headers
    for header in headers:
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/documents/x", "/documents/x"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_goes_to_this_site(
    client: FlaskClient, users: dict[str, User], target: str, expected: str
) -> None:
    data = {"email": users["drafter"].email, "password": PASSWORD}
    data["csrf_token"] = csrf_token(client)
    response = client.post("/login", query_string={"next": target}, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_anonymous_visitor_is_sent_to_login_with_next(client: FlaskClient) -> None:
    response = client.get("/documents/sample/v1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fdocuments%2Fsample%2Fv1"


def test_login_and_logout_are_audited(client: FlaskClient, users: dict[str, User]) -> None:
    login(client, users["secretariat"].email)
    post_form(client, "/logout")
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["user.login", "user.logout"]


def test_logout_needs_post(client: FlaskClient, users: dict[str, User]) -> None:
    login(client, users["drafter"].email)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_concurrent_logins_all_succeed(app: Flask) -> None:
    """Logins write a session row: under concurrency none may fail with a locked database."""
    from concurrent.futures import ThreadPoolExecutor

    from tests import factories

    people = [factories.user("drafter", email=f"many{n}@example.org").email for n in range(12)]
    clients = [app.test_client() for _ in people]
    tokens = [csrf_token(client) for client in clients]

    def sign_in(index: int) -> int:
        response = clients[index].post(
            "/login",
            data={"email": people[index], "password": PASSWORD, "csrf_token": tokens[index]},
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(sign_in, range(len(people))))
    assert statuses == [302] * len(people)
    db.session.rollback()
    assert len(db.session.scalars(select(UserSession)).all()) == len(people)
