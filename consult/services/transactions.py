"""Write transactions and the clock that deadlines are checked against."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import current_app

from consult.extensions import db, immediate_transactions
from consult.models.base import utcnow


def now() -> datetime:
    """Return the server's current time in UTC (tests may set config CLOCK to a callable)."""
    clock: Callable[[], datetime] | None = current_app.config.get("CLOCK")
    return clock() if clock is not None else utcnow()


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block in a fresh transaction that holds the write lock from its start.

    On SQLite the transaction begins IMMEDIATE; on PostgreSQL the block is
    expected to lock the rows its checks depend on (SELECT ... FOR UPDATE).
    Commits at the end, rolls back on any error.
    """
    db.session.rollback()  # end the request's read transaction first
    token = immediate_transactions.set(True)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        immediate_transactions.reset(token)
