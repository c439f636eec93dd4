"""The version page of the largest real law: about 2,200 clauses, with an open round.

A temporary SQLite database holds the Residence Act (AufenthG, as of
2022-01-28, from the corpus) published as version 1, an open round on it
and 1,000 comments from 20 organisations spread over its clauses. A
stakeholder of one of them reads the version page, where every clause has its
margin: its number, a link to comment and the count of comments they may see.

Figures, through the Flask test client:
- the page's first request after the version is published, and the best of
  five later ones, beside the sign-in page (the cost of any page at all);
- the size of the page's HTML, in all and per clause;
- the number of SQL statements one request runs (it must not grow with the
  clauses: no query per clause).

Then throughput, over HTTP: gunicorn (4 sync workers, as the README runs it)
serves Consult on the demo data (SQLite), and a load of 16 connections for
10 s (CONSULT_BENCH_SECONDS) asks for the 90-clause demo version page as a
stakeholder (germany@consult.example, with the session cookie of a sign-in).
The same gunicorn settings then serve `bench/fixed_page.py`, which answers
with the same bytes of HTML and does nothing else, under the same load. The
load comes from wrk (Debian's package) when it is installed, else from a
Python load generator (threads, one keep-alive connection each), which is
named in the figures: it is itself slower than wrk, so its ratio means less.
Printed: pages a second and the 99th percentile of latency for each, and
Consult's pages a second as a share of the fixed response's; beside them, the
pages a second of Consult's sign-in page (what any page of Consult costs at
least: the request, the session, the layout) under the same load. On a
shared machine those rates move with the other work; so the CPU time one
request takes in process is printed too, for the version page, the document's
page (a small page for a signed-in reader) and the sign-in page.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench import deadline_server
from bench.bench_import import best_of

CORPUS = Path(
    os.environ.get("CONSULT_CORPUS", Path(__file__).resolve().parents[2] / "shared/corpus")
)
LAW = CORPUS / "de-aufenthg-residence-act" / "AufenthG_2022-01-28_stand.md"
ORGANISATIONS = 20
COMMENTS = 1_000
PASSWORD = "correct horse battery"
CONNECTIONS = 16
SECONDS = float(os.environ.get("CONSULT_BENCH_SECONDS", "10"))
WARM_UP = 2.0
DEMO_READER = "germany@consult.example"
DEMO_PASSWORD = "consult-demo"


def _populate(rng: random.Random) -> int:
    """Store the law, a round and the comments; return the number of clauses."""
    from sqlalchemy import insert, select

    from consult.extensions import db
    from consult.models import Clause, Comment, Round
    from consult.models.base import utcnow
    from consult.services import accounts, drafts

    drafts.import_draft(LAW.read_bytes(), document_slug="aufenthg", filename=LAW.name, publish=True)
    organisations = [
        accounts.create_organisation(f"Organisation {n}", "ngo", None, None)
        for n in range(ORGANISATIONS)
    ]
    authors = [
        accounts.create_user(
            f"Author {n}", f"author{n}@example.org", "stakeholder", PASSWORD, o, None
        )
        for n, o in enumerate(organisations)
    ]
    clause_ids = db.session.scalars(select(Clause.id)).all()
    start = utcnow() - timedelta(days=5)
    round_ = Round(
        version_id=db.session.scalar(select(Clause.version_id).limit(1)),
        title="Bench round",
        opens_at=start,
        closes_at=start + timedelta(days=30),
        time_zone="UTC",
    )
    db.session.add(round_)
    db.session.flush()
    rows: list[dict[str, Any]] = []
    for n in range(COMMENTS):
        who = rng.randrange(ORGANISATIONS)
        at = start + timedelta(seconds=n)
        rows.append(
            {
                "round_id": round_.id,
                "clause_id": rng.choice(clause_ids) if rng.random() > 0.05 else None,
                "organisation_id": organisations[who].id,
                "author_id": authors[who].id,
                "type": "substantive",
                "body": f"Comment {n}.",
                "sequence": n + 1,
                "tracking_number": f"{organisations[who].code}-{n + 1:04d}",
                "idempotency_key": f"bench-{n}",
                "content_hash": "0" * 64,
                "received_at": at,
                "updated_at": at,
                "revision": 1,
                "status": "active",
                "channel": "platform",
            }
        )
    db.session.execute(insert(Comment), rows)
    db.session.commit()
    return len(clause_ids)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _ms_fine(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


@dataclass(frozen=True)
class Load:
    """What a load run measured."""

    tool: str
    pages_per_second: float
    p99: float  # seconds
    failures: int  # answers other than 200, and socket errors


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _wrk(port: int, path: str, cookie: str, seconds: float) -> Load:
    wrk = shutil.which("wrk")
    assert wrk is not None
    command = [wrk, "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds:.0f}s", "--latency"]
    command += ["-H", f"Cookie: {cookie}"] if cookie else []
    command += [f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    assert rate and p99, out
    failures = 0
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_ok:
        failures += int(non_ok.group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        failures += sum(int(n) for n in errors.groups())
    return Load("wrk", float(rate.group(1)), float(p99.group(1)) * _UNITS[p99.group(2)], failures)


def _python_load(port: int, path: str, cookie: str, seconds: float) -> Load:
    """16 threads, each with one keep-alive connection, asking for `path` again and again."""
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    failures = [0] * CONNECTIONS
    started = time.monotonic()
    stop = started + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            begun = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failures[n] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            latencies[n].append(time.perf_counter() - begun)
            if response.status != 200:
                failures[n] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    every = sorted(t for each in latencies for t in each)
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))] if every else float("nan")
    return Load("Python threads", len(every) / elapsed, p99, sum(failures))


def _load(port: int, path: str, cookie: str) -> Load:
    """Warm the workers up, then measure the load of 16 connections."""
    measure = _wrk if shutil.which("wrk") else _python_load
    measure(port, path, cookie, WARM_UP)
    return measure(port, path, cookie, SECONDS)


def _sign_in(port: int) -> tuple[str, urllib.request.OpenerDirector]:
    """Sign the demo stakeholder in through the form; return the Cookie header and the opener."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', page)
    assert token, "no csrf_token on the sign-in page"
    form = {"email": DEMO_READER, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    opener.open(f"{base}/login", urllib.parse.urlencode(form).encode(), timeout=30).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, opener


def _demo_version(database_url: str, instance: Path) -> str:
    """Return the address of the demo's published version with the most clauses."""
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.models import Clause, Document, Version

    app = deadline_server.bench_app(database_url, instance)
    with app.app_context():
        slug, number = db.session.execute(
            select(Document.slug, Version.number)
            .join(Version, Version.document_id == Document.id)
            .join(Clause, Clause.version_id == Version.id)
            .where(Version.status == "published")
            .group_by(Document.slug, Version.number)
            .order_by(func.count(Clause.id).desc())
            .limit(1)
        ).one()
        db.engine.dispose()
    return f"/documents/{slug}/v{number}"


def _cpu_per_request(database_url: str, instance: Path, path: str) -> dict[str, float]:
    """CPU seconds one request takes in this process (less sensitive to other work than
    wall-clock figures): the version page, the document's page, the sign-in page."""
    app = deadline_server.bench_app(database_url, instance)
    app.config["WTF_CSRF_ENABLED"] = False
    reader = app.test_client()
    form = {"email": DEMO_READER, "password": DEMO_PASSWORD}
    assert reader.post("/login", data=form).status_code == 302
    pages = {
        "version page": (reader, path),
        "document page": (reader, path.rsplit("/", 1)[0]),
        "sign-in page, not signed in": (app.test_client(), "/login"),
    }
    spent: dict[str, float] = {}
    for name, (client, url) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        started = time.process_time()
        for _ in range(100):
            client.get(url).close()
        spent[name] = (time.process_time() - started) / 100
    from consult.extensions import db

    with app.app_context():
        db.engine.dispose()
    return spent


def throughput() -> list[tuple[str, str, str, str]]:
    """Consult's version page against a fixed response of the same bytes, under gunicorn."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        database_url = f"sqlite:///{folder / 'demo.sqlite3'}"
        deadline_server.init_db(database_url, folder)
        subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "--app", "consult", "load-demo"],
            cwd=deadline_server.PROJECT_ROOT,
            env=deadline_server.environment(database_url, folder),
            check=True,
            capture_output=True,
            timeout=300,
        )
        path = _demo_version(database_url, folder)
        cpu = _cpu_per_request(database_url, folder, path)
        server = deadline_server.start_gunicorn(database_url, folder)
        try:
            cookie, opener = _sign_in(server.port)
            html = opener.open(f"http://127.0.0.1:{server.port}{path}", timeout=30).read()
            assert b'class="comment-link"' in html, "the stakeholder has no open round"
            consult = _load(server.port, path, cookie)
            # What any page of Consult costs at least: the sign-in page, to one not signed in.
            sign_in_page = _load(server.port, "/login", "")
        finally:
            deadline_server.stop_gunicorn(server)
        page = folder / "page.html"
        page.write_bytes(html)
        fixed_folder = folder / "fixed"
        fixed_folder.mkdir()
        fixed_server = deadline_server.start_gunicorn(
            database_url,
            fixed_folder,
            app="bench.fixed_page:app",
            extra_env={"CONSULT_BENCH_FIXED_PAGE": str(page)},
        )
        try:
            fixed = _load(fixed_server.port, path, cookie)
        finally:
            deadline_server.stop_gunicorn(fixed_server)
    name = f"reading {path} over HTTP ({consult.tool}, {CONNECTIONS} connections, {SECONDS:.0f} s)"
    ratio = consult.pages_per_second / fixed.pages_per_second
    return [
        (name, "HTML of the page", f"{len(html) / 1024:.0f} KB", ""),
        (name, "Consult, 4 gunicorn workers: pages/s", f"{consult.pages_per_second:.0f}", ""),
        (name, "Consult: p99", _ms(consult.p99), "< 300 ms"),
        (
            name,
            "  Consult's sign-in page, not signed in: pages/s",
            f"{sign_in_page.pages_per_second:.0f}",
            f"{sign_in_page.pages_per_second / fixed.pages_per_second:.1%} of fixed",
        ),
        (name, "  floor: fixed response, same bytes: pages/s", f"{fixed.pages_per_second:.0f}", ""),
        (name, "  floor: p99", _ms(fixed.p99), ""),
        (name, "Consult / fixed response", f"{ratio:.1%}", ">= 15%"),
        (name, "failed requests (Consult, fixed)", f"{consult.failures}, {fixed.failures}", "0"),
    ] + [
        (f"reading {path} in process", f"CPU per request: {page}", _ms_fine(seconds), "")
        for page, seconds in cpu.items()
    ]


def run() -> list[tuple[str, str, str, str]]:
    """Measure the page of the largest law in process, then the demo page's throughput."""
    rows = in_process()
    if os.environ.get("CONSULT_BENCH_READING_HTTP", "1") != "0":
        rows += throughput()
    return rows


def in_process() -> list[tuple[str, str, str, str]]:
    """Build the data, measure, and return the rows of figures."""
    from flask_migrate import upgrade

    from consult import create_app
    from consult.extensions import db

    if not LAW.exists():
        return [("reading", "version page", f"skipped: no {LAW}", "")]
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"},
            instance_path=folder,
        )
        app.config["WTF_CSRF_ENABLED"] = False
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            clauses = _populate(random.Random(12))
            db.session.remove()
            statements: list[str] = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

        name = f"reading {LAW.stem} ({clauses} clauses)"
        client = app.test_client()
        client.post("/login", data={"email": "author0@example.org", "password": PASSWORD})
        url = "/documents/aufenthg/v1"
        started = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        size = len(response.data)
        assert b"Bench round" in response.data
        statements.clear()
        client.get(url).close()
        queries = len(statements)
        later = best_of(lambda: client.get(url).close(), repeat=5)
        times = []
        for _ in range(5):
            begun = time.perf_counter()
            client.get(url).close()
            times.append(time.perf_counter() - begun)
        median = sorted(times)[2]
        floor = best_of(lambda: client.get("/login").close(), repeat=5)
        with app.app_context():
            db.engine.dispose()
    rows.append((name, "version page, first request", _ms(first), ""))
    rows.append((name, "version page, later request (best of 5)", _ms(later), "< 300 ms"))
    rows.append((name, "version page, later request (median of 5)", _ms(median), "< 300 ms"))
    rows.append((name, "  floor: the sign-in page", _ms(floor), f"ratio {later / floor:.0f}x"))
    rows.append((name, "HTML", f"{size / 1024:.0f} KB", ""))
    rows.append((name, "HTML per clause", f"{size / clauses:.0f} bytes", ""))
    rows.append((name, "SQL statements per request", str(queries), "independent of clauses"))
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
