"""Security headers on every response: every route of the URL map, for every role.

Each route is requested as an anonymous visitor and as each role, with
values from a small world (a published version and its successor, a draft,
an open round, a comment, a finished PDF job per person), by GET and by POST
where the route takes them; files (CSV, XLSX, DOCX, PDF), redirects, and the
errors 400, 403, 404, 405, 413 and 500 are checked the same way. The
expected headers are written here, independently of consult.web.headers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from consult import create_app
from consult.extensions import db
from consult.models import ExportJob, StoredExport, User
from consult.models.base import utcnow
from tests import factories
from tests.conftest import ROLE_NAMES
from tests.web.support import login

ROLES = ("anonymous", *ROLE_NAMES)

# What the policy must say, directive by directive.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")

SECOND = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
)


def header_problems(response: TestResponse, signed_in: bool, https: bool) -> list[str]:
    """Return what is missing or wrong in the response's security headers."""
    headers = response.headers
    problems = []
    policy = {}
    for part in headers.get("Content-Security-Policy", "").split(";"):
        name, _, sources = part.strip().partition(" ")
        policy[name] = sources.strip()
    for directive, sources in CSP.items():
        if policy.get(directive) != sources:
            problems.append(f"CSP {directive} is {policy.get(directive)!r}")
    problems += [
        f"{name}: {headers.get(name)!r}"
        for name, value in FIXED.items()
        if headers.get(name) != value
    ]
    permissions = headers.get("Permissions-Policy", "")
    problems += [f"{f} allowed" for f in DENIED_FEATURES if f"{f}=()" not in permissions]
    if signed_in and headers.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control: {headers.get('Cache-Control')!r}")
    hsts = headers.get("Strict-Transport-Security")
    if https and not (hsts and hsts.startswith("max-age=") and int(hsts[8:].split(";")[0]) > 0):
        problems.append(f"Strict-Transport-Security: {hsts!r}")
    if not https and hsts is not None:
        problems.append(f"Strict-Transport-Security sent without HTTPS: {hsts!r}")
    return problems


@dataclass
class World:
    values: dict[str, Any]
    jobs: dict[str, int]  # a finished PDF job of each role's person


def make_world(users: dict[str, User]) -> World:
    """Two published versions and a draft, an open round, a comment, a done PDF job each."""
    first = factories.version()
    factories.version(SECOND)
    factories.version(SECOND + "\nOne more paragraph.\n", publish=False)
    round_ = factories.round_(first)
    clause = next(c for c in first.clauses if c.key == "principle-dignity")
    comment = factories.comment(round_.id, users["stakeholder"], clause)
    stored = StoredExport(
        key="f" * 64, file_name="sample-v1.pdf", media_type="application/pdf", data=b"%PDF-1.7"
    )
    stored.size = len(stored.data)
    jobs = {}
    for role, user in users.items():
        job = ExportJob(
            kind="pdf",
            params={"viewer_id": user.id, "slug": "sample", "number": 1, "variant": "clean"},
            key="f" * 64,
            file_name="sample-v1.pdf",
            media_type="application/pdf",
            requested_by_id=user.id,
            state="done",
            runner="stored",
            export=stored,
        )
        job.started_at = job.finished_at = job.heartbeat_at = utcnow()
        db.session.add(job)
        db.session.flush()
        jobs[role] = job.id
    db.session.commit()
    values = {
        "slug": "sample",
        "number": 1,
        "key": clause.key,
        "user_id": users["stakeholder"].id,
        "round_id": round_.id,
        "old": 1,
        "new": 2,
        "comment_id": comment.id,
        "answer_id": 1,
        "filename": "css/consult.css",
        "token": "no-such-upload",
        "language": "fr",
    }
    return World(values, jobs)


DRAFT_ROUTES = {"drafting.preview", "drafting.confirm_publish", "drafting.publish"}
DRAFT_ROUTES |= {"drafting.discard", "drafting.match"}


def every_request(web: Flask, world: World, role: str) -> Iterator[tuple[str, str]]:
    """Yield (method, URL) for every rule of the URL map, GETs first (a POST may sign out)."""
    adapter = web.url_map.bind("localhost")
    requests: list[tuple[str, str]] = []
    for rule in web.url_map.iter_rules():
        values = dict(world.values, job_id=world.jobs.get(role, 999_999))
        if rule.endpoint in DRAFT_ROUTES:
            values["number"] = 3
        values = {k: v for k, v in values.items() if k in rule.arguments}
        formats = ("csv", "xlsx", "docx") if "fmt" in rule.arguments else (None,)
        for fmt in formats:
            if fmt:
                values["fmt"] = fmt
            url = adapter.build(rule.endpoint, values)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                requests.append((method, url))
    yield from sorted(set(requests), key=lambda r: (r[0] != "GET", r[1]))


def signed_in_clients(web: Flask, users: dict[str, User], https: bool) -> dict[str, FlaskClient]:
    """Return a client per role, signed in but for the anonymous one; check the sign-in's own."""
    clients = {}
    for role in ROLES:
        client = web.test_client()
        if https:  # Flask-WTF checks, over HTTPS, that forms come from our own pages
            client.environ_base["HTTP_REFERER"] = "https://localhost/"
        if role != "anonymous":
            response = login(client, users[role].email)
            assert response.status_code == 302
            assert header_problems(response, signed_in=True, https=https) == []
        clients[role] = client
    return clients


def sweep(
    web: Flask, users: dict[str, User], role: str, https: bool
) -> tuple[list[str], set[tuple[int, str]]]:
    """Request every route as `role`; return the header problems found and the answers
    seen (status and media type)."""
    world = make_world(users)
    client = signed_in_clients(web, users, https)[role]
    problems, seen = [], set()
    for method, url in every_request(web, world, role):
        response = client.open(url, method=method)
        seen.add((response.status_code, response.mimetype))
        found = header_problems(response, signed_in=role != "anonymous", https=https)
        problems += [f"{method} {url} ({response.status_code}): {p}" for p in found]
        response.close()
    return problems, seen


SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILES = {"text/csv", SPREADSHEET, WORD, "application/pdf", "text/css"}


@pytest.mark.parametrize("role", ROLES)
def test_every_route_carries_the_security_headers(
    app: Flask, users: dict[str, User], role: str
) -> None:
    """Framing (clickjacking), injected scripts and styles, MIME sniffing, leaked
    referrers, device access and copies of private pages left in a browser's or
    a proxy's cache: stopped on every page, file, redirect and error, for every role."""
    web = app.test_client().application
    problems, seen = sweep(web, users, role, https=False)
    assert problems == []
    # The sweep met pages, files, redirects and refusals, not only one kind of answer.
    statuses = {status for status, _ in seen}
    assert {200, 302, 400} <= statuses
    if role != "anonymous":
        assert {403, 404} & statuses
    files = {media for status, media in seen if status == 200} & FILES
    assert files == (FILES if role in ("stakeholder", "secretariat") else files | {"text/css"})


@pytest.fixture(scope="module")
def https_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app whose operator declared that it is served over HTTPS (CONSULT_HTTPS)."""
    # The test client's requests then come over HTTPS, as through the operator's proxy.
    settings = {"HTTPS": True, "PREFERRED_URL_SCHEME": "https"}
    web = create_https_app(database_url, tmp_path_factory.mktemp("https"), settings)
    yield web
    # Its own engine: closed here, not left for the garbage collector to find mid-test.
    with web.app_context():
        db.engine.dispose()


def create_https_app(database_url: str, instance: Path, settings: dict[str, Any]) -> Flask:
    """Return an app like the tests' own, with `settings` on top."""
    overrides = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }
    return create_app({**overrides, **settings}, instance_path=str(instance))


@pytest.mark.parametrize("role", ["anonymous", "secretariat"])
def test_with_https_declared_every_route_tells_browsers_to_keep_to_https(
    app: Flask, https_app: Flask, users: dict[str, User], role: str
) -> None:
    """SSL stripping: once a browser has seen the platform over HTTPS, a network
    attacker cannot downgrade a later visit to plain HTTP."""
    problems, seen = sweep(https_app, users, role, https=True)
    assert problems == []
    assert (200, "text/html") in seen


def test_hsts_is_not_sent_unless_https_is_declared(app: Flask, client: FlaskClient) -> None:
    """An operator testing on plain HTTP (or on a name later moved elsewhere) is not
    locked out for a year by a header the platform sent without being asked."""
    response = client.get("/login", base_url="https://localhost")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("variable", ["CONSULT_HTTPS", "CONSULT_SECURE_COOKIES"])
def test_both_names_of_the_https_setting_mean_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """Cookies sent over plain HTTP can be read on the network: either name makes
    them HTTPS-only and turns HSTS on."""
    monkeypatch.setenv(variable, "true")
    https = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"}, str(tmp_path))
    assert https.config["SESSION_COOKIE_SECURE"] and https.config["REMEMBER_COOKIE_SECURE"]
    response = https.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in response.headers["Set-Cookie"]


def test_errors_carry_the_headers(
    app: Flask, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error page is a page too: a 404, 405, 413 or 500 must not be framable or
    cached any more than the pages it stands in for."""
    web = app.test_client().application
    client = signed_in_clients(web, users, https=False)["drafter"]
    web.config["MAX_CONTENT_LENGTH"] = 1024
    web.config["PROPAGATE_EXCEPTIONS"] = False  # a real server answers 500

    def broken() -> str:
        raise RuntimeError("a bug in a view")

    monkeypatch.setitem(web.view_functions, "reading.index", broken)
    answers = {
        404: client.get("/no-such-page"),
        405: client.get("/logout"),
        413: client.post("/documents/new", data={"text": "x" * 4096}),
        500: client.get("/"),
    }
    for status, response in answers.items():
        assert response.status_code == status
        assert header_problems(response, signed_in=True, https=False) == [], status


def test_a_static_file_is_not_kept_for_a_signed_in_person(
    app: Flask, users: dict[str, User]
) -> None:
    """A shared computer: nothing fetched while signed in stays in the browser's cache."""
    web = app.test_client().application
    clients = signed_in_clients(web, users, https=False)
    signed_in = clients["stakeholder"].get("/static/css/consult.css")
    assert signed_in.status_code == 200
    assert signed_in.headers["Cache-Control"] == "no-store"
    signed_in.close()


BROWSER_TEMPLATES = [
    path
    for path in sorted((Path(__file__).parents[2] / "templates").rglob("*.html"))
    # Rendered into PDFs by WeasyPrint, never sent to a browser.
    if path.parent.name != "pdf"
]


@pytest.mark.parametrize("path", BROWSER_TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_holds_inline_script_or_style(path: Path) -> None:
    """Injected markup: with no inline script or style allowed by the policy, a
    page of ours must not need any either, or the policy would have to let them in."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert page.find_all("style") == []
    assert [s for s in page.find_all("script") if not s.get("src")] == []
    assert page.find_all(style=True) == []
    handlers = [
        a for tag in page.find_all(True) for a in tag.attrs if a.isalpha() and a.startswith("on")
    ]
    assert handlers == []
