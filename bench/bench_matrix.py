"""The comment matrix at size: a page of a 5,000-comment round, the query over 20,000, the XLSX.

A temporary SQLite database holds a 300-clause document in two published
versions (the second reworded, so that the last column has work to do) and
two rounds on the first: 5,000 comments in one, 15,000 in the other, from 40
organisations, a quarter with a proposed change, half answered.

Figures, each beside a floor measured in the same run:
- page: GET of the matrix of the 5,000-comment round (50 rows, grouped by
  clause, every answer form drawn) through the Flask test client, beside the
  sign-in page through the same client (the cost of any page at all).
- query: the matrix's SQL for all 20,000 comments of the document (filters,
  visibility rule, document order), fetched as Core rows, beside a bare
  SELECT of the same columns from the comment table alone.
- xlsx: the whole export of the 20,000 (query, rows with their word diffs,
  writer) with its peak memory (tracemalloc), beside the writer alone on the
  same rows already made.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
import tracemalloc
from datetime import timedelta
from typing import Any

from bench.bench_compare import synthetic_versions
from bench.bench_import import best_of

ORGANISATIONS = 40
SMALL_ROUND = 5_000
LARGE_ROUND = 15_000
PROPOSED = 0.25
ANSWERED = 0.5


def _populate(rng: random.Random) -> None:
    from sqlalchemy import insert, select

    from bench.bench_compare import _store_versions
    from consult.extensions import db
    from consult.models import Clause, Comment, Organisation, Response, Round, User
    from consult.models.base import utcnow
    from consult.services import accounts

    old, new = synthetic_versions()
    _store_versions(old, new)
    secretariat = accounts.create_user(
        "Bench", "bench@example.org", "secretariat", "correct horse battery", None, None
    )
    organisations = [
        accounts.create_organisation(f"Organisation {n}", "ngo", None, None)
        for n in range(ORGANISATIONS)
    ]
    authors = [
        accounts.create_user(
            f"Author {n}", f"author{n}@example.org", "stakeholder", "correct horse battery", o, None
        )
        for n, o in enumerate(organisations)
    ]
    version_id = db.session.scalar(select(Clause.version_id).order_by(Clause.id).limit(1))
    clauses = db.session.execute(
        select(Clause.id, Clause.text).where(Clause.version_id == version_id, Clause.text != "")
    ).all()
    start = utcnow() - timedelta(days=30)
    rounds = []
    for title, size in (("Small round", SMALL_ROUND), ("Large round", LARGE_ROUND)):
        round_ = Round(
            version_id=version_id,
            title=title,
            opens_at=start,
            closes_at=start + timedelta(days=20),
            time_zone="UTC",
        )
        db.session.add(round_)
        db.session.flush()
        rounds.append((round_.id, size))
    comment_rows: list[dict[str, Any]] = []
    sequences: dict[tuple[int, int], int] = {}
    for round_id, size in rounds:
        for n in range(size):
            who = rng.randrange(ORGANISATIONS)
            organisation, author = organisations[who], authors[who]
            clause_id, text = rng.choice(clauses) if rng.random() > 0.05 else (None, "")
            proposed = None
            if clause_id is not None and rng.random() < PROPOSED:
                words = text.split()
                words[rng.randrange(len(words))] = "amended"
                proposed = " ".join(words)
            sequence = sequences[(round_id, who)] = sequences.get((round_id, who), 0) + 1
            at = start + timedelta(seconds=n)
            comment_rows.append(
                {
                    "round_id": round_id,
                    "clause_id": clause_id,
                    "organisation_id": organisation.id,
                    "author_id": author.id,
                    "type": rng.choice(("general", "substantive", "editorial")),
                    "body": f"Comment {n} on the text: " + " ".join(["reasoning"] * 30),
                    "proposed_text": proposed,
                    "sequence": sequence,
                    "tracking_number": f"{organisation.code}-{sequence:03d}",
                    "idempotency_key": f"{round_id}-{n}",
                    "content_hash": "0" * 64,
                    "received_at": at,
                    "updated_at": at,
                    "revision": 1,
                    "status": "active",
                    "channel": "platform",
                }
            )
    db.session.execute(insert(Comment), comment_rows)
    ids = db.session.scalars(select(Comment.id)).all()
    db.session.execute(
        insert(Response),
        [
            {
                "comment_id": comment_id,
                "disposition": "accepted",
                "explanation": "Taken into account in the revised text.",
                "responder_id": secretariat.id,
                "updated_at": utcnow(),
                "revision": 1,
            }
            for comment_id in ids
            if rng.random() < ANSWERED
        ],
    )
    db.session.commit()
    assert db.session.scalar(select(User.id).where(User.email == "bench@example.org"))
    assert db.session.query(Organisation).count() == ORGANISATIONS


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def run() -> list[tuple[str, str, str, str]]:
    """Build the data, measure, and return the rows of figures."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from consult import create_app
    from consult.exports.matrix_xlsx import write_xlsx
    from consult.extensions import db
    from consult.models import Comment, Round
    from consult.models.base import utcnow
    from consult.services.matrix import query
    from consult.services.matrix.filters import MatrixFilters
    from consult.services.matrix.model import RoundSheet

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"},
            instance_path=folder,
        )
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            started = time.perf_counter()
            _populate(random.Random(9))
            made = time.perf_counter() - started
            small = db.session.scalar(select(Round.id).where(Round.title == "Small round"))
            db.session.remove()
        rows.append(("matrix", "data: 20,000 comments stored", f"{made:.1f} s", ""))

        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        client.post(
            "/login", data={"email": "bench@example.org", "password": "correct horse battery"}
        )
        url = f"/documents/bench/matrix?round={small}"
        response = client.get(url)  # the first request stores the comparison
        assert response.status_code == 200, response.status_code
        page = best_of(lambda: client.get(url).close(), repeat=5)
        floor = best_of(lambda: client.get("/login").close(), repeat=5)
        rows.append(("matrix", "page, round of 5,000 (50 rows)", _ms(page), "< 300 ms"))
        rows.append(
            ("matrix", "  floor: the sign-in page", _ms(floor), f"ratio {page / floor:.1f}x")
        )

        with app.test_request_context():
            now = utcnow()
            statement = query.matrix_statement(None, "bench", MatrixFilters(), now)

            def full_query() -> int:
                return len(db.session.execute(statement).all())

            assert full_query() == SMALL_ROUND + LARGE_ROUND
            timed = best_of(full_query, repeat=3)
            bare = select(
                Comment.id,
                Comment.tracking_number,
                Comment.body,
                Comment.proposed_text,
                Comment.type,
            )
            bare_time = best_of(lambda: db.session.execute(bare).all(), repeat=3)
            rows.append(("matrix", "query, 20,000 comments (Core rows)", _ms(timed), "< 300 ms"))
            rows.append(
                (
                    "matrix",
                    "  floor: bare SELECT of the comment table",
                    _ms(bare_time),
                    f"ratio {timed / bare_time:.1f}x",
                )
            )

            def export() -> None:
                meta, sheets = query.export_sheets(None, "bench", MatrixFilters(), now)
                write_xlsx(meta, sheets, io.BytesIO())

            whole = best_of(export, repeat=1)
            tracemalloc.start()  # a run of its own: tracing slows everything down
            export()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            meta, sheets = query.export_sheets(None, "bench", MatrixFilters(), now)
            ready = [RoundSheet(s.round_id, s.round_title, list(s.rows)) for s in sheets]
            writer = best_of(lambda: write_xlsx(meta, ready, io.BytesIO()), repeat=1)
            rows.append(("matrix", "XLSX, 20,000 comments", f"{whole:.2f} s", "< 6 s"))
            rows.append(
                ("matrix", "  peak memory (tracemalloc)", f"{peak / 2**20:.0f} MB", "< 64 MB")
            )
            rows.append(
                (
                    "matrix",
                    "  floor: the writer alone, rows made",
                    f"{writer:.2f} s",
                    f"ratio {whole / writer:.1f}x",
                )
            )
            db.session.remove()
        with app.app_context():
            db.engine.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
