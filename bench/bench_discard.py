"""Discarding a draft of many clauses, beside inserting the same clauses.

A drafter may discard a draft that was stored under a raised clause limit
(tens of thousands of clauses). The discard removes the clauses in one
statement, and the database checks each removed clause for children by an
index; without it (issue 13) the same statement took minutes. The floor is
the bulk insert of the same rows, in the same database, in the same run: a
discard should cost about what the insert cost, not grow with the square of
the number of clauses. The 250-clause row shows how the time grows.

SQLite by default; `CONSULT_BENCH_DATABASE_URL` names another database (an
empty PostgreSQL database: its tables are created and dropped).
"""

from __future__ import annotations

import os
import tempfile
import time

CLAUSE_COUNTS = (250, 25_000)
PASSWORD = "correct horse battery"


def _rows(version_id: int, count: int) -> list[dict[str, object]]:
    # Ten clauses under each heading-like clause: a tree, as a real draft has.
    return [
        {
            "version_id": version_id,
            "key": f"c-{n}",
            "number": str(n),
            "text": f"Line {n}.",
            "kind": "paragraph",
            "position": 1000 + n,
            "parent_key": f"c-{n - n % 10}" if n % 10 else None,
        }
        for n in range(count)
    ]


def run() -> list[tuple[str, str, str, str]]:
    """Measure and return the rows of the discard benchmark."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, insert, select

    from consult import create_app
    from consult.extensions import db
    from consult.models import Clause, Version
    from consult.services import accounts, drafts

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("CONSULT_BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"}, instance_path=folder)
        app.config["WTF_CSRF_ENABLED"] = False
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            accounts.create_user("Bench", "bench@example.org", "drafter", PASSWORD, None, None)
            db.session.commit()
        client = app.test_client()
        signed_in = client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
        # Refused, the discard would be timed as a redirect to the sign-in page.
        assert signed_in.status_code == 302 and "/login" not in signed_in.location, signed_in
        for count in CLAUSE_COUNTS:
            slug = f"many-{count}"
            with app.app_context():
                draft = drafts.import_draft(
                    b"# Draft\n\nA first line.\n", document_slug=slug, title="Many", publish=False
                ).version
                start = time.perf_counter()
                db.session.execute(insert(Clause), _rows(draft.id, count))
                db.session.commit()
                inserted = time.perf_counter() - start
                number = draft.number
                db.session.remove()
            start = time.perf_counter()
            response = client.post(f"/documents/{slug}/v{number}/discard")
            discarded = time.perf_counter() - start
            assert response.status_code == 302, response.status_code
            with app.app_context():  # the draft and its clauses are gone: a discard was timed
                assert db.session.get(Version, draft.id) is None
                left = db.session.scalar(
                    select(func.count()).select_from(Clause).where(Clause.version_id == draft.id)
                )
                assert left == 0, left
            label = f"discard a draft of {count:,} clauses ({db_name(url)})"
            rows.append(
                (label, "bulk insert of the clauses (floor)", f"{inserted * 1000:.0f} ms", "")
            )
            rows.append((label, "discard request", f"{discarded * 1000:.0f} ms", ""))
            rows.append((label, "discard / insert", f"{discarded / inserted:.1f}", "< 5"))
        with app.app_context():
            if url.startswith("postgresql"):
                downgrade(directory=app.extensions["migrate"].directory, revision="base")
            db.engine.dispose()
    return rows


def db_name(url: str) -> str:
    """Return the database's kind, for the row's label."""
    return url.split(":", 1)[0].split("+", 1)[0]
