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
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.bench_import import best_of

CORPUS = Path(
    os.environ.get("CONSULT_CORPUS", Path(__file__).resolve().parents[2] / "shared/corpus")
)
LAW = CORPUS / "de-aufenthg-residence-act" / "AufenthG_2022-01-28_stand.md"
ORGANISATIONS = 20
COMMENTS = 1_000
PASSWORD = "correct horse battery"


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


def run() -> list[tuple[str, str, str, str]]:
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
        floor = best_of(lambda: client.get("/login").close(), repeat=5)
        with app.app_context():
            db.engine.dispose()
    rows.append((name, "version page, first request", _ms(first), ""))
    rows.append((name, "version page, later request (best of 5)", _ms(later), "< 300 ms"))
    rows.append((name, "  floor: the sign-in page", _ms(floor), f"ratio {later / floor:.0f}x"))
    rows.append((name, "HTML", f"{size / 1024:.0f} KB", ""))
    rows.append((name, "HTML per clause", f"{size / clauses:.0f} bytes", ""))
    rows.append((name, "SQL statements per request", str(queries), "independent of clauses"))
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
