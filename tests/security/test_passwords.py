"""Passwords people can manage: the policy, changing one's own, reset links, argon2 hashes.

Each test's docstring names the attack or the failure it stops.
"""

from __future__ import annotations

import email
import re
import socket
import stat
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from consult.extensions import db
from consult.models import AuditEvent, PasswordReset, User
from consult.models.base import utcnow
from tests.web.support import (
    PASSWORD,
    audit_actions,
    fresh,
    get_page,
    login,
    post_form,
    set_clock,
    soup,
)

NEW_PASSWORD = "plum kettle harbour"
LINK = re.compile(r"https?://\S+/password-reset/[A-Za-z0-9_-]+")


def field_error(page: BeautifulSoup, name: str) -> str:
    """Return the error shown by the field `name` (tied to it by aria-describedby)."""
    control = page.find(attrs={"name": name})
    assert control is not None, name
    error = page.find(id=f"{control['id']}-error")
    assert error is not None, f"no error by {name}"
    assert f"{control['id']}-error" in control["aria-describedby"]
    return str(error.get_text(" ", strip=True))


def signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def stored_hash(user_id: int) -> str:
    fresh()
    account = db.session.get(User, user_id)
    assert account is not None
    return account.password_hash


def written_messages(folder: Path) -> list[Message]:
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def link_path(message: Message) -> str:
    """Return the path of the reset link in `message`."""
    found = LINK.search(body(message))
    assert found is not None, body(message)
    return "/password-reset/" + found.group(0).rsplit("/", 1)[1]


def send_link(client: FlaskClient, admin: User, user: User) -> Any:
    login(client, admin.email)
    return post_form(client, f"/admin/users/{user.id}/password-link")


# The policy, on every form that sets a password


WEAK = [
    ("eleven char", "Use at least 12 characters."),
    ("x" * 129, "Use at most 128 characters."),
    ("password1234", "list of common passwords"),
    ("Iloveyou2024!!", "list of common passwords"),  # a listed one padded to the length
    ("qwertyuiop123", "list of common passwords"),
]


def _personal(user: User) -> list[tuple[str, str]]:
    """Passwords made of the account's e-mail address or name (renamed to a real-looking one)."""
    user.name = "Pat Doherty"
    db.session.commit()
    local = user.email.split("@")[0]
    return [
        (user.email, "e-mail address or name"),
        (f"{local.upper()}-2026!", "e-mail address or name"),
        (f"{user.name} 2026", "e-mail address or name"),
    ]


@pytest.mark.parametrize("weak", range(len(WEAK) + 3))
def test_admin_cannot_create_an_account_with_a_weak_password(
    client: FlaskClient, users: dict[str, User], weak: int
) -> None:
    """Stops accounts born with a guessable password (short, common, or the person's own name)."""
    new = User(name="Pat Doherty", email="patdoherty@example.org")
    password, message = (WEAK + _personal(new))[weak]
    login(client, users["admin"].email)
    data = {"name": new.name, "email": new.email, "organisation": "", "role": "drafter"}
    data["password_choice"] = "set_now"
    response = post_form(client, "/admin/users", {**data, "password": password})
    assert response.status_code == 200
    assert message in field_error(soup(response), "password")
    assert db.session.scalar(select(User).where(User.email == new.email)) is None


@pytest.mark.parametrize("weak", range(len(WEAK) + 3))
def test_a_person_cannot_change_to_a_weak_password(
    client: FlaskClient, users: dict[str, User], weak: int
) -> None:
    """Stops a person swapping a good password for one an attacker guesses first."""
    user = users["stakeholder"]
    password, message = (WEAK + _personal(user))[weak]
    before = stored_hash(user.id)
    login(client, user.email)
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": password, "confirm": password},
    )
    assert response.status_code == 200
    assert message in field_error(soup(response), "new_password")
    assert stored_hash(user.id) == before


@pytest.mark.parametrize("weak", range(len(WEAK) + 3))
def test_a_reset_link_does_not_take_a_weak_password(
    client: FlaskClient, users: dict[str, User], mail_folder: Path, weak: int
) -> None:
    """Stops the reset form being a way round the policy; the link stays usable after a refusal."""
    user = users["drafter"]
    password, message = (WEAK + _personal(user))[weak]
    send_link(client, users["admin"], user)
    path = link_path(written_messages(mail_folder)[0])
    before = stored_hash(user.id)
    anonymous = client.application.test_client()
    response = post_form(anonymous, path, {"new_password": password, "confirm": password})
    assert response.status_code == 200
    assert message in field_error(soup(response), "new_password")
    assert stored_hash(user.id) == before
    assert get_page(anonymous, path).find("input", attrs={"name": "new_password"}) is not None


def test_every_form_says_the_rule(client: FlaskClient, users: dict[str, User]) -> None:
    """Stops people finding the rule only by failing it: each form states it beside the field."""
    login(client, users["admin"].email)
    for url, name in (("/admin/users", "password"), ("/account/password", "new_password")):
        page = get_page(client, url)
        control = page.find("input", attrs={"name": name})
        assert control["minlength"] == "12" and control["autocomplete"] == "new-password"
        hint = page.find(id=f"{control['id']}-hint").get_text()
        assert "At least 12 characters" in hint and "common password" in hint


def test_the_demo_refuses_a_weak_password(app: Flask) -> None:
    """Stops `flask load-demo` creating accounts whose password breaks the policy."""
    app.config["DEMO_PASSWORD"] = "demo"
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code != 0
    assert "Use at least 12 characters." in result.output
    assert db.session.scalar(select(User)) is None


def test_the_default_demo_password_passes_the_policy() -> None:
    """Stops `make run` failing: the demo's own password must pass the policy for every account."""
    from consult.domain.password_policy import check_password
    from consult.services.demo import DEFAULT_DEMO_PASSWORD, DEMO_USERS

    for name, address, _role, _organisation in DEMO_USERS:
        assert check_password(DEFAULT_DEMO_PASSWORD, email=address, name=name) is None


# Changing one's own password


def test_changing_needs_the_current_password(client: FlaskClient, users: dict[str, User]) -> None:
    """Stops someone at an unattended, signed-in browser taking the account over."""
    user = users["secretariat"]
    before = stored_hash(user.id)
    login(client, user.email)
    response = post_form(
        client,
        "/account/password",
        {
            "current_password": "not the password",
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert field_error(soup(response), "current_password") == "The current password is not right."
    assert stored_hash(user.id) == before
    assert "user.password_change" not in audit_actions()


def test_changing_ends_the_other_sessions(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    """Stops a thief who holds a stolen session cookie staying in after the owner changes
    the password; the person's own session goes on."""
    user = users["stakeholder"]
    elsewhere = app.test_client()
    assert login(elsewhere, user.email).status_code == 302
    assert login(client, user.email).status_code == 302
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    page = get_page(client, response.headers["Location"])
    assert "Your password is changed. You are signed out everywhere else." in page.get_text()
    assert signed_in(client)
    assert not signed_in(elsewhere)
    assert login(app.test_client(), user.email, PASSWORD).status_code == 200  # refused
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert audit_actions().count("user.password_change") == 1


def test_the_two_new_passwords_must_match(client: FlaskClient, users: dict[str, User]) -> None:
    """Stops a typing slip locking the person out of their account."""
    login(client, users["drafter"].email)
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": "plum kettle"},
    )
    assert "differ" in field_error(soup(response), "confirm")


@pytest.mark.parametrize("role", ["admin", "secretariat", "drafter", "stakeholder"])
def test_every_role_finds_the_page_from_the_header(
    client: FlaskClient, users: dict[str, User], role: str
) -> None:
    """Stops the change being possible only for those who know the address."""
    login(client, users[role].email)
    header = get_page(client, "/").find("header")
    assert header.find("a", href="/account/password") is not None
    get_page(client, "/account/password")


def test_the_change_page_needs_a_session(client: FlaskClient) -> None:
    """Stops anonymous visitors reaching the form at all."""
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# Reset links sent by an admin


def test_a_reset_link_works_once(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops a reset link found later (in a mailbox, a proxy log) opening the account again;
    setting the password signs the account out everywhere."""
    user = users["stakeholder"]
    victim_session = app.test_client()
    login(victim_session, user.email)
    response = send_link(client, users["admin"], user)
    assert response.status_code == 302
    page = get_page(client, response.headers["Location"])
    assert f"A link to choose a new password is on its way to {user.email}." in page.get_text()
    path = link_path(written_messages(mail_folder)[0])

    anonymous = app.test_client()
    page = get_page(anonymous, path)
    assert user.email in page.find("main").get_text()
    response = post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(anonymous, user.email, NEW_PASSWORD).status_code == 302
    assert not signed_in(victim_session)

    again = app.test_client()
    page = get_page(again, path, status=410)
    assert "This link no longer works" in page.find("h1").get_text()
    response = post_form(again, path, {"new_password": "another fine phrase", "confirm": "x"})
    assert response.status_code == 410
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    actions = audit_actions()
    assert actions.count("user.password_reset_sent") == 1
    assert actions.count("user.password_reset") == 1


def test_a_reset_link_expires(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops an old, unused link in a mailbox opening the account days later."""
    user = users["drafter"]
    send_link(client, users["admin"], user)
    path = link_path(written_messages(mail_folder)[0])
    anonymous = app.test_client()
    set_clock(app, anonymous, utcnow() + timedelta(hours=23, minutes=59))
    get_page(anonymous, path)
    set_clock(app, anonymous, utcnow() + timedelta(hours=24, minutes=1))
    get_page(anonymous, path, status=410)
    response = post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_a_newer_link_voids_the_older_one(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops a link the admin sent to a mistyped or stale address staying usable."""
    user = users["drafter"]
    send_link(client, users["admin"], user)
    post_form(client, f"/admin/users/{user.id}/password-link")
    first, second = (link_path(m) for m in written_messages(mail_folder))
    assert first != second
    anonymous = app.test_client()
    get_page(anonymous, first, status=410)
    get_page(anonymous, second)


@pytest.mark.parametrize("token", ["nonsense", "A" * 43, "x" * 500])
def test_unknown_tokens_are_not_found(client: FlaskClient, token: str) -> None:
    """Stops guessing: a token that was never sent answers 404, like any unknown address."""
    assert client.get(f"/password-reset/{token}").status_code == 404
    response = post_form(
        client, f"/password-reset/{token}", {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 404


def test_only_the_hash_of_the_token_is_stored(
    client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops a leaked database copy (a backup) giving working reset links."""
    send_link(client, users["admin"], users["drafter"])
    token = link_path(written_messages(mail_folder)[0]).rsplit("/", 1)[1]
    fresh()
    reset = db.session.scalar(select(PasswordReset))
    assert reset is not None and token not in reset.token_hash and len(reset.token_hash) == 64


def test_a_deactivated_account_cannot_use_its_link(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops a reset link bringing back an account an admin has since deactivated."""
    user = users["drafter"]
    send_link(client, users["admin"], user)
    path = link_path(written_messages(mail_folder)[0])
    post_form(client, f"/admin/users/{user.id}/deactivate")
    get_page(app.test_client(), path, status=410)
    response = send_link(client, users["admin"], user)
    page = get_page(client, response.headers["Location"])
    assert "Nothing was sent" in page.get_text()
    assert len(written_messages(mail_folder)) == 1


@pytest.mark.parametrize("role", ["secretariat", "drafter", "stakeholder"])
def test_only_admins_send_reset_links(
    client: FlaskClient, users: dict[str, User], mail_folder: Path, role: str
) -> None:
    """Stops anyone but an admin triggering reset mail (a nuisance, or a phishing lure)."""
    login(client, users[role].email)
    response = post_form(client, f"/admin/users/{users['drafter'].id}/password-link")
    assert response.status_code == 403
    assert written_messages(mail_folder) == []
    assert db.session.scalar(select(PasswordReset)) is None


def test_anonymous_visitors_cannot_send_reset_links(
    client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops an anonymous flood of reset e-mails."""
    response = post_form(client, f"/admin/users/{users['drafter'].id}/password-link")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert written_messages(mail_folder) == []


def test_the_admin_page_offers_the_link_for_other_active_accounts(
    client: FlaskClient, users: dict[str, User]
) -> None:
    """Stops admins having to choose (and so know) someone else's password."""
    login(client, users["admin"].email)
    page = get_page(client, "/admin/users")
    row = page.find(id=f"user-{users['drafter'].id}")
    actions = [form["action"] for form in row.find_all("form")]
    assert f"/admin/users/{users['drafter'].id}/password-link" in actions
    mine = page.find(id=f"user-{users['admin'].id}")
    assert mine.find("form") is None


# E-mail: to an SMTP server, or into files


def test_without_smtp_the_message_is_a_private_file(
    client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops the embedded default losing reset mail (or showing it to other local users)."""
    user = users["stakeholder"]
    send_link(client, users["admin"], user)
    files = list(mail_folder.glob("*.eml"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    message = written_messages(mail_folder)[0]
    assert message["To"] == user.email
    assert message["Subject"] == "Choose a new password for Consult"
    assert "24 hours" in body(message)
    link_path(message)


class Inbox:
    """An aiosmtpd handler that keeps what it receives, and who signed in to send it."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], Message]] = []
        self.senders: list[object] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.received.append(
            (str(envelope.mail_from), list(envelope.rcpt_tos), email.message_from_bytes(content))
        )
        self.senders.append(session.auth_data if session.authenticated else None)
        return "250 Message accepted for delivery"


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    """Accept the platform's account on the mail server, and nobody else."""
    ok = data.login == b"consult-mailer" and data.password == b"mail server secret"
    return AuthResult(success=ok, auth_data=data.login.decode() if ok else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(app: Flask, client: FlaskClient) -> Iterator[Inbox]:
    """A real SMTP server on a free local port, and the platform set to send through it."""
    inbox = Inbox()
    port = _free_port()
    # AUTH offered without TLS: this server listens on 127.0.0.1 only, for this test.
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    for each in (app, client.application):
        each.config.update(
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=port,
            SMTP_STARTTLS=False,
            MAIL_FROM="consult@platform.example",
        )
    try:
        yield inbox
    finally:
        controller.stop()


def test_the_link_arrives_by_smtp_and_works(
    app: Flask, client: FlaskClient, users: dict[str, User], smtp_server: Inbox, tmp_path: Path
) -> None:
    """Stops reset links that never reach the person: the message is handed to the SMTP server,
    and the link it carries sets the password."""
    for each in (app, client.application):
        each.config["MAIL_FOLDER"] = str(tmp_path / "unused")
    user = users["secretariat"]
    assert send_link(client, users["admin"], user).status_code == 302
    assert len(smtp_server.received) == 1
    sender, recipients, message = smtp_server.received[0]
    assert sender == "consult@platform.example" and recipients == [user.email]
    assert message["Subject"] == "Choose a new password for Consult"
    path = link_path(message)
    anonymous = app.test_client()
    response = post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert login(anonymous, user.email, NEW_PASSWORD).status_code == 302
    assert not (tmp_path / "unused").exists()


def test_the_platform_signs_in_to_the_smtp_server_when_told(
    app: Flask, client: FlaskClient, users: dict[str, User], smtp_server: Inbox
) -> None:
    """Stops mail being refused by a server that wants its senders to sign in."""
    for each in (app, client.application):
        each.config.update(SMTP_USERNAME="consult-mailer", SMTP_PASSWORD="mail server secret")
    assert send_link(client, users["admin"], users["drafter"]).status_code == 302
    assert smtp_server.senders == ["consult-mailer"]
    assert smtp_server.received[0][1] == [users["drafter"].email]


def test_an_unreachable_smtp_server_is_reported(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    """Stops the admin believing a link went out when the mail server refused it."""
    for each in (app, client.application):
        each.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port(), SMTP_STARTTLS=False)
    response = send_link(client, users["admin"], users["drafter"])
    page = get_page(client, response.headers["Location"])
    assert "Nothing was sent" in page.get_text()
    assert db.session.scalar(select(PasswordReset)) is None
    assert "user.password_reset_sent" not in audit_actions()


# Accounts created with a link to choose a password (the default)

WELCOME_SUBJECT = "Your account on Consult: choose your password"
REFUSED = "The e-mail address or password is not right."


def invite(client: FlaskClient, admin: User, **changes: str) -> Any:
    """Create an account through the admin's form, choosing the e-mailed link."""
    login(client, admin.email)
    data = {
        "name": "Nadia Novak",
        "email": "nadia@example.org",
        "organisation": "",
        "role": "drafter",
        "password_choice": "email_link",
        "password": "",
        **changes,
    }
    return post_form(client, "/admin/users", data)


def flashed(client: FlaskClient, response: Any) -> str:
    """Follow a redirect and return the text of the messages shown."""
    assert response.status_code == 302, response.status_code
    page = get_page(client, response.headers["Location"])
    return " ".join(" ".join(m.get_text().split()) for m in page.select(".message"))


def events_of(user: User) -> list[tuple[str, int | None]]:
    """Return the audit trail of one account: each action and who did it, oldest first."""
    fresh()
    rows = db.session.execute(
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.id)
    )
    return [(action, actor) for action, actor in rows]


def account(email_address: str) -> User:
    fresh()
    found = db.session.scalar(select(User).where(User.email == email_address))
    assert found is not None, email_address
    return found


def test_a_new_account_chooses_its_own_password_through_a_welcome_link(
    app: Flask, client: FlaskClient, users: dict[str, User], smtp_server: Inbox
) -> None:
    """Stops admins having to choose (and so know) a new person's password: the person gets
    one welcome message, whose link sets the password they then sign in with."""
    admin = users["admin"]
    ngo = users["stakeholder"].organisation
    assert ngo is not None
    response = invite(client, admin, role="stakeholder", organisation=str(ngo.id))
    assert flashed(client, response) == (
        "Account created: a link to choose a password was e-mailed to nadia@example.org, "
        "valid for 3 days."
    )
    assert len(smtp_server.received) == 1
    _sender, recipients, message = smtp_server.received[0]
    assert recipients == ["nadia@example.org"]
    assert message["Subject"] == WELCOME_SUBJECT
    text = " ".join(body(message).split())
    assert text.startswith("Hello Nadia Novak,")
    assert f"{admin.name}, an administrator of Consult, has opened an account for you" in text
    assert "on behalf of Test NGO" in text
    assert "It has no password yet: open this link to choose your own" in text
    assert "The link works once, for 3 days" in text
    words = LINK.sub("", text).lower()  # the link's own path says password-reset
    assert "new password" not in words and "reset" not in words

    path = link_path(message)
    anonymous = app.test_client()
    page = get_page(anonymous, path)
    assert page.find("h1").get_text() == "Choose your password"
    assert "nadia@example.org has no password yet" in page.find("main").get_text()
    response = post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Your password is set. Sign in with it." in get_page(anonymous, "/login").get_text()
    assert login(anonymous, "nadia@example.org", NEW_PASSWORD).status_code == 302
    assert signed_in(anonymous)
    get_page(app.test_client(), path, status=410)  # used
    assert events_of(account("nadia@example.org")) == [
        ("user.create", admin.id),
        ("user.invitation_sent", admin.id),
        ("user.password_reset", account("nadia@example.org").id),
        ("user.login", account("nadia@example.org").id),
    ]


def test_the_welcome_link_lasts_longer_than_a_reset_link(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops a welcome link dying before a busy person reads it (PASSWORD_WELCOME_HOURS, 72),
    and living on after: it is refused once its time is up."""
    invite(client, users["admin"])
    message = written_messages(mail_folder)[0]
    assert message["Subject"] == WELCOME_SUBJECT
    assert "on behalf of" not in body(message)  # a drafter acts for no organisation
    path = link_path(message)
    anonymous = app.test_client()
    set_clock(app, anonymous, utcnow() + timedelta(hours=71, minutes=59))
    get_page(anonymous, path)
    set_clock(app, anonymous, utcnow() + timedelta(hours=72, minutes=1))
    get_page(anonymous, path, status=410)
    response = post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert login(app.test_client(), "nadia@example.org", NEW_PASSWORD).status_code == 200


def test_a_setting_sets_how_long_the_welcome_link_lasts(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops the setting being ignored: the flash and the message say the configured time."""
    for each in (app, client.application):
        each.config["PASSWORD_WELCOME_HOURS"] = 36
    response = invite(client, users["admin"])
    assert "valid for 36 hours" in flashed(client, response)
    assert "The link works once, for 36 hours" in " ".join(
        body(written_messages(mail_folder)[0]).split()
    )
    fresh()
    reset = db.session.scalar(select(PasswordReset))
    assert reset is not None and reset.expires_at - reset.created_at == timedelta(hours=36)


def test_an_account_waiting_for_its_password_refuses_every_password(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops a new account being entered before its person chooses a password: whatever is
    typed (the stored text itself, the demo's password, one character) is refused like any
    wrong password, with no error page and no session."""
    invite(client, users["admin"])
    stored = stored_hash(account("nadia@example.org").id)
    assert not stored.startswith("$argon2")
    for password in (stored, stored[1:], "!", "x", PASSWORD, NEW_PASSWORD, "a" * 1024):
        visitor = app.test_client()
        response = login(visitor, "nadia@example.org", password)
        assert response.status_code == 200, password
        assert REFUSED in soup(response).get_text(), password
        assert not signed_in(visitor)
    for password in ("", "   "):  # refused by the form, before any check, as for every account
        visitor = app.test_client()
        assert login(visitor, "nadia@example.org", password).status_code == 200
        assert not signed_in(visitor)
    assert stored_hash(account("nadia@example.org").id) == stored  # no "upgrade" of it
    assert audit_actions().count("user.login_failed") == 7
    assert "user.login" not in audit_actions()[-8:]


def test_refusing_an_account_without_a_password_takes_a_real_check(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    mail_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stops the time of a refusal telling which accounts have no password yet: refusing one
    runs an argon2 verification, as refusing a wrong password of any other account does."""
    invite(client, users["admin"])
    checks: list[str] = []
    real_verify = PasswordHasher.verify

    def counted(self: PasswordHasher, stored: str, password: str) -> bool:
        checks.append(password)
        return real_verify(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    assert login(app.test_client(), "nadia@example.org", "a guess at it").status_code == 200
    assert checks == ["a guess at it"]
    assert login(app.test_client(), users["drafter"].email, "a wrong guess").status_code == 200
    assert checks == ["a guess at it", "a wrong guess"]


def test_an_unreachable_smtp_server_still_creates_the_account_and_says_so(
    app: Flask, client: FlaskClient, users: dict[str, User], smtp_server: Inbox
) -> None:
    """Stops a mail failure losing the account, or leaving the admin believing a link went
    out: the account exists, the admin is told no link was sent and how to send it again,
    and the button on its row sends the welcome link."""
    port = client.application.config["SMTP_PORT"]
    for each in (app, client.application):
        each.config["SMTP_PORT"] = _free_port()  # nothing listens there
    response = invite(client, users["admin"])
    message = flashed(client, response)
    assert message.startswith(
        "The account of nadia@example.org is created, but the link to choose a password "
        "was not sent: the e-mail to nadia@example.org could not be sent ("
    )
    assert "Send the link again with “E-mail a password link” in the account's row" in message
    created = account("nadia@example.org")
    assert created.active
    assert db.session.scalar(select(PasswordReset)) is None
    assert "user.invitation_sent" not in audit_actions()
    assert login(app.test_client(), created.email, PASSWORD).status_code == 200
    row = get_page(client, "/admin/users").find(id=f"user-{created.id}")
    assert "no password chosen yet" in row.get_text()
    assert f"/admin/users/{created.id}/password-link" in [f["action"] for f in row("form")]

    for each in (app, client.application):
        each.config["SMTP_PORT"] = port
    response = post_form(client, f"/admin/users/{created.id}/password-link")
    assert flashed(client, response) == (
        "A link to choose a password is on its way to nadia@example.org, valid for 3 days."
    )
    assert len(smtp_server.received) == 1
    assert smtp_server.received[0][2]["Subject"] == WELCOME_SUBJECT
    path = link_path(smtp_server.received[0][2])
    anonymous = app.test_client()
    post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert login(anonymous, created.email, NEW_PASSWORD).status_code == 302
    row = get_page(client, "/admin/users").find(id=f"user-{created.id}")
    assert "no password chosen yet" not in row.get_text()
    assert audit_actions().count("user.invitation_sent") == 1


def test_a_reset_link_still_says_reset_for_an_account_with_a_password(
    app: Flask, client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    """Stops the welcome wording reaching people who have a password (and the other way)."""
    send_link(client, users["admin"], users["drafter"])
    message = written_messages(mail_folder)[0]
    assert message["Subject"] == "Choose a new password for Consult"
    page = get_page(app.test_client(), link_path(message))
    assert page.find("h1").get_text() == "Choose a new password"
    assert "user.invitation_sent" not in audit_actions()


# Hashes


@pytest.mark.parametrize("method", ["scrypt:1024:8:1", "pbkdf2:sha256:1000"])
def test_an_old_hash_signs_in_and_is_upgraded_to_argon2(
    app: Flask, users: dict[str, User], method: str
) -> None:
    """Stops old, weaker hashes staying in the database for ever: the first sign-in replaces
    them with argon2id, and the person notices nothing."""
    user = users["drafter"]
    user.password_hash = generate_password_hash(PASSWORD, method=method)
    db.session.commit()
    assert login(app.test_client(), user.email).status_code == 302
    upgraded = stored_hash(user.id)
    assert upgraded.startswith("$argon2id$")
    assert login(app.test_client(), user.email).status_code == 302
    assert stored_hash(user.id) == upgraded  # not hashed again at every sign-in


def test_a_wrong_password_does_not_upgrade_the_hash(app: Flask, users: dict[str, User]) -> None:
    """Stops a failed guess changing the stored hash."""
    user = users["drafter"]
    old = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    user.password_hash = old
    db.session.commit()
    assert login(app.test_client(), user.email, "a wrong guess here").status_code == 200
    assert stored_hash(user.id) == old


def test_new_passwords_are_hashed_with_argon2(users: dict[str, User]) -> None:
    """Stops new accounts getting a hash that is cheap to crack on graphics cards."""
    assert stored_hash(users["stakeholder"].id).startswith("$argon2id$")
