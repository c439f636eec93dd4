"""Fixtures: an app on a fresh schema per test session, clean tables per test.

Tests use SQLite in a temporary folder, or the PostgreSQL database named by
CONSULT_TEST_DATABASE_URL (a database the tests may wipe: never a real one).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import CliRunner, FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from consult import create_app
from consult.extensions import db
from consult.models import User
from tests import factories

TEST_DATABASE_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")


def make_app(database_url: str, instance: Path) -> Flask:
    """Return an app for tests on `database_url`."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            # A cheap scrypt: tests create many accounts. Production keeps the default.
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        },
        instance_path=str(instance),
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test database, migrated from empty to the latest schema once per session."""
    url = TEST_DATABASE_URL or "sqlite:///" + str(
        tmp_path_factory.mktemp("db") / "consult-test.sqlite3"
    )
    app = make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    yield url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app with an active app context and empty tables.

    Requests from `app.test_client()` are served by a twin app on the same
    database, so that each request gets its own app context (its own `g` and
    database session), as in production, instead of sharing the test's.
    """
    app = make_app(database_url, tmp_path / "instance")
    web = make_app(database_url, tmp_path / "instance")
    app.test_client = web.test_client  # type: ignore[method-assign]
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()
    with web.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for `app`."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> CliRunner:
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
