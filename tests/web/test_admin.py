"""Administration pages: organisations, accounts, deactivation and the audit log."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import consult
from consult import labels
from consult.extensions import db
from consult.models import AuditEvent, Organisation, PasswordReset, User
from tests import factories
from tests.web.support import flash_messages, get_page, login, post_form, soup

ROLES = ("admin", "secretariat", "drafter", "stakeholder")
PAGES = ("/admin/organisations", "/admin/users", "/admin/audit")


def sign_in(client: FlaskClient, user: User) -> None:
    response = login(client, user.email)
    assert response.status_code == 302, "sign-in failed"


def count(model: type[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def field_error(page: BeautifulSoup, name: str) -> str:
    """Return the error message shown by the field `name`, tied to it for screen readers."""
    control = page.find(attrs={"name": name})
    assert control is not None, name
    error = page.find(id=f"{control['id']}-error")
    assert error is not None, f"no error by {name}: {page.select('.error')}"
    assert f"{control['id']}-error" in control["aria-describedby"].split()
    return str(error.get_text(" ", strip=True))


def table_rows(page: BeautifulSoup) -> list[list[str]]:
    table = page.find("table")
    assert table is not None
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


# --- who may use which route ------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_pages_send_anonymous_visitors_to_sign_in(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_are_for_admins_only(
    client: FlaskClient, users: dict[str, User], url: str, role: str
) -> None:
    sign_in(client, users[role])
    expected = 200 if role == "admin" else 403
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
@pytest.mark.parametrize("role", [None, *ROLES])
def test_account_actions_are_for_admins_only(
    client: FlaskClient, users: dict[str, User], action: str, role: str | None
) -> None:
    target = users["drafter"] if role != "drafter" else users["secretariat"]
    if action == "reactivate":
        target.active = False
        db.session.commit()
    if role is not None:
        sign_in(client, users[role])
    before = audit_actions()
    response = post_form(client, f"/admin/users/{target.id}/{action}")
    db.session.refresh(target)
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role != "admin":
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
        assert target.active is (action == "reactivate")
        return
    assert target.active is (action == "deactivate")  # unchanged
    assert audit_actions() == before


# --- organisations ----------------------------------------------------------


def test_organisations_list_shows_kind_in_words_code_and_accounts(
    client: FlaskClient, users: dict[str, User]
) -> None:
    factories.organisation("member_state", name="Kenya", code="KE")
    factories.organisation("nhri", name="Eastland Commission")
    sign_in(client, users["admin"])
    rows = table_rows(get_page(client, "/admin/organisations"))
    assert rows == [
        ["Eastland Commission", "National human-rights institution", "—", "0"],
        ["Kenya", "Member State", "KE", "0"],
        ["Test NGO", "NGO", "—", "1"],
    ]


def test_admin_creates_a_member_state(client: FlaskClient, users: dict[str, User]) -> None:
    sign_in(client, users["admin"])
    response = post_form(
        client,
        "/admin/organisations",
        {"name": " Mexico ", "kind": "member_state", "country_code": "mx"},
    )
    assert response.status_code == 302
    page = get_page(client, response.headers["Location"])
    assert flash_messages(page) == ["The organisation “Mexico” is created."]
    assert ["Mexico", "Member State", "MX", "0"] in table_rows(page)
    created = db.session.scalar(select(Organisation).where(Organisation.name == "Mexico"))
    assert created is not None and created.country_code == "MX"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation.create").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.actor_id == users["admin"].id and event.object_id == str(created.id)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "ngo"}, "name", "Enter the organisation's name."),
        ({"name": "   ", "kind": "ngo"}, "name", "Enter the organisation's name."),
        ({"name": "A", "kind": ""}, "kind", "Choose a kind of organisation from the list."),
        ({"name": "A", "kind": "pirates"}, "kind", "Choose a kind of organisation from the list."),
        (
            {"name": "Chile", "kind": "member_state", "country_code": ""},
            "country_code",
            "A Member State needs its two-letter ISO 3166 country code.",
        ),
        (
            {"name": "Aid Now", "kind": "ngo", "country_code": "FR"},
            "country_code",
            "Only a Member State has a country code: leave it empty.",
        ),
        (
            {"name": "Nowhere", "kind": "member_state", "country_code": "XX"},
            "country_code",
            "“XX” is not an assigned ISO 3166 country code.",
        ),
        (
            {"name": "Nowhere", "kind": "member_state", "country_code": "ZZ"},
            "country_code",
            "“ZZ” is not an assigned ISO 3166 country code.",
        ),
        (
            {"name": "Nowhere", "kind": "member_state", "country_code": "D1"},
            "country_code",
            "“D1” is not an assigned ISO 3166 country code.",
        ),
        (
            {"name": "Nowhere", "kind": "member_state", "country_code": "DEU"},
            "country_code",
            "“DEU” is not an assigned ISO 3166 country code.",
        ),
        ({"name": "test ngo", "kind": "ngo"}, "name", "exists already"),
    ],
)
def test_bad_organisation_is_refused_with_a_message_by_the_field(
    client: FlaskClient, users: dict[str, User], data: dict[str, str], field: str, message: str
) -> None:
    sign_in(client, users["admin"])
    organisations, events = count(Organisation), count(AuditEvent)
    response = post_form(client, "/admin/organisations", data)
    assert response.status_code == 200
    page = soup(response)
    assert message in field_error(page, field)
    assert page.find("input", attrs={"name": "name"})["value"] == data["name"].strip()
    assert count(Organisation) == organisations
    assert count(AuditEvent) == events


def test_organisation_form_without_csrf_token_is_refused(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["admin"])
    response = client.post("/admin/organisations", data={"name": "Forged", "kind": "ngo"})
    assert response.status_code == 400
    assert count(Organisation) == 1


# --- accounts ---------------------------------------------------------------


def test_accounts_list_shows_role_organisation_and_status(
    client: FlaskClient, users: dict[str, User]
) -> None:
    users["drafter"].active = False
    db.session.commit()
    sign_in(client, users["admin"])
    page = get_page(client, "/admin/users")
    row = page.find(id=f"user-{users['stakeholder'].id}")
    cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
    assert cells[1:5] == ["stakeholder@example.org", "Stakeholder", "Test NGO", "Active"]
    assert row.find("form")["action"] == f"/admin/users/{users['stakeholder'].id}/deactivate"
    drafter = page.find(id=f"user-{users['drafter'].id}")
    assert "Deactivated" in drafter.get_text()
    assert drafter.find("form")["action"] == f"/admin/users/{users['drafter'].id}/reactivate"
    mine = page.find(id=f"user-{users['admin'].id}")
    assert mine.find("form") is None and "your account" in mine.get_text()
    hint = page.find(id=page.find("input", attrs={"name": "password"})["id"] + "-hint")
    assert "At least 12 characters" in hint.get_text() and "no other rules" in hint.get_text()


def test_admin_creates_an_account_that_can_sign_in(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    ngo = users["stakeholder"].organisation
    assert ngo is not None
    sign_in(client, users["admin"])
    response = post_form(
        client,
        "/admin/users",
        {
            "name": "Nadia Novak",
            "email": "Nadia@Example.ORG",
            "organisation": str(ngo.id),
            "role": "stakeholder",
            "password_choice": "set_now",
            "password": "twelve chars",
        },
    )
    assert response.status_code == 302
    page = get_page(client, response.headers["Location"])
    assert flash_messages(page) == ["The account of nadia@example.org is created."]
    created = db.session.scalar(select(User).where(User.email == "nadia@example.org"))
    assert created is not None
    cells = table_rows(page)[[r[0] for r in table_rows(page)].index("Nadia Novak")]
    assert cells[1:5] == ["nadia@example.org", "Stakeholder", "Test NGO", "Active"]
    assert audit_actions()[-1] == "user.create"
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.details["initial_password"] is True
    other = app.test_client()
    assert login(other, "nadia@example.org", "twelve chars").status_code == 302


def test_an_admin_account_needs_no_organisation(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["admin"])
    data = {"name": "B", "email": "b@example.org", "organisation": "", "role": "admin"}
    data["password_choice"] = "set_now"
    response = post_form(client, "/admin/users", {**data, "password": "tangerine sofa"})
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "b@example.org"))
    assert created is not None and created.organisation is None and created.role == "admin"


GOOD_USER = {
    "name": "Pat Doe",
    "email": "pat@example.org",
    "organisation": "",
    "role": "drafter",
    "password_choice": "set_now",
    "password": "long enough, really",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the person's name."),
        ({"email": ""}, "email", "Enter an e-mail address."),
        ({"email": "pat at example"}, "email", "Enter an e-mail address such as"),
        ({"email": "pat@example"}, "email", "Enter an e-mail address such as"),
        ({"email": "STAKEHOLDER@Example.org"}, "email", "exists already"),
        ({"password": "eleven char"}, "password", "Use at least 12 characters."),
        ({"password": ""}, "password", "Enter an initial password."),
        ({"role": "stakeholder"}, "organisation", "A stakeholder acts for an organisation"),
        ({"role": ""}, "role", "Choose a role from the list."),
        ({"role": "overlord"}, "role", "Choose a role from the list."),
        ({"organisation": "99999"}, "organisation", "Choose an organisation from the list."),
        ({"organisation": "abc"}, "organisation", "Choose an organisation from the list."),
    ],
)
def test_bad_account_is_refused_with_a_message_by_the_field(
    client: FlaskClient, users: dict[str, User], changes: dict[str, str], field: str, message: str
) -> None:
    sign_in(client, users["admin"])
    accounts_before, events = count(User), count(AuditEvent)
    response = post_form(client, "/admin/users", {**GOOD_USER, **changes})
    assert response.status_code == 200
    page = soup(response)
    assert message in field_error(page, field)
    assert page.find("input", attrs={"name": "password"}).get("value") in (None, "")
    assert count(User) == accounts_before
    assert count(AuditEvent) == events


def choice_error(page: BeautifulSoup) -> str:
    """Return the error of the "Password" radio group, tied to its group and each option."""
    group = page.find("fieldset", id="password_choice")
    assert group is not None and group.find("legend").get_text() == "Password"
    error = page.find(id="password_choice-error")
    assert error is not None, f"no error by the choice: {page.select('.error')}"
    assert "password_choice-error" in group["aria-describedby"].split()
    for option in group.find_all("input", attrs={"name": "password_choice"}):
        assert "password_choice-error" in option["aria-describedby"].split()
    return str(error.get_text(" ", strip=True))


LINK_USER = {**GOOD_USER, "password_choice": "email_link", "password": ""}
NO_CHOICE = "Choose how the person gets a password: a link e-mailed to them, or an initial"


def test_the_form_offers_the_e_mailed_link_first_and_needs_no_password_for_it(
    client: FlaskClient, users: dict[str, User], mail_folder: Path
) -> None:
    sign_in(client, users["admin"])
    page = get_page(client, "/admin/users")
    options = page.find("fieldset", id="password_choice").find_all("input", type="radio")
    labels_ = [page.find("label", attrs={"for": o["id"]}).get_text() for o in options]
    assert labels_ == ["E-mail a link to choose a password", "Set an initial password now"]
    assert [o.has_attr("checked") for o in options] == [True, False]
    assert "works once, for 3 days" in page.find(id=options[0]["aria-describedby"]).get_text()
    password = page.find("input", attrs={"name": "password"})
    assert not password.has_attr("required")
    hint = page.find(id=f"{password['id']}-hint").get_text()
    assert hint.startswith("Only when you set an initial password now.")
    response = post_form(client, "/admin/users", LINK_USER)
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "pat@example.org"))
    assert created is not None and created.active
    assert audit_actions()[-2:] == ["user.create", "user.invitation_sent"]
    created_event, sent_event = db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)
    ).all()[::-1]
    assert created_event.details["initial_password"] is False
    assert sent_event.details == {"hours": 72} and sent_event.object_id == str(created.id)
    assert len(list(mail_folder.glob("*.eml"))) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({k: v for k, v in LINK_USER.items() if k != "password_choice"}, None, NO_CHOICE),
        ({**LINK_USER, "password_choice": ""}, None, NO_CHOICE),
        ({**LINK_USER, "password_choice": "carrier_pigeon"}, None, NO_CHOICE),
        ({**LINK_USER, "password_choice": "SET_NOW"}, None, NO_CHOICE),
        ({**LINK_USER, "password_choice": "set_now"}, "password", "Enter an initial password."),
        (
            {**LINK_USER, "password_choice": "set_now", "password": "eleven char"},
            "password",
            "Use at least 12 characters.",
        ),
        (
            {**LINK_USER, "password_choice": "set_now", "password": "password1234"},
            "password",
            "list of common passwords",
        ),
        (
            {**LINK_USER, "password": "long enough, really"},
            "password",
            "You chose to e-mail a link: leave the password empty, or choose “Set an initial",
        ),
    ],
)
def test_bad_password_choice_is_refused_with_a_message_and_nothing_is_created(
    client: FlaskClient,
    users: dict[str, User],
    mail_folder: Path,
    data: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    sign_in(client, users["admin"])
    accounts_before, events = count(User), count(AuditEvent)
    response = post_form(client, "/admin/users", data)
    assert response.status_code == 200
    page = soup(response)
    shown = choice_error(page) if field is None else field_error(page, field)
    assert message in shown
    assert len(page.select(".error")) == 1  # that message alone
    if field is None:  # neither option is shown ticked, as sent
        assert page.find("input", attrs={"name": "password_choice", "checked": True}) is None
    assert page.find("input", attrs={"name": "email"})["value"] == "pat@example.org"
    assert count(User) == accounts_before
    assert count(AuditEvent) == events
    assert count(PasswordReset) == 0
    assert not mail_folder.exists()


@pytest.mark.parametrize("choice", ["email_link", "set_now"])
@pytest.mark.parametrize("role", [None, "secretariat", "drafter", "stakeholder"])
def test_only_admins_create_accounts(
    client: FlaskClient,
    users: dict[str, User],
    mail_folder: Path,
    role: str | None,
    choice: str,
) -> None:
    if role is not None:
        sign_in(client, users[role])
    accounts_before, events = count(User), count(AuditEvent)
    data = {**GOOD_USER, "password_choice": choice}
    response = post_form(client, "/admin/users", data)
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
    assert count(User) == accounts_before and count(AuditEvent) == events
    assert count(PasswordReset) == 0
    assert not mail_folder.exists()


# --- deactivating and reactivating -------------------------------------------


def test_deactivation_ends_the_persons_sessions_at_once(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    stakeholder = users["stakeholder"]
    theirs = app.test_client()
    sign_in(theirs, stakeholder)
    assert theirs.get("/").status_code == 200
    sign_in(client, users["admin"])
    response = post_form(client, f"/admin/users/{stakeholder.id}/deactivate")
    assert response.status_code == 302
    page = get_page(client, "/admin/users")
    assert flash_messages(page) == [
        "The account of stakeholder@example.org is deactivated and its sessions ended."
    ]
    assert "Deactivated" in page.find(id=f"user-{stakeholder.id}").get_text()
    response = theirs.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert login(app.test_client(), stakeholder.email).status_code == 200  # refused
    deactivation, refusal = db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)
    ).all()[::-1]
    assert refusal.action == "user.login_failed"  # the refused login is audited too
    event = deactivation
    assert event.action == "user.deactivate"
    assert event.actor_id == users["admin"].id and event.details["sessions_ended"] == 1


def test_reactivated_account_can_sign_in_again(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    drafter = users["drafter"]
    sign_in(client, users["admin"])
    post_form(client, f"/admin/users/{drafter.id}/deactivate")
    get_page(client, "/admin/users")  # where the admin is sent: shows that message
    response = post_form(client, f"/admin/users/{drafter.id}/reactivate")
    assert response.status_code == 302
    page = get_page(client, "/admin/users")
    assert flash_messages(page) == ["The account of drafter@example.org can sign in again."]
    assert audit_actions()[-2:] == ["user.deactivate", "user.reactivate"]
    assert login(app.test_client(), drafter.email).status_code == 302


def test_admin_cannot_deactivate_themself(client: FlaskClient, users: dict[str, User]) -> None:
    admin = users["admin"]
    sign_in(client, admin)
    events = count(AuditEvent)
    post_form(client, f"/admin/users/{admin.id}/deactivate")
    page = get_page(client, "/admin/users")  # still signed in
    assert flash_messages(page) == ["Nothing changed: you cannot deactivate your own account."]
    db.session.refresh(admin)
    assert admin.active and count(AuditEvent) == events


def test_deactivating_twice_says_so(client: FlaskClient, users: dict[str, User]) -> None:
    sign_in(client, users["admin"])
    post_form(client, f"/admin/users/{users['drafter'].id}/deactivate")
    get_page(client, "/admin/users")  # where the admin is sent: shows that message
    post_form(client, f"/admin/users/{users['drafter'].id}/deactivate")
    assert "already deactivated" in flash_messages(get_page(client, "/admin/users"))[0]
    post_form(client, f"/admin/users/{users['secretariat'].id}/reactivate")
    assert "active already" in flash_messages(get_page(client, "/admin/users"))[0]


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_unknown_account_is_404(client: FlaskClient, users: dict[str, User], action: str) -> None:
    sign_in(client, users["admin"])
    assert post_form(client, f"/admin/users/99999/{action}").status_code == 404


def test_deactivation_needs_a_post_with_csrf_token(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["admin"])
    url = f"/admin/users/{users['drafter'].id}/deactivate"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 400
    db.session.refresh(users["drafter"])
    assert users["drafter"].active


# --- the audit log ----------------------------------------------------------


def add_event(
    at: datetime,
    action: str = "test.thing",
    actor: User | None = None,
    object_type: str = "document",
    object_id: str = "1",
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    db.session.add(event)
    db.session.commit()
    return event


def audit_page(client: FlaskClient, **params: str) -> BeautifulSoup:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return get_page(client, f"/admin/audit?{query}")


def event_rows(page: BeautifulSoup) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in page.select("tr.event")
    ]


def test_audit_log_shows_time_person_object_and_escaped_details(
    client: FlaskClient, users: dict[str, User]
) -> None:
    admin = users["admin"]
    add_event(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), object_id="7")
    add_event(
        datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC),
        actor=admin,
        object_id="8",
        title="<script>alert(1)</script>",
        count=3,
    )
    sign_in(client, admin)
    page = audit_page(client, action="test.thing")
    rows = event_rows(page)
    assert rows == [
        [
            "1 March 2026, 12:30 UTC",
            f"{admin.name} admin@example.org",
            "test.thing",
            "document 8",
            "title: <script>alert(1)</script> count: 3",
        ],
        ["1 March 2026, 09:00 UTC", "Command line / system", "test.thing", "document 7", ""],
    ]
    assert page.find("time")["datetime"] == "2026-03-01T12:30:05+00:00"
    assert page.find("script") is None
    assert "UTC" in page.find(id=page.find(attrs={"name": "date_from"})["id"] + "-hint").text


def test_audit_log_records_what_the_admin_pages_do(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["admin"])
    post_form(
        client,
        "/admin/organisations",
        {"name": "Kenya", "kind": "member_state", "country_code": "KE"},
    )
    post_form(client, f"/admin/users/{users['drafter'].id}/deactivate")
    rows = event_rows(audit_page(client, person=str(users["admin"].id)))
    assert [row[2] for row in rows[:3]] == [
        "Account deactivated user.deactivate",
        "Organisation added organisation.create",
        "Signed in user.login",
    ]
    assert "name: Kenya" in rows[1][4]


def test_every_action_the_platform_records_has_words_in_the_audit_log() -> None:
    """Each action string passed to audit.record in the code is in labels.AUDIT_ACTIONS."""
    recorded: set[str] = set()
    for path in Path(consult.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("record", "record_added") and len(node.args) >= 2:
                action = node.args[1]
                if isinstance(action, ast.Constant) and isinstance(action.value, str):
                    recorded.add(action.value)
    assert {"user.login", "round.create", "comment.submit"} <= recorded
    assert recorded - set(labels.AUDIT_ACTIONS) == set()


def test_audit_log_filters_by_person_object_and_action(
    client: FlaskClient, users: dict[str, User]
) -> None:
    admin, drafter = users["admin"], users["drafter"]
    at = datetime(2026, 1, 5, tzinfo=UTC)
    add_event(at, "version.publish", drafter, "version", "3")
    add_event(at, "version.discard", drafter, "version", "4")
    add_event(at, "version.publish", None, "version", "4")
    sign_in(client, admin)

    def objects(**params: str) -> list[str]:
        return [row[3] for row in event_rows(audit_page(client, **params))]

    assert objects(person=str(drafter.id)) == ["version 4", "version 3"]
    assert objects(person="system", object_type="version") == ["version 4"]
    assert objects(object_type="version", object_id="4") == ["version 4", "version 4"]
    assert objects(action="version.publish") == ["version 4", "version 3"]
    page = audit_page(client, person=str(drafter.id), action="version.discard")
    assert event_rows(page)[0][2] == "Draft discarded version.discard"
    assert page.find("select", attrs={"name": "person"}).find("option", selected=True)["value"] == (
        str(drafter.id)
    )
    assert "No events match" in audit_page(client, object_type="version", object_id="99").text


def test_audit_log_date_range_is_inclusive_whole_days_in_utc(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for stamp in (
        "2026-02-28T23:59:59",
        "2026-03-01T00:00:00",
        "2026-03-02T23:59:59",
        "2026-03-03T00:00:00",
    ):
        add_event(datetime.fromisoformat(stamp).replace(tzinfo=UTC), object_id=stamp)
    sign_in(client, users["admin"])
    rows = event_rows(audit_page(client, date_from="2026-03-01", date_to="2026-03-02"))
    assert [row[3] for row in rows] == [
        "document 2026-03-02T23:59:59",
        "document 2026-03-01T00:00:00",
    ]
    rows = event_rows(audit_page(client, action="test.thing", date_to="2026-02-28"))
    assert [row[3] for row in rows] == ["document 2026-02-28T23:59:59"]


def test_audit_log_pages_keep_the_filters(client: FlaskClient, users: dict[str, User]) -> None:
    start = datetime(2025, 6, 1, tzinfo=UTC)
    db.session.add_all(
        AuditEvent(
            at=start + timedelta(minutes=n),
            action="bulk.thing",
            object_type="x",
            object_id=str(n),
            details={},
        )
        for n in range(120)
    )
    db.session.commit()
    sign_in(client, users["admin"])
    first = audit_page(client, action="bulk.thing")
    assert len(event_rows(first)) == 50 and event_rows(first)[0][3] == "x 119"
    assert first.find("a", rel="prev") is None
    following = first.find("a", rel="next")
    assert parse_qs(urlsplit(following["href"]).query) == {"action": ["bulk.thing"], "page": ["2"]}
    last = audit_page(client, action="bulk.thing", page="3")
    assert [row[3] for row in event_rows(last)][-1] == "x 0" and len(event_rows(last)) == 20
    assert last.find("a", rel="next") is None
    assert "page=2" in last.find("a", rel="prev")["href"]
    assert "Page 3 of 3" in last.text
    assert len(event_rows(audit_page(client, action="bulk.thing", page="nonsense"))) == 50
    beyond = audit_page(client, action="bulk.thing", page="9")
    assert "There is no page 9: the events fill 3 pages." in beyond.text
    assert "page=3" in beyond.find("a", rel="prev")["href"]
    assert "There is no page" in audit_page(client, page="9" * 30).text
    assert "No events match" in audit_page(client, date_from="2099-01-01").text


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2026-13-40"}, "date_from", "Enter the date as year-month-day"),
        ({"date_to": "yesterday"}, "date_to", "Enter the date as year-month-day"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to", "comes before"),
        ({"person": "abc"}, "person", "Choose a person from the list."),
        ({"person": "99999"}, "person", "Choose a person from the list."),
        ({"object_type": "planet"}, "object_type", "Choose a kind of object from the list."),
        ({"object_id": "5"}, "object_id", "Choose the kind of object as well."),
        ({"action": "nope"}, "action", "Choose an action from the list."),
    ],
)
def test_bad_audit_filters_get_a_message_not_a_crash(
    client: FlaskClient, users: dict[str, User], params: dict[str, str], field: str, message: str
) -> None:
    sign_in(client, users["admin"])
    page = audit_page(client, **params)
    assert message in field_error(page, field)
    assert page.find("table") is None
    assert "Correct the filters above" in page.text
