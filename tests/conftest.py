"""Fixtures: apps built once per test run, a fresh schema per run, clean tables per test.

Tests use SQLite in a temporary folder, or the PostgreSQL database named by
CONSULT_TEST_DATABASE_URL (a database the tests may wipe: never a real one).
Under pytest-xdist each worker process has its own database: its own SQLite
file, or on PostgreSQL a database named after the given one and the worker
(`<name>_gw0`, ...), created here and dropped at the end of the run.

The apps are built once per run (per worker), not per test: each test gets
them with empty tables, the configuration they had before it (a test may set
the clock or switch CSRF off), and no memo left by an earlier test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from hypothesis import settings
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from consult import create_app
from consult.extensions import db
from consult.models import User
from consult.services.comment_queries import views as comment_views
from consult.web import reading_text
from tests import factories

# The property tests check what is computed, not how fast: with the suite on
# every core (and CI's services beside it) a single example can take longer
# than Hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("consult", deadline=None)
settings.load_profile("consult")

TEST_DATABASE_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")


def make_app(database_url: str, instance: Path) -> Flask:
    """Return an app for tests on `database_url`."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            # A cheap argon2 (1 pass, 8 KiB): tests create many accounts.
            # Production keeps the default.
            "PASSWORD_HASH_METHOD": "argon2:1:8:1",
            # Fixtures sign in hundreds of times; tests/security/test_login_throttle.py
            # turns the throttle on.
            "LOGIN_THROTTLE": False,
            # Tests move the clock by days (a round opens, closes) with people signed
            # in: their sessions last. tests/security/test_sessions.py checks the real limits.
            "SESSION_IDLE_HOURS": 10 * 365 * 24,
            "SESSION_MAX_HOURS": 10 * 365 * 24,
            "SESSION_MAX_DAYS": 10 * 365,
            "SESSION_REMEMBER_IDLE_DAYS": 10 * 365,
        },
        instance_path=str(instance),
    )


def _on_maintenance_database(url: URL, statement: sql.Composed) -> None:
    """Run `statement` on the `postgres` database of the server of `url`, outside a transaction."""
    settings = {key: str(value) for key, value in url.query.items()}
    conninfo = make_conninfo(
        host=url.host, port=url.port, user=url.username, password=url.password, **settings
    )
    with psycopg.connect(conninfo, dbname="postgres", autocommit=True) as connection:
        connection.execute(statement)


def _drop_database(url: URL) -> None:
    name = sql.Identifier(str(url.database))
    _on_maintenance_database(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def _worker_database(url: str, worker: str) -> URL:
    """Create, empty, the database of one xdist worker beside the one `url` names."""
    worker_url = make_url(url).set(database=f"{make_url(url).database}_{worker}")
    _drop_database(worker_url)  # left over by a run that was killed
    name = sql.Identifier(str(worker_url.database))
    _on_maintenance_database(worker_url, sql.SQL("CREATE DATABASE {}").format(name))
    return worker_url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test database, migrated from empty to the latest schema once per run (per worker)."""
    # Set by pytest-xdist in its worker processes ("gw0", "gw1", ...); unset in a serial run.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    worker_url: URL | None = None
    if TEST_DATABASE_URL is None:
        # tmp_path_factory gives each xdist worker a folder of its own.
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "consult-test.sqlite3")
    elif worker is None:
        url = TEST_DATABASE_URL
    else:
        worker_url = _worker_database(TEST_DATABASE_URL, worker)
        url = worker_url.render_as_string(hide_password=False)
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    yield url
    if worker_url is not None:
        _drop_database(worker_url)


@pytest.fixture(scope="session")
def apps(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Flask, Flask]]:
    """The test's app and its twin that serves `test_client()` requests, built once per run.

    Requests from `app.test_client()` are served by the twin, on the same
    database, so that each request gets its own app context (its own `g` and
    database session), as in production, instead of sharing the test's.
    """
    instance = tmp_path_factory.mktemp("instance")
    app = make_app(database_url, instance)
    web = make_app(database_url, instance)
    app.test_client = web.test_client  # type: ignore[method-assign]
    yield app, web
    for each in (app, web):
        with each.app_context():
            db.engine.dispose()


def forget_memos() -> None:
    """Empty the services' per-process memos, which a later test must not inherit.

    Emptied tables hand out the same ids again (SQLite), and tests publish at
    the same fixed moments, so a memo keyed by id and time could answer for
    another test's rows.
    """
    comment_views.forget_citations()
    reading_text.forget()


@pytest.fixture
def app(apps: tuple[Flask, Flask]) -> Iterator[Flask]:
    """The app, with an active app context and empty tables.

    Whatever the test changes in the configuration of the app or of its twin
    (the clock, CSRF, limits) is put back afterwards.
    """
    app, web = apps
    saved = [(each, dict(each.config)) for each in (app, web)]
    forget_memos()
    try:
        with app.app_context():
            yield app
            db.session.rollback()
            db.session.remove()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
    finally:
        for each, config in saved:
            each.config.clear()
            each.config.update(config)
        forget_memos()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for `app`."""
    return app.test_client()


@pytest.fixture
def mail_folder(app: Flask, client: FlaskClient, tmp_path: Path) -> Path:
    """No SMTP server: messages are written as files into a folder of the test's own."""
    folder = tmp_path / "mail"
    for each in (app, client.application):
        each.config.update(SMTP_HOST=None, MAIL_FOLDER=str(folder))
    return folder


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the flask commands of `app`."""
    return app.test_cli_runner()


ROLE_NAMES = ("admin", "secretariat", "drafter", "stakeholder")


@pytest.fixture
def users(app: Flask) -> dict[str, User]:
    """One active user per role (password 'correct horse'); the stakeholder acts for an NGO."""
    ngo = factories.organisation("ngo", name="Test NGO")
    return {
        role: factories.user(role, ngo if role == "stakeholder" else None, f"{role}@example.org")
        for role in ROLE_NAMES
    }


@pytest.fixture
def job_children(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Record every child process started for an export job, and end them all afterwards.

    Emptied tables hand out the same job ids again (SQLite), so a child still
    starting up when its test ends could take the next test's job of the same
    id: each test waits here until every child it started has gone.
    """
    import contextlib
    import signal
    import time

    from consult.services.jobs import launch, service
    from consult.services.jobs.staleness import child_alive

    started: list[int] = []

    def start_child(job_id: int) -> int:
        pid = launch.start_child(job_id)
        started.append(pid)
        return pid

    monkeypatch.setattr(service, "start_child", start_child)
    yield started
    for pid in started:
        if child_alive(pid):
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while any(child_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
