"""The deadline benchmark's checks, made directly in the database after the run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass
class DatabaseFacts:
    """What the database holds after the run."""

    rows: int
    receipts_read: int
    wrong_receipt_pages: int
    duplicate_keys: int
    late_rows: int
    missing_receipts: int
    mismatched_receipts: int
    unacknowledged_rows: int
    duplicate_tracking_numbers: int
    closes_at: datetime


def check_database(
    app: Any,
    round_id: int,
    acknowledged: dict[int, tuple[int, str]],
    shown_numbers: dict[int, str | None],
) -> DatabaseFacts:
    """Compare the round's comments with the receipts the clients were given.

    `acknowledged` maps each acknowledged comment id to the (author id,
    idempotency key) the client sent; `shown_numbers` maps the ids whose
    receipt page was read to the tracking number it showed (None: none shown).
    """
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.models import Comment, Round

    with app.app_context():
        closes_at = db.session.scalar(select(Round.closes_at).where(Round.id == round_id))
        assert closes_at is not None
        rows = db.session.execute(
            select(
                Comment.id, Comment.author_id, Comment.idempotency_key, Comment.tracking_number
            ).where(Comment.round_id == round_id)
        ).all()
        stored = {row.id: (row.author_id, row.idempotency_key) for row in rows}
        numbers = {row.id: row.tracking_number for row in rows}
        duplicate_keys = len(
            db.session.execute(
                select(Comment.author_id, Comment.idempotency_key)
                .group_by(Comment.author_id, Comment.idempotency_key)
                .having(func.count() > 1)
            ).all()
        )
        duplicate_tracking = len(
            db.session.execute(
                select(Comment.round_id, Comment.tracking_number)
                .group_by(Comment.round_id, Comment.tracking_number)
                .having(func.count() > 1)
            ).all()
        )
        late = db.session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.round_id == round_id, Comment.received_at >= closes_at)
        )
        db.session.remove()
        db.engine.dispose()
    missing = [cid for cid in acknowledged if cid not in stored]
    mismatched = [
        cid for cid, sent in acknowledged.items() if cid in stored and stored[cid] != sent
    ]
    wrong_numbers = [cid for cid, shown in shown_numbers.items() if numbers.get(cid) != shown]
    return DatabaseFacts(
        rows=len(stored),
        receipts_read=len(shown_numbers),
        wrong_receipt_pages=len(wrong_numbers),
        duplicate_keys=duplicate_keys,
        late_rows=int(late or 0),
        missing_receipts=len(missing),
        mismatched_receipts=len(mismatched),
        unacknowledged_rows=len(set(stored) - set(acknowledged)),
        duplicate_tracking_numbers=duplicate_tracking,
        closes_at=closes_at,
    )
