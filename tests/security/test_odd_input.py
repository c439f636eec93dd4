"""Odd input never makes the platform fail with a 500.

A table of odd values (huge and negative integers, zero, empty, 1 MB strings,
NUL, invalid UTF-8, dates at the edges of the calendar, unknown choices) goes
into every URL parameter of every GET route, into the query names the pages
read, and into every field of every form a role is shown, as each role. The
answer may be a page, a form error, a redirect, a 403 or a 404: never a
server error. Huge ids, far dates and huge drafts have their own tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from consult.models import User
from tests import factories
from tests.web.support import csrf_token, fresh, login, soup

ROLES = ("anonymous", "stakeholder", "drafter", "secretariat", "admin")
MEGABYTE = "x" * (1024 * 1024)

# Odd values for an integer in a URL's path (the int converter matches digits only).
ODD_PATH_INTS = ("0", str(2**31), str(2**63), "9" * 40)
# Odd values for a string in a URL's path.
ODD_PATH_STRINGS = ("%00", "%ff%fe", "x" * 5000, "..%2f..", "%E2%80%AE")
# Odd values for a query-string argument (already percent-encoded where needed).
ODD_QUERY_VALUES = (
    str(2**31),
    str(2**63),
    "9" * 400,
    "-1",
    "0",
    "",
    "%00",
    "%ff%fe",
    "%C2%B2",  # "²": a digit to str.isdigit(), not to int()
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "no-such-choice",
)
# The names the pages read from the query string (consult/web, request.args and GET forms).
QUERY_NAMES = (
    "round", "open", "page", "per_page", "person", "clause", "clauses", "show", "status",
    "organisation", "old", "new", "unchanged", "date_from", "date_to", "object_id",
    "object_type", "action", "next", "public", "refresh", "kind", "type", "disposition",
    "answered", "proposed", "q", "sort", "order", "view", "against", "layout",
)  # fmt: skip
ODD_FORM_VALUES = (
    str(2**63),
    "-1",
    "",
    "\x00",
    MEGABYTE,
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "no-such-choice",
)
# Forms whose success would end the session under test, not odd input.
SKIPPED_ACTIONS = re.compile(r"/logout$|/deactivate$")


def _world(users: dict[str, User]) -> dict[str, Any]:
    """Published versions 1 and 2, a draft 3, an open round with a comment; return the ids."""
    first = factories.version()
    second = factories.version(factories.SAMPLE_DRAFT.replace("dignity.", "dignity and respect."))
    factories.version(factories.SAMPLE_DRAFT.replace("remedy.", "prompt remedy."), publish=False)
    round_ = factories.round_(first, closes_in=timedelta(days=30))
    comment = factories.comment(round_.id, users["stakeholder"])
    return {
        "slug": "sample",
        "number": second.number,
        "round_id": round_.id,
        "comment_id": comment.id,
        "old": first.number,
        "new": second.number,
        "user_id": users["stakeholder"].id,
        "answer_id": 1,
        "job_id": 1,
        "key": "principle-dignity",
        "token": "unknown",
        "fmt": "csv",
        "filename": "css/consult.css",
        "language": "fr",
    }


def _clients(app: Flask, users: dict[str, User]) -> Iterator[tuple[str, FlaskClient]]:
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            assert login(client, users[role].email).status_code == 302
            fresh()
        yield role, client


def _build(rule: Rule, values: dict[str, str]) -> str:
    """Return the rule's path with `values` (already URL-safe) put in its placeholders."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>|<any\([^)]*\):{name}>", values[name], path)
    return path


def _get_routes(app: Flask) -> list[Rule]:
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if "GET" in (r.methods or ()) and r.endpoint != "static"
        ),
        key=lambda r: r.rule,
    )


def _assert_no_server_error(client: FlaskClient, method: str, url: str, **kwargs: Any) -> None:
    response = client.open(url, method=method, **kwargs)
    assert response.status_code < 500, (method, url[:300], response.status_code)


def test_odd_values_in_url_paths_never_fail(app: Flask, users: dict[str, User]) -> None:
    """Attack: a huge id (beyond the database's integer range) or a malformed
    path segment in any URL makes the server raise (OverflowError, decoding
    errors) and answer 500 instead of 404."""
    world = {key: quote(str(value)) for key, value in _world(users).items()}
    for role, client in _clients(app, users):
        for rule in _get_routes(app):
            for name in rule.arguments:
                numeric = isinstance(rule._converters[name], IntegerConverter)
                odd = ODD_PATH_INTS if numeric else ODD_PATH_STRINGS
                for value in odd:
                    url = _build(rule, {**world, name: value})
                    _assert_no_server_error(client, "GET", url)
            # The role's page itself, with no odd value, is fine too.
            _assert_no_server_error(client, "GET", _build(rule, world))
            assert role


def test_odd_values_in_query_strings_never_fail(app: Flask, users: dict[str, User]) -> None:
    """Attack: a huge, negative, non-UTF-8 or out-of-calendar value in a query
    argument (`?round=`, `?page=`, `?date_from=`, ...) reaches the database or a
    date conversion unchecked and the server answers 500."""
    world = {key: quote(str(value)) for key, value in _world(users).items()}
    roles = dict(_clients(app, users))
    for rule in _get_routes(app):
        url = _build(rule, world)
        for role in ("stakeholder", "secretariat", "admin", "drafter"):
            client = roles[role]
            page = client.get(url)
            # A PDF (a comment's receipt) reads no query argument and takes seconds to make.
            if page.status_code != 200 or page.mimetype == "application/pdf":
                continue
            for index, value in enumerate(ODD_QUERY_VALUES):
                # Every name at once with one value, and each name alone with a rotating value.
                query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
                _assert_no_server_error(client, "GET", f"{url}?{query}")
                for offset, name in enumerate(QUERY_NAMES):
                    if offset % len(ODD_QUERY_VALUES) == index:
                        _assert_no_server_error(client, "GET", f"{url}?{name}={value}")


def _forms(client: FlaskClient, url: str) -> list[tuple[str, dict[str, str]]]:
    """Return the POST forms of the page at `url`: their action and their fields' usual values."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.content_type:
        return []
    found = []
    for form in soup(response).find_all("form"):
        if str(form.get("method", "get")).lower() != "post":
            continue
        action = str(form.get("action") or url)
        action = urlsplit(action).path + (
            f"?{urlsplit(action).query}" if urlsplit(action).query else ""
        )
        fields: dict[str, str] = {}
        for element in form.find_all(["input", "textarea", "select"]):
            name = element.get("name")
            if not name or name == "csrf_token":
                continue
            if element.name == "select":
                option = element.find("option")
                fields[str(name)] = str(option.get("value", "")) if option else ""
            elif element.name == "textarea":
                fields[str(name)] = element.get_text()
            else:
                fields[str(name)] = str(element.get("value", "x"))
        found.append((action, fields))
    return found


def test_odd_values_in_every_form_never_fail(app: Flask, users: dict[str, User]) -> None:
    """Attack: a form posted (with a valid CSRF token) with huge numbers, NUL,
    a megabyte of text or a date in year 1 or 9999 in any field makes the server
    answer 500 instead of showing the form's error."""
    world = {key: quote(str(value)) for key, value in _world(users).items()}
    roles = dict(_clients(app, users))
    for role in ("stakeholder", "drafter", "secretariat", "admin"):
        client = roles[role]
        seen: set[str] = set()
        for rule in _get_routes(app):
            for action, fields in _forms(client, _build(rule, world)):
                if action in seen or SKIPPED_ACTIONS.search(action) or not fields:
                    continue
                seen.add(action)
                token = csrf_token(client)
                for index, value in enumerate(ODD_FORM_VALUES):
                    # Every field at once with one value, then each alone with a rotating one.
                    everything = dict.fromkeys(fields, value)
                    _assert_no_server_error(
                        client, "POST", action, data={**everything, "csrf_token": token}
                    )
                    for offset, name in enumerate(fields):
                        if offset % len(ODD_FORM_VALUES) == index:
                            data = {**fields, name: value, "csrf_token": token}
                            _assert_no_server_error(client, "POST", action, data=data)


def test_a_huge_id_in_a_url_answers_not_found(app: Flask, users: dict[str, User]) -> None:
    """Attack: an id beyond the database's integer range in a URL (17 tracebacks
    in one probe) makes the database driver raise OverflowError: a 500."""
    world = _world(users)
    client = dict(_clients(app, users))["secretariat"]
    assert client.get(f"/rounds/{world['round_id']}").status_code == 200
    for huge in (2**31, 2**63, 10**40):
        assert client.get(f"/rounds/{huge}").status_code == 404
        assert client.get(f"/comments/{huge}").status_code == 404
        assert client.get(f"/documents/sample/v{huge}").status_code == 404


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("0001-01-01T00:00", "Europe/Zurich"), ("9999-12-31T23:59", "America/New_York")],
)
def test_a_time_at_the_edge_of_the_calendar_is_a_form_error(
    app: Flask, users: dict[str, User], typed: str, zone: str
) -> None:
    """Attack: a round opening in year 1 or closing in 9999, typed in a zone that
    moves it past the calendar's edge, raises OverflowError: a 500."""
    _world(users)
    client = dict(_clients(app, users))["secretariat"]
    fields = {"title": "Edge", "time_zone": zone, "participation": "all"}
    fields |= {"visibility": "open", "attribution": "named"}
    fields |= {"opens_at": typed, "closes_at": "2030-01-01T10:00"}
    token = csrf_token(client)
    response = client.post("/documents/sample/v1/rounds/new", data={**fields, "csrf_token": token})
    assert response.status_code == 200  # the form again, with its error
    assert "between the years 1900 and 2999" in soup(response).get_text(" ", strip=True)
    audit = client.get("/admin/audit?date_from=0001-01-01")
    assert audit.status_code == 403  # the secretariat: the log is the administrator's
    admin = dict(_clients(app, users))["admin"]
    page = admin.get("/admin/audit?date_to=9999-12-31")
    assert page.status_code == 200
    assert "between the years 1900 and 2999" in soup(page).get_text(" ", strip=True)
