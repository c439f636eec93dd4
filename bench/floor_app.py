"""The floor of the deadline benchmark: the least a web app can do per comment.

A Flask app that answers the same requests as Consult's comment submission,
with the least work: POST inserts one row in one transaction and redirects
(303) to a GET that returns a small page with the row's tracking number. The
login and form pages the clients open first are static forms with a fixed
CSRF token. The engine is set up as Consult's (same URL handling, SQLite
pragmas, PostgreSQL planning), on the same database, under the same gunicorn
settings: `gunicorn --preload 'bench.floor_app:create_app()'` with
CONSULT_DATABASE_URL set.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, redirect, request
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
)

from consult.config import normalise_database_url
from consult.extensions import configure_postgresql, configure_sqlite

FORM = (
    "<!doctype html><title>{title}</title><form method=post>"
    '<input type=hidden name="csrf_token" value="floor-token">'
    "<textarea name=body></textarea><button>Send</button></form>"
)
metadata = MetaData()
floor_comment = Table(
    "floor_comment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("clause", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("tracking_number", String(32), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)


def create_app() -> Flask:
    """Return the floor app on $CONSULT_DATABASE_URL; the table is created here."""
    url = normalise_database_url(os.environ["CONSULT_DATABASE_URL"])
    engine = create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite"):
        configure_sqlite(engine, 10_000)
    elif url.startswith("postgresql"):
        configure_postgresql(engine)
    metadata.create_all(engine)
    engine.dispose()  # no connection crosses gunicorn's fork
    app = Flask(__name__)

    @app.get("/login")
    def login_form() -> str:
        return FORM.format(title="Sign in")

    @app.post("/login")
    def login() -> Any:
        return redirect("/", code=302)

    @app.get("/rounds/<int:round_id>/comment")
    def comment_form(round_id: int) -> str:
        return FORM.format(title=f"Comment on round {round_id}")

    @app.post("/rounds/<int:round_id>/comment")
    def comment(round_id: int) -> Any:
        form = request.form
        key = form.get("idempotency_key", "")
        with engine.begin() as conn:  # one INSERT, one transaction
            comment_id = conn.execute(
                insert(floor_comment)
                .values(
                    round_id=round_id,
                    idempotency_key=key,
                    clause=form.get("clause", ""),
                    body=form.get("body", ""),
                    tracking_number=f"F-{key[:12]}",
                    received_at=datetime.now(UTC),
                )
                .returning(floor_comment.c.id)
            ).scalar_one()
        return redirect(f"/comments/{comment_id}", code=303)

    @app.get("/comments/<int:comment_id>")
    def receipt(comment_id: int) -> str:
        with engine.connect() as conn:
            number = conn.scalar(
                select(floor_comment.c.tracking_number).where(floor_comment.c.id == comment_id)
            )
        if number is None:
            abort(404)
        return (
            f"<!doctype html><title>Receipt</title><p>Comment {comment_id}: "
            f'<span class="tracking-number">{number}</span></p>'
        )

    return app
