"""The health check a reverse proxy asks of each host."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from consult.extensions import db
from consult.models import User
from tests.web.support import sign_in


@pytest.mark.parametrize("role", [None, "admin", "secretariat", "drafter", "stakeholder"])
def test_every_one_gets_a_plain_ok_that_tells_nothing_else(
    app: Flask, users: dict[str, User], role: str | None
) -> None:
    """A proxy asks without a session; a signed-in person gets the same two words."""
    client = app.test_client()
    if role:
        sign_in(client, users[role])
    response = client.get("/health")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"
    if role is None:  # a proxy's check starts no session
        assert "Set-Cookie" not in response.headers


def test_a_host_that_lost_its_database_answers_503(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy then takes the host out of its pool, instead of sending people to errors."""
    web = app.test_client().application

    def down(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with web.app_context():
        monkeypatch.setattr(db.session, "execute", down)
        response = web.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable\n"


def test_only_get_and_head(app: Flask) -> None:
    client = app.test_client()
    assert client.head("/health").status_code == 200
    assert client.post("/health").status_code == 405
