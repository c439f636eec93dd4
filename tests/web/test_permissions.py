"""Every route in the URL map, for every role: the permission table, walked.

The routes come from the app's URL map; the expected outcome per role is
written here from the product's rules, independently of the code's table, so
that no page can be added without saying who may use it.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, url_for

from consult import create_app
from consult.models import User
from consult.web.guard import ROUTE_RULES, route_allows
from tests import factories
from tests.web.support import login

ROLES = ("anonymous", "stakeholder", "drafter", "secretariat", "admin")
OK, LOGIN, FORBIDDEN = "ok", "login", "forbidden"


def _row(**outcomes: str) -> dict[str, str]:
    return {role: outcomes.get(role, FORBIDDEN) for role in ROLES}


ANYONE = _row(anonymous=OK, stakeholder=OK, drafter=OK, secretariat=OK, admin=OK)
SIGNED_IN = _row(anonymous=LOGIN, stakeholder=OK, drafter=OK, secretariat=OK, admin=OK)
DRAFTER = _row(anonymous=LOGIN, drafter=OK)
ADMIN = _row(anonymous=LOGIN, admin=OK)
SECRETARIAT = _row(anonymous=LOGIN, secretariat=OK)
STAKEHOLDER = _row(anonymous=LOGIN, stakeholder=OK)

# Who may use each part of the platform, written from the product's rules (the
# README's table of roles), independently of the code's table
# (consult.web.guard.ROUTE_RULES): each blueprint's usual rule, then the routes
# that differ from it. A new route gets its blueprint's expectation, so a route
# added without a rule in the code (refused to everybody) fails below.
BY_BLUEPRINT: dict[str, dict[str, str]] = {
    "static": ANYONE,
    "auth": SIGNED_IN,
    "reading": SIGNED_IN,
    "drafting": DRAFTER,
    # A published version's text in other languages: the drafters'.
    "translating": DRAFTER,
    "admin": ADMIN,
    "rounds": SECRETARIAT,
    "comments": STAKEHOLDER,
    "compare": SIGNED_IN,
    # The matrix: the secretariat's tool; pages that read comments say so below.
    "matrix": SECRETARIAT,
    # The consolidated PDF: every reader, of what they may read; a job is its requester's alone.
    "pdf": SIGNED_IN,
    # Passwords: everyone changes their own.
    "passwords": SIGNED_IN,
    # A person's own sessions.
    "sessions": SIGNED_IN,
    # The language of the interface: chosen on any page, signed in or not.
    "language": ANYONE,
}
EXCEPTIONS: dict[str, dict[str, str]] = {
    "auth.login": ANYONE,
    "health.health": ANYONE,
    # A reset link is for someone who cannot sign in; only an admin sends one.
    "passwords.reset": ANYONE,
    "passwords.send_reset": ADMIN,
    "rounds.index": SIGNED_IN,
    "rounds.show": SIGNED_IN,
    "comments.show": SIGNED_IN,
    # The administrator reads no comment: refused rather than shown an empty list.
    "comments.round_comments": _row(
        anonymous=LOGIN, stakeholder=OK, drafter=OK, secretariat=OK, admin=FORBIDDEN
    ),
    # A receipt is its organisation's and the staff's (the object rule answers 404 to others).
    "comments.receipt_pdf": SIGNED_IN,
    "compare.our_comments": STAKEHOLDER,
    # Everyone who reads comments sees the matrix, as the rounds' rules allow; admins read none.
    "matrix.page": _row(anonymous=LOGIN, stakeholder=OK, drafter=OK, secretariat=OK),
    "matrix.summary": _row(anonymous=LOGIN, stakeholder=OK, drafter=OK, secretariat=OK),
    "matrix.export": _row(anonymous=LOGIN, stakeholder=OK, drafter=OK, secretariat=OK),
}


def expected(endpoint: str) -> dict[str, str]:
    """Return the expected outcome per role for `endpoint`."""
    if endpoint in EXCEPTIONS:
        return EXCEPTIONS[endpoint]
    blueprint = endpoint.split(".")[0]
    assert blueprint in BY_BLUEPRINT, f"say who may use the {blueprint!r} pages in BY_BLUEPRINT"
    return BY_BLUEPRINT[blueprint]


# Routes that act on a draft version (the published one is version 1).
DRAFT_ROUTES = {
    "drafting.preview",
    "drafting.confirm_publish",
    "drafting.publish",
    "drafting.discard",
    "drafting.match",
}


def _routes() -> list[tuple[str, str]]:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append((rule.endpoint, method))
    return sorted(set(found))


def test_every_route_has_a_rule_and_every_rule_a_route() -> None:
    endpoints = {endpoint for endpoint, _ in _routes()}
    assert endpoints == set(ROUTE_RULES), "give each new route a rule in ROUTE_RULES"
    assert set(EXCEPTIONS) <= endpoints, "EXCEPTIONS names a route that does not exist"


def test_a_route_without_a_rule_is_refused_to_everybody(users: dict[str, User]) -> None:
    assert not route_allows("reading.no_such_page", None)
    for user in users.values():
        assert not route_allows("reading.no_such_page", user)


def _setup(users: dict[str, User]) -> dict[str, Any]:
    """A published and a draft version, an open round and a stakeholder's comment."""
    published = factories.version(publish=True)
    factories.version(factories.SAMPLE_DRAFT + "\nOne more paragraph.\n", publish=False)
    round_ = factories.round_(published)
    clause = next(c for c in published.clauses if c.key == "principle-dignity")
    comment = factories.comment(round_.id, users["stakeholder"], clause)
    return {
        "key": clause.key,
        "user_id": users["stakeholder"].id,
        "round_id": round_.id,
        "comment_id": comment.id,
    }


def _values(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "slug": "sample",
        "number": 2 if endpoint in DRAFT_ROUTES else 1,
        "key": data["key"],
        "user_id": data["user_id"],
        "round_id": data["round_id"],
        "old": 1,
        "new": 2,
        "comment_id": data["comment_id"],
        "answer_id": 1,
        "filename": "css/consult.css",
        # An upload waiting for its preview: none has this token, so allowed roles get a 404.
        "token": "no-such-upload",
        "fmt": "xlsx",
        # No job has this id: allowed roles get a 404.
        "job_id": 999_999,
        # Version 1 has no French text yet: allowed roles get a 404 (or the upload form).
        "language": "fr",
    }


@pytest.mark.parametrize(("endpoint", "method"), _routes(), ids=lambda v: str(v))
def test_route_permission_for_every_role(
    app: Flask, users: dict[str, User], endpoint: str, method: str
) -> None:
    data = _setup(users)
    clients = {role: app.test_client() for role in ROLES}
    for role, client in clients.items():
        if role != "anonymous":
            login(client, users[role].email)
    web = clients["anonymous"].application
    web.config["WTF_CSRF_ENABLED"] = False  # this test is about roles; CSRF has its own
    for role in ROLES:
        client = clients[role]
        url = _url(web, endpoint, data)
        response = client.open(url, method=method)
        status, location = response.status_code, response.headers.get("Location", "")
        response.close()
        if status == 302 and "/login" in location and role != "anonymous":
            outcome = "redirected to login"
        elif status == 302 and location.startswith("/login?next="):
            outcome = LOGIN
        elif status == 403:
            outcome = FORBIDDEN
        elif status >= 500:
            outcome = f"server error {status}"
        else:
            outcome = OK
        expected_outcome = expected(endpoint)[role]
        if endpoint == "auth.logout" and role != "anonymous":
            expected_outcome = OK  # logging out redirects to the login page by design
            outcome = OK if status == 302 else outcome
        assert outcome == expected_outcome, f"{method} {url} as {role}: {status} {location}"


def _arguments(app: Flask, endpoint: str) -> set[str]:
    return {arg for rule in app.url_map.iter_rules(endpoint) for arg in rule.arguments}


def _url(web: Flask, endpoint: str, data: dict[str, Any]) -> str:
    """Return the URL of `endpoint` with the test data's values for its arguments."""
    arguments = _arguments(web, endpoint)
    values = {k: v for k, v in _values(endpoint, data).items() if k in arguments}
    with web.test_request_context():
        return url_for(endpoint, **values)


def _table_counts() -> dict[str, int]:
    from sqlalchemy import func, select

    from consult.extensions import db

    # The comparison, comparison_fragment, version_rendering and draft_preview tables
    # are caches of computed results (a comparison, its rendered clauses, a version's
    # page, a draft's preview), filled on first read.
    caches = {"comparison", "comparison_fragment", "version_rendering", "draft_preview"}
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
        if table.name not in caches
    }


def _allowed_role(endpoint: str) -> str:
    return next(r for r in ROLES if r != "anonymous" and expected(endpoint)[r] == OK)


@pytest.mark.parametrize(
    "endpoint", sorted({e for e, m in _routes() if m == "POST"}), ids=lambda v: str(v)
)
def test_every_post_needs_a_csrf_token(app: Flask, users: dict[str, User], endpoint: str) -> None:
    data = _setup(users)
    client = app.test_client()
    login(client, users[_allowed_role(endpoint)].email)
    web = client.application
    url = _url(web, endpoint, data)
    before = _table_counts()
    response = client.post(url, data={"name": "x", "email": "x@example.org", "text": "x"})
    assert response.status_code == 400, url
    assert _table_counts() == before


def test_no_get_changes_anything(app: Flask, users: dict[str, User]) -> None:
    data = _setup(users)
    for role in ("stakeholder", "drafter", "secretariat", "admin"):
        client = app.test_client()
        login(client, users[role].email)
        web = client.application
        before = _table_counts()
        for endpoint, method in _routes():
            if method != "GET":
                continue
            url = _url(web, endpoint, data)
            client.get(url).close()
        assert _table_counts() == before, role
