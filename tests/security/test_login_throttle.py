"""A login that resists guessing: failures counted per account and per address, a 429 that
says when to come back, every failed attempt in the audit log and every lock once; the
change-password form counted alike, so that a signed-in browser is no way around it.

Each test runs with the counts in memory (the embedded default) and, where the
storage matters, in a real Redis (redis://127.0.0.1:6379/13, emptied by the test).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from consult import create_app
from consult.extensions import db
from consult.models import AuditEvent, PasswordReset, User, UserSession
from consult.models.base import utcnow
from consult.services.sessions import token_digest
from consult.web import throttle
from tests import factories
from tests.web.support import PASSWORD, csrf_token, fresh, soup

REDIS_URL = "redis://127.0.0.1:6379/13"
WRONG = "not the password at all"
FAILURE = "The e-mail address or password is not right."
PAUSED = "Too many failed sign-in attempts"
NEW_PASSWORD = "plum kettle harbour"
WRONG_CURRENT = "The current password is not right."


def throttled_config(**limits: str) -> dict[str, object]:
    """Settings that turn the throttle on with the given limits (short ones for the tests)."""
    return {
        "LOGIN_THROTTLE": True,
        "LOGIN_ACCOUNT_LIMITS": limits.get("account", "3 per 1 minute"),
        "LOGIN_ADDRESS_LIMITS": limits.get("address", "30 per 1 minute"),
        "LOGIN_BURST_LIMITS": limits.get("burst", "100 per 1 minute"),
    }


@pytest.fixture(scope="module")
def redis_web(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on the test database whose login counts live in Redis (REDIS_URL set)."""
    web = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "PASSWORD_HASH_METHOD": "argon2:1:8:1",
            "REDIS_URL": REDIS_URL,
        },
        instance_path=str(tmp_path_factory.mktemp("redis-instance")),
    )
    yield web
    with web.app_context():
        db.engine.dispose()


@pytest.fixture(params=["memory", "redis"])
def web(request: pytest.FixtureRequest, app: Flask) -> Iterator[Flask]:
    """The app that serves requests, throttle on, its counts emptied: in memory or in Redis."""
    if request.param == "memory":
        served: Flask = app.test_client().application
        served.extensions[throttle.EXTENSION].reset()
    else:
        served = request.getfixturevalue("redis_web")
        redis.Redis.from_url(REDIS_URL).flushdb()
    saved = dict(served.config)
    served.config.update(throttled_config())
    yield served
    served.config.clear()
    served.config.update(saved)


@pytest.fixture
def victim(app: Flask) -> User:
    """An account someone is guessing the password of."""
    return factories.user("stakeholder", email="victim@example.org")


def try_login(
    client: FlaskClient, email: str, password: str, address: str = "192.0.2.1", **headers: str
) -> TestResponse:
    """Post the login form from `address`; return the response."""
    client.environ_base["REMOTE_ADDR"] = address
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, headers=headers)


def signed_in(client: FlaskClient) -> bool:
    """Whether the client's session opens the home page."""
    return client.get("/").status_code == 200


def try_change(client: FlaskClient, current: str, address: str = "198.51.100.20") -> TestResponse:
    """Post the change-password form with `current` as the current password; return the response."""
    client.environ_base["REMOTE_ADDR"] = address
    data = {
        "current_password": current,
        "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(client),
    }
    return client.post("/account/password", data=data)


def stolen_session(web: Flask, victim: User) -> FlaskClient:
    """A browser holding a copy of the victim's session cookie, and not their device cookie."""
    owner = web.test_client()
    assert try_login(owner, victim.email, PASSWORD, address="192.0.2.10").status_code == 302
    thief = web.test_client()
    name = web.config["SESSION_COOKIE_NAME"]
    cookie = owner.get_cookie(name)
    assert cookie is not None and thief.get_cookie(throttle.DEVICE_COOKIE) is None
    thief.set_cookie(name, cookie.value)
    assert signed_in(thief)
    return thief


def audited(action: str) -> int:
    """Return how many audit rows record `action`, counted in the database."""
    fresh()
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    return db.session.scalar(query) or 0


def stored_hash(user: User) -> str:
    fresh()
    account = db.session.get(User, user.id)
    assert account is not None
    return account.password_hash


def test_failures_lock_the_account_even_for_the_right_password(web: Flask, victim: User) -> None:
    """Online guessing: after 3 failures (the test's limit) the account answers 429, and the
    right password is refused unchecked, so that guessing cannot go on behind the lock."""
    client = web.test_client()
    for _ in range(3):
        page = soup(try_login(client, victim.email, WRONG))
        assert [p.get_text(strip=True) for p in page.select(".message")] == [FAILURE]
    response = try_login(client, victim.email, PASSWORD)
    assert response.status_code == 429
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == PAUSED
    retry = page.select_one("p.retry")
    assert retry is not None and retry.find("time")["datetime"]
    assert "about 1 minute" in retry.get_text()
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert not signed_in(client)
    fresh()
    assert db.session.scalars(select(UserSession)).first() is None


def test_the_lock_applies_to_the_account_from_any_address(web: Flask, victim: User) -> None:
    """Guessing spread over many addresses (a botnet) is still counted on the account."""
    client = web.test_client()
    for n in range(3):
        try_login(client, victim.email, WRONG, address=f"198.51.100.{n}")
    assert try_login(client, victim.email, PASSWORD, address="203.0.113.9").status_code == 429


def test_successful_logins_do_not_count(web: Flask, victim: User) -> None:
    """A person who types the password right is never locked out by their own or others'
    successful logins: only failures count."""
    for _ in range(6):
        client = web.test_client()
        assert try_login(client, victim.email, PASSWORD).status_code == 302
    client = web.test_client()
    for _ in range(2):
        try_login(client, victim.email, WRONG)
    assert try_login(client, victim.email, PASSWORD).status_code == 302


def test_attempts_at_one_account_are_bounded_before_the_password_is_checked(
    web: Flask, victim: User
) -> None:
    """Guesses sent all at once: failures are counted after each password check, so every
    attempt is also counted before it (LOGIN_BURST_LIMITS), which a burst cannot slip past."""
    web.config.update(throttled_config(account="100 per 1 minute", burst="3 per 1 minute"))
    for _ in range(3):
        assert try_login(web.test_client(), victim.email, PASSWORD).status_code == 302
    response = try_login(web.test_client(), victim.email, PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_the_lock_ends_and_the_right_password_then_works(web: Flask, victim: User) -> None:
    """A lock is temporary: once its window has passed, the owner signs in as usual."""
    web.config.update(throttled_config(account="2 per 4 seconds"))
    client = web.test_client()
    for _ in range(2):
        try_login(client, victim.email, WRONG)
    locked = try_login(client, victim.email, PASSWORD)
    assert locked.status_code == 429
    time.sleep(int(locked.headers["Retry-After"]) + 0.2)
    assert try_login(client, victim.email, PASSWORD).status_code == 302
    assert signed_in(client)


def test_one_address_trying_many_accounts_is_stopped(web: Flask, victim: User) -> None:
    """Password spraying: one address trying one password on many accounts is paused once it
    has failed on the address limit, also for an account it never tried; other addresses are not."""
    web.config.update(throttled_config(account="100 per 1 minute", address="4 per 1 minute"))
    client = web.test_client()
    for n in range(4):
        assert try_login(client, f"someone{n}@example.org", WRONG).status_code == 200
    assert try_login(client, victim.email, PASSWORD).status_code == 429
    elsewhere = web.test_client()
    assert try_login(elsewhere, victim.email, PASSWORD, address="192.0.2.77").status_code == 302


def test_failed_and_throttled_logins_are_audited_without_the_password(
    web: Flask, victim: User
) -> None:
    """An admin can see an attack: each failure and each refused attempt is an audit row with
    the e-mail typed and the address, and no row holds the password tried."""
    client = web.test_client()
    for _ in range(3):
        try_login(client, "  VICTIM@example.org ", WRONG, address="192.0.2.44")
    try_login(client, "nobody@example.org", WRONG, address="192.0.2.44")
    try_login(client, "Victim@Example.org", PASSWORD, address="192.0.2.44")
    fresh()
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    rows = [(e.action, e.object_type, e.object_id, e.details.get("email")) for e in events]
    failed = ("user.login_failed", "user", str(victim.id), "victim@example.org")
    assert rows[-5:] == [
        failed,
        failed,
        failed,
        ("user.login_failed", "user", "", "nobody@example.org"),
        ("user.login_throttled", "user", str(victim.id), "victim@example.org"),
    ]
    assert {e.details["address"] for e in events[-5:]} == {"192.0.2.44"}
    assert events[-1].details["until"]
    for event in events:
        assert WRONG not in json.dumps(event.details) and PASSWORD not in json.dumps(event.details)
        assert event.actor_id is None


def test_the_admin_can_filter_the_audit_log_by_failed_logins(
    web: Flask, victim: User, users: dict[str, User]
) -> None:
    """An attack is easy to find: the audit page lists the failed sign-ins by themselves."""
    attacker = web.test_client()
    try_login(attacker, victim.email, WRONG, address="192.0.2.66")
    admin = web.test_client()
    assert try_login(admin, users["admin"].email, PASSWORD).status_code == 302
    page = soup(admin.get("/admin/audit", query_string={"action": "user.login_failed"}))
    rows = page.select("table.data tbody tr")
    assert len(rows) == 1
    text = rows[0].get_text(" ", strip=True)
    assert "Sign-in refused: wrong e-mail or password" in text
    assert victim.email in text and "192.0.2.66" in text


def test_a_browser_that_signed_in_before_is_not_locked_out_by_others(
    web: Flask, victim: User
) -> None:
    """Locking someone out on purpose: a stranger's failures lock the account for new
    browsers, but the owner's browser, which signed in before, keeps a count of its own."""
    owner = web.test_client()
    assert try_login(owner, victim.email, PASSWORD, address="192.0.2.10").status_code == 302
    owner.post("/logout", data={"csrf_token": csrf_token(owner)})
    stranger = web.test_client()
    for _ in range(3):
        try_login(stranger, victim.email, WRONG, address="198.51.100.20")
    assert try_login(stranger, victim.email, PASSWORD, address="198.51.100.20").status_code == 429
    assert try_login(owner, victim.email, PASSWORD, address="192.0.2.10").status_code == 302


def test_a_device_cookie_does_not_lift_the_count_for_its_own_guesses(
    web: Flask, victim: User
) -> None:
    """A stolen device cookie gives no unlimited guessing: its failures are counted too."""
    owner = web.test_client()
    try_login(owner, victim.email, PASSWORD)
    owner.post("/logout", data={"csrf_token": csrf_token(owner)})
    for _ in range(3):
        try_login(owner, victim.email, WRONG)
    assert try_login(owner, victim.email, PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_ignored(web: Flask, victim: User) -> None:
    """A made-up device cookie does not escape the account's lock."""
    client = web.test_client()
    for _ in range(3):
        try_login(client, victim.email, WRONG)
    client.set_cookie(throttle.DEVICE_COOKIE, "eyJhY2NvdW50IjoieCJ9.forged.value")
    assert try_login(client, victim.email, PASSWORD).status_code == 429


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_configured(
    web: Flask, victim: User
) -> None:
    """Dodging the address limit with a made-up X-Forwarded-For header: without
    PROXY_COUNT the header is not believed, so the failures stay on one address."""
    web.config.update(throttled_config(account="100 per 1 minute", address="3 per 1 minute"))
    client = web.test_client()
    for n in range(3):
        try_login(client, f"x{n}@example.org", WRONG, X_Forwarded_For=f"203.0.113.{n}")
    assert try_login(client, victim.email, PASSWORD).status_code == 429


def test_behind_a_configured_proxy_the_forwarded_address_counts(
    app: Flask, database_url: str, tmp_path: Path, victim: User
) -> None:
    """Behind a reverse proxy (PROXY_COUNT=1) each client is counted on its own address, so
    that the proxy's address is not locked for everyone."""
    behind = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "PROXY_COUNT": 1,
            **throttled_config(account="100 per 1 minute", address="2 per 1 minute"),
        },
        instance_path=str(tmp_path),
    )
    try:
        client = behind.test_client()
        for n in range(2):
            try_login(client, f"x{n}@example.org", WRONG, X_Forwarded_For="203.0.113.5")
        blocked = try_login(client, victim.email, PASSWORD, X_Forwarded_For="203.0.113.5")
        assert blocked.status_code == 429
        other = behind.test_client()
        allowed = try_login(other, victim.email, PASSWORD, X_Forwarded_For="203.0.113.6")
        assert allowed.status_code == 302
        fresh()
        addresses = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "user.login_failed")
        )
        assert {d["address"] for d in addresses} == {"203.0.113.5"}
    finally:
        with behind.app_context():
            db.engine.dispose()


def test_with_the_throttle_off_nothing_is_counted(app: Flask, victim: User) -> None:
    """The switch the test app uses (LOGIN_THROTTLE false) really counts nothing; failures
    are still audited."""
    client = app.test_client()
    client.application.extensions[throttle.EXTENSION].reset()
    for _ in range(8):
        assert try_login(client, victim.email, WRONG).status_code == 200
    assert try_login(client, victim.email, PASSWORD).status_code == 302
    fresh()
    actions = db.session.scalars(select(AuditEvent.action))
    assert list(actions).count("user.login_failed") == 8


def test_workers_on_redis_share_the_counts(
    redis_web: Flask, database_url: str, tmp_path: Path, victim: User
) -> None:
    """Spreading guesses over the workers or hosts of one platform: with REDIS_URL set they
    all count on Redis, so failures on one worker lock the account on another."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    other_worker = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "REDIS_URL": REDIS_URL,
            **throttled_config(),
        },
        instance_path=str(tmp_path),
    )
    saved = dict(redis_web.config)
    redis_web.config.update(throttled_config())
    try:
        for _ in range(3):
            try_login(redis_web.test_client(), victim.email, WRONG)
        assert redis.Redis.from_url(REDIS_URL).keys(f"*{throttle.PREFIX}*")
        response = try_login(other_worker.test_client(), victim.email, PASSWORD)
        assert response.status_code == 429
    finally:
        redis_web.config.clear()
        redis_web.config.update(saved)
        with other_worker.app_context():
            db.engine.dispose()


# The change-password form: the same counts as the login


def test_guessing_the_current_password_is_paused_like_a_login(web: Flask, victim: User) -> None:
    """A stolen session cookie is no password oracle: wrong current passwords at the change
    form are failures of the account, paused after 3 (the test's limit) with the 429 page that
    says when to come back; the right password is refused, unchecked, until the pause ends."""
    web.config.update(throttled_config(account="3 per 4 seconds"))
    thief = stolen_session(web, victim)
    before = stored_hash(victim)
    for _ in range(3):
        response = try_change(thief, WRONG)
        assert response.status_code == 200
        assert WRONG_CURRENT in response.get_data(as_text=True)
    for _ in range(3):
        response = try_change(thief, PASSWORD)
        assert response.status_code == 429
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == "Too many wrong passwords"
    retry = page.select_one("p.retry")
    assert retry is not None and retry.find("time")["datetime"]
    assert "about 1 minute" in retry.get_text()
    assert 0 < int(response.headers["Retry-After"]) <= 4
    assert stored_hash(victim) == before
    time.sleep(int(response.headers["Retry-After"]) + 0.2)
    assert try_change(thief, PASSWORD).status_code == 302
    assert stored_hash(victim) != before
    fresh()
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.like("user.password_change%"))
            .order_by(AuditEvent.id)
        )
    )
    assert [e.action for e in events] == [
        *["user.password_change_failed"] * 3,
        "user.password_change_throttled",  # once for the lock, not once per attempt
        "user.password_change",
    ]
    for event in events[:4]:
        assert (event.actor_id, event.object_id) == (victim.id, str(victim.id))
        assert event.details["address"] == "198.51.100.20"
        assert WRONG not in json.dumps(event.details) and PASSWORD not in json.dumps(event.details)
    assert events[3].details["until"]


def test_an_unattended_signed_in_browser_gives_no_unlimited_guesses(
    web: Flask, victim: User
) -> None:
    """Someone at the owner's own signed-in browser (which holds the device cookie) guessing
    the current password is paused too, on that browser's count, and its login with it."""
    owner = web.test_client()
    assert try_login(owner, victim.email, PASSWORD).status_code == 302
    assert owner.get_cookie(throttle.DEVICE_COOKIE) is not None
    for _ in range(3):
        assert try_change(owner, WRONG).status_code == 200
    assert try_change(owner, PASSWORD).status_code == 429
    owner.post("/logout", data={"csrf_token": csrf_token(owner)})
    assert try_login(owner, victim.email, PASSWORD).status_code == 429


def test_failures_at_the_login_and_the_change_form_add_up(web: Flask, victim: User) -> None:
    """Splitting the guesses between the login page and the change form gains nothing: both
    count on the account, so 3 failures in all (the test's limit) pause both."""
    thief = stolen_session(web, victim)
    stranger = web.test_client()
    assert try_login(stranger, victim.email, WRONG, address="203.0.113.7").status_code == 200
    assert try_change(thief, WRONG).status_code == 200
    assert try_login(stranger, victim.email, WRONG, address="203.0.113.7").status_code == 200
    assert try_change(thief, PASSWORD).status_code == 429
    assert try_login(stranger, victim.email, PASSWORD, address="203.0.113.7").status_code == 429
    assert not signed_in(stranger)
    assert (audited("user.login_failed"), audited("user.password_change_failed")) == (2, 1)


# A bounded audit log


def test_hammering_a_locked_account_writes_one_audit_row(web: Flask, victim: User) -> None:
    """Flooding the audit log: 50 attempts at a locked account, from as many addresses, write
    one "refused" row for the lock, not 50; the failures that set it are each recorded."""
    for n in range(3):
        try_login(web.test_client(), victim.email, WRONG, address=f"198.51.100.{n}")
    for n in range(50):
        password = PASSWORD if n % 2 else WRONG
        response = try_login(web.test_client(), victim.email, password, address=f"203.0.113.{n}")
        assert response.status_code == 429
    assert audited("user.login_throttled") == 1
    assert audited("user.login_failed") == 3


def test_spraying_from_a_locked_address_writes_one_audit_row(web: Flask, victim: User) -> None:
    """Flooding the audit log with a new e-mail address at each attempt from a paused client
    address: the address's lock is reported once, not once per address typed."""
    web.config.update(throttled_config(account="100 per 1 minute", address="3 per 1 minute"))
    client = web.test_client()
    for n in range(3):
        assert try_login(client, f"someone{n}@example.org", WRONG).status_code == 200
    for n in range(20):
        assert try_login(client, f"made-up{n}@example.org", WRONG).status_code == 429
    assert try_login(client, victim.email, PASSWORD).status_code == 429
    assert audited("user.login_throttled") == 1


def test_a_new_lock_is_reported_again(web: Flask, victim: User) -> None:
    """The admin still sees an attack that goes on: once a lock has ended, failures that lock
    the account again are reported again (once)."""
    web.config.update(throttled_config(account="2 per 4 seconds"))
    for round_ in range(2):
        for _ in range(2):
            try_login(web.test_client(), victim.email, WRONG)
        for _ in range(5):
            locked = try_login(web.test_client(), victim.email, WRONG)
            assert locked.status_code == 429
        assert audited("user.login_throttled") == round_ + 1
        time.sleep(int(locked.headers["Retry-After"]) + 0.2)


def test_a_password_link_lifts_the_lock_that_others_guesses_set(web: Flask, victim: User) -> None:
    """Locking someone out: guesses at an account keep its owner out for the lock's
    length. Once the owner uses the password link an administrator sent them, they
    sign in at once; the address that guessed stays counted."""
    token = secrets.token_urlsafe(32)
    sent = utcnow()
    db.session.add(
        PasswordReset(
            token_hash=token_digest(token),
            user_id=victim.id,
            created_at=sent,
            expires_at=sent + timedelta(hours=24),
        )
    )
    db.session.commit()
    web.config.update(throttled_config(address="3 per 1 minute"))
    guesser = web.test_client()
    for _ in range(3):
        try_login(guesser, victim.email, WRONG, address="203.0.113.9")
    owner = web.test_client()
    assert try_login(owner, victim.email, PASSWORD, address="192.0.2.50").status_code == 429
    data = {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(owner)}
    assert owner.post(f"/password-reset/{token}", data=data).status_code == 302
    assert try_login(owner, victim.email, NEW_PASSWORD, address="192.0.2.50").status_code == 302
    assert signed_in(owner)
    web.config.update(throttled_config(address="3 per 1 minute"))
    assert (
        try_login(guesser, "someone@example.org", WRONG, address="203.0.113.9").status_code == 429
    )


@pytest.mark.parametrize(
    ("redis_url", "storage"),
    [
        ("redis://127.0.0.1:6379/13", "redis://127.0.0.1:6379/13"),
        ("rediss://cache.example.org:6380/0", "rediss://cache.example.org:6380/0"),
        ("unix:///run/redis/redis.sock?db=2", "redis+unix:///run/redis/redis.sock?db=2"),
    ],
)
def test_the_counts_go_to_the_redis_that_jobs_use_even_through_its_unix_socket(
    redis_url: str, storage: str, tmp_path: Path
) -> None:
    """redis-py and RQ take `unix:///path?db=N`; `limits` names the same Redis `redis+unix://`."""
    assert throttle.storage_uri(redis_url) == storage
    web = create_app(
        {"DATABASE_URL": "sqlite://", "SECRET_KEY": "test-secret", "REDIS_URL": redis_url},
        instance_path=str(tmp_path),
    )
    limiter = web.extensions[throttle.EXTENSION].limiter
    assert type(limiter.storage).__name__ == "RedisStorage"
