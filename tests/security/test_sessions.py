"""Sessions that end: idle timeout, lifetime, the person's own list, clean-up.

Each test's docstring names the attack it stops. Time moves by the app's
clock (tests.web.support.set_clock), which the session checks read.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from consult.config import default_settings
from consult.extensions import db
from consult.models import User, UserSession
from consult.models.base import utcnow
from consult.services import sessions
from tests.web.support import (
    audit_actions,
    fresh,
    get_page,
    login,
    post_form,
    set_clock,
    soup,
)
from tests.web.test_comments import comment_count, comment_url, hidden_fields, make_setup

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
MINUTE = timedelta(minutes=1)
T0 = utcnow().replace(microsecond=0)


@pytest.fixture(autouse=True)
def real_limits(app: Flask) -> None:
    """The limits a platform has by default (the other tests' sessions last for years)."""
    defaults = default_settings(app.instance_path)
    for each in (app, app.test_client().application):
        for key in (
            "SESSION_IDLE_HOURS",
            "SESSION_MAX_HOURS",
            "SESSION_MAX_DAYS",
            "SESSION_REMEMBER_IDLE_DAYS",
        ):
            each.config[key] = defaults[key]


def at(app: Flask, client: FlaskClient, moment: datetime) -> None:
    set_clock(app, client, moment)


def signed_in(app: Flask, user: User, remember: bool = False, agent: str = FIREFOX) -> FlaskClient:
    """A client signed in as `user` with the browser `agent`."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    assert login(client, user.email, remember=remember).status_code == 302
    fresh()
    return client


def cookies_of(client: FlaskClient) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def replay(app: Flask, cookies: dict[str, str]) -> FlaskClient:
    """A new client carrying a copy of `cookies`, as a thief or a forgotten browser would."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def lets_in(client: FlaskClient) -> bool:
    """Whether the client may see the documents page (False: sent to sign in)."""
    response = client.get("/")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def messages(client: FlaskClient) -> list[str]:
    """The messages the login page shows next."""
    return [p.get_text(" ", strip=True) for p in get_page(client, "/login").select(".message")]


def session_rows(user: User) -> list[UserSession]:
    fresh()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)))


def test_an_old_cookie_replayed_after_the_idle_timeout_is_refused(
    app: Flask, users: dict[str, User]
) -> None:
    """A cookie copied from a shared computer stops working 8 hours after its last use."""
    at(app, app.test_client(), T0)
    client = signed_in(app, users["drafter"])
    copy = cookies_of(client)
    later = T0 + timedelta(hours=1, minutes=50)
    at(app, client, later)
    assert lets_in(replay(app, copy))  # still in use: the clock restarts here
    last_use = later + timedelta(hours=2)
    at(app, client, last_use)
    assert lets_in(client)
    at(app, client, last_use + timedelta(hours=8) + MINUTE)  # within the 12-hour lifetime
    thief = replay(app, copy)
    assert not lets_in(thief)
    assert messages(thief) == [
        "Your session ended after 8 hours without activity; please sign in again."
    ]
    (row,) = session_rows(users["drafter"])
    assert row.ended_at == last_use + timedelta(hours=8) + MINUTE
    assert not lets_in(client)  # the browser's own cookie too


def test_last_activity_is_written_at_most_once_a_minute(app: Flask, users: dict[str, User]) -> None:
    """A busy session does not write to the database at every request (a cheap way to load it)."""
    at(app, app.test_client(), T0)
    client = signed_in(app, users["stakeholder"])
    at(app, client, T0 + 50 * timedelta(seconds=1))
    assert lets_in(client)
    assert session_rows(users["stakeholder"])[0].last_seen_at == T0
    at(app, client, T0 + 2 * MINUTE)
    assert lets_in(client)
    assert session_rows(users["stakeholder"])[0].last_seen_at == T0 + 2 * MINUTE


def test_a_session_ends_after_its_lifetime_even_when_active(
    app: Flask, users: dict[str, User]
) -> None:
    """A stolen cookie kept alive by constant use still dies 12 hours after signing in."""
    at(app, app.test_client(), T0)
    client = signed_in(app, users["secretariat"])
    for hours in (4, 8, 11):
        at(app, client, T0 + timedelta(hours=hours))
        assert lets_in(client)
    at(app, client, T0 + timedelta(hours=12) + MINUTE)
    assert not lets_in(client)
    assert messages(client) == [
        "Your session ended 12 hours after you signed in, the longest a session lasts; "
        "please sign in again."
    ]


def test_a_remembered_session_ends_after_30_days_even_when_active(
    app: Flask, users: dict[str, User]
) -> None:
    """A "keep me signed in" cookie, even its remember-me part alone, dies after 30 days."""
    at(app, app.test_client(), T0)
    client = signed_in(app, users["stakeholder"], remember=True)
    remember_only = {"remember_token": cookies_of(client)["remember_token"]}
    moment = T0
    while moment < T0 + timedelta(days=30) - timedelta(hours=7):
        moment += timedelta(hours=7)
        at(app, client, moment)
        assert lets_in(client), moment - T0
    assert lets_in(replay(app, remember_only))  # past 12 hours: the remembered lifetime applies
    at(app, client, T0 + timedelta(days=30) + MINUTE)
    assert not lets_in(replay(app, remember_only))
    assert not lets_in(client)


def test_a_remembered_session_survives_a_weekend_but_not_a_week_unused(
    app: Flask, users: dict[str, User]
) -> None:
    """ "Keep me signed in" keeps a person signed in over nights and weekends, yet a
    copy of its cookies left on a computer nobody uses stops working after 7 days."""
    at(app, app.test_client(), T0)
    client = signed_in(app, users["stakeholder"], remember=True)
    copy = cookies_of(client)
    night = T0 + timedelta(hours=16)
    at(app, client, night)
    assert lets_in(client)  # the next morning
    monday = night + timedelta(days=3)
    at(app, client, monday)
    assert lets_in(client)  # after a weekend away
    at(app, client, monday + timedelta(days=7) - MINUTE)
    assert lets_in(replay(app, copy))  # the clock restarts at each use
    unused = monday + timedelta(days=7) - MINUTE + timedelta(days=7)
    at(app, client, unused)
    thief = replay(app, copy)
    assert not lets_in(thief)
    assert messages(thief) == [
        "Your session ended after 7 days without activity; please sign in again."
    ]
    assert not lets_in(client)


def test_the_sessions_page_states_both_idle_limits(app: Flask, users: dict[str, User]) -> None:
    """A person can read how long an unused session lasts, with and without staying signed in."""
    client = signed_in(app, users["stakeholder"])
    text = get_page(client, "/account/sessions").get_text(" ", strip=True)
    assert "after 8 hours without activity" in text
    assert "it ends after 7 days without activity, and at the latest 30 days" in text


def test_the_limits_follow_the_settings(app: Flask, users: dict[str, User]) -> None:
    """An operator who shortens the idle time gets it enforced, and said in the message."""
    web = app.test_client().application
    web.config["SESSION_IDLE_HOURS"] = 0.5
    at(app, app.test_client(), T0)
    client = signed_in(app, users["admin"])
    at(app, client, T0 + timedelta(minutes=29))
    assert lets_in(client)
    at(app, client, T0 + timedelta(minutes=60))
    assert not lets_in(client)
    assert messages(client) == [
        "Your session ended after 30 minutes without activity; please sign in again."
    ]


def test_an_expired_session_keeps_the_comment_being_typed(
    app: Flask, users: dict[str, User]
) -> None:
    """A comment typed over a long afternoon is shown back to copy when the session expired.

    (Not an attack: the limits must not cost a person their text.)
    """
    setup = make_setup()
    at(app, app.test_client(), T0)
    client = signed_in(app, users["stakeholder"])
    url = comment_url(setup.round.id, "principle-dignity-p1")
    fields = hidden_fields(get_page(client, url))
    fields.update({"type": "general", "body": "Three pages of careful reasons."})
    at(app, client, T0 + timedelta(hours=9))
    response = client.post(url, data=fields, headers={"Origin": "http://localhost"})
    assert response.status_code == 401
    page = soup(response)
    assert page.find("textarea", id="kept-body").get_text().strip() == (
        "Three pages of careful reasons."
    )
    notices = [p.get_text(" ", strip=True) for p in page.select(".message")]
    assert "Your session ended after 8 hours without activity; please sign in again." in notices
    assert comment_count() == 0


def test_the_sessions_page_lists_only_ones_own_live_sessions(
    app: Flask, users: dict[str, User]
) -> None:
    """Nobody sees another person's sessions, and each sees where they are signed in."""
    at(app, app.test_client(), T0)
    here = signed_in(app, users["drafter"], agent=FIREFOX)
    at(app, here, T0 + timedelta(hours=1))
    signed_in(app, users["drafter"], agent=IPHONE)
    signed_in(app, users["secretariat"], agent="curl/8.5")
    gone = signed_in(app, users["drafter"], agent="curl/8.5")
    post_form(gone, "/logout")
    page = get_page(here, "/account/sessions")
    rows = page.select("table.sessions tbody tr")
    assert [r.find("th").get_text(" ", strip=True) for r in rows] == [
        "Firefox on Windows this session",
        "Safari on iPhone",
    ]
    assert "current" in rows[0]["class"]
    link = get_page(here, "/").find("a", string="Your sessions")
    assert link is not None and link["href"] == "/account/sessions"


def test_ending_the_other_sessions_refuses_their_cookies(
    app: Flask, users: dict[str, User]
) -> None:
    """A person who fears a copy of their cookie ends every other session, and its copies die."""
    at(app, app.test_client(), T0)
    here = signed_in(app, users["stakeholder"])
    phone = signed_in(app, users["stakeholder"], remember=True, agent=IPHONE)
    stolen = cookies_of(phone)
    someone_else = signed_in(app, users["drafter"])
    response = post_form(here, "/account/sessions/end-others")
    assert response.status_code == 302 and response.headers["Location"] == "/account/sessions"
    page = get_page(here, "/account/sessions")
    assert "1 other session ended" in page.select_one(".message").get_text()
    assert len(page.select("table.sessions tbody tr")) == 1
    assert lets_in(here)
    assert not lets_in(phone)
    assert not lets_in(replay(app, stolen))
    assert not lets_in(replay(app, {"remember_token": stolen["remember_token"]}))
    assert lets_in(someone_else)
    assert audit_actions()[-1] == "user.end_sessions"


def test_ending_the_other_sessions_needs_the_form_token(app: Flask, users: dict[str, User]) -> None:
    """A forged cross-site POST cannot sign a person out of their other devices."""
    here = signed_in(app, users["admin"])
    other = signed_in(app, users["admin"], agent=IPHONE)
    response = here.post("/account/sessions/end-others")
    assert response.status_code == 400
    assert lets_in(other)
    assert "user.end_sessions" not in audit_actions()


@pytest.mark.parametrize("role", ["anonymous", "stakeholder", "drafter", "secretariat", "admin"])
def test_every_person_sees_their_sessions_and_anonymous_visitors_sign_in(
    app: Flask, users: dict[str, User], role: str
) -> None:
    """The sessions page and its button serve signed-in people only, whatever their role."""
    client = app.test_client() if role == "anonymous" else signed_in(app, users[role])
    page = client.get("/account/sessions")
    ended = post_form(client, "/account/sessions/end-others")
    if role == "anonymous":
        for response in (page, ended):
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login?next=")
        assert "user.end_sessions" not in audit_actions()
    else:
        assert page.status_code == 200
        assert soup(page).find("h1").get_text() == "Your sessions"
        assert ended.status_code == 302
        assert audit_actions()[-1] == "user.end_sessions"


def test_end_other_sessions_keeps_the_given_one(app: Flask, users: dict[str, User]) -> None:
    """Changing one's password ends the sessions a thief may hold, not the one in use."""
    user = users["stakeholder"]
    kept = sessions.start_session(user)
    sessions.start_session(user)
    sessions.start_session(users["drafter"])
    assert sessions.end_other_sessions(user, kept) == 1
    db.session.commit()
    live = [row for row in session_rows(user) if row.ended_at is None]
    assert [row.token_hash for row in live] == [sessions.token_digest(kept)]
    assert all(row.ended_at is None for row in session_rows(users["drafter"]))


def _row(
    user: User,
    created: datetime,
    seen: datetime,
    ended: datetime | None = None,
    remember: bool = False,
) -> str:
    token_hash = secrets.token_hex(32)
    db.session.add(
        UserSession(
            token_hash=token_hash,
            user_id=user.id,
            created_at=created,
            last_seen_at=seen,
            ended_at=ended,
            remember=remember,
        )
    )
    return token_hash


def test_clean_sessions_deletes_only_long_dead_rows(
    app: Flask, runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    """Old session rows do not pile up forever, and no live or recent one is lost."""
    user = users["drafter"]
    at(app, app.test_client(), T0)
    day = timedelta(days=1)
    old_ended = _row(user, T0 - 20 * day, T0 - 20 * day, T0 - 8 * day)
    old_idle = _row(user, T0 - 9 * day, T0 - 9 * day)
    recent_ended = _row(user, T0 - 2 * day, T0 - 2 * day, T0 - 1 * day)
    recent_idle = _row(user, T0 - 2 * day, T0 - 2 * day)
    live = _row(user, T0 - timedelta(hours=1), T0 - MINUTE)
    remembered_live = _row(user, T0 - 9 * day, T0 - 5 * day, remember=True)
    remembered_old = _row(user, T0 - 20 * day, T0 - 15 * day, remember=True)
    db.session.commit()
    result = runner.invoke(args=["clean-sessions"])
    assert result.exit_code == 0, result.output
    assert "Deleted 3 ended or expired sessions." in result.output
    left = {row.token_hash for row in session_rows(user)}
    assert left == {recent_ended, recent_idle, live, remembered_live}
    assert old_ended not in left and old_idle not in left and remembered_old not in left
    result = runner.invoke(args=["clean-sessions", "--keep-days", "0"])
    assert {row.token_hash for row in session_rows(user)} == {live, remembered_live}


def test_signing_in_deletes_long_dead_rows(app: Flask, users: dict[str, User]) -> None:
    """Without the command, session rows are still cleaned up as people sign in."""
    at(app, app.test_client(), T0)
    old = _row(users["admin"], T0 - timedelta(days=30), T0 - timedelta(days=30))
    db.session.commit()
    signed_in(app, users["drafter"])
    assert old not in {row.token_hash for row in session_rows(users["admin"])}
