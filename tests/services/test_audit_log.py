"""Reading the audit trail: filters, UTC day boundaries, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete

from consult.extensions import db
from consult.models import AuditEvent, User
from consult.services.audit_log import AuditFilter, actions, object_types, search_events


def add(
    at: datetime, action: str, actor: User | None = None, kind: str = "user", oid: str = "1"
) -> None:
    db.session.add(
        AuditEvent(at=at, action=action, actor=actor, object_type=kind, object_id=oid, details={})
    )
    db.session.commit()


def test_search_filters_and_orders_newest_first(app: Flask, users: dict[str, User]) -> None:
    db.session.execute(delete(AuditEvent))  # the fixture's account creations
    admin = users["admin"]
    day = datetime(2026, 3, 1, tzinfo=UTC)
    add(day - timedelta(seconds=1), "a.early", admin)
    add(day, "a.first", None, "version", "5")
    add(day + timedelta(hours=23, minutes=59, seconds=59), "a.last", admin, "version", "6")
    add(day + timedelta(days=1), "a.next", admin)

    def found(**wanted: Any) -> list[str]:
        page = search_events(AuditFilter(**wanted))
        return [event.action for event in page.events]

    assert found() == ["a.next", "a.last", "a.first", "a.early"]
    assert found(date_from=date(2026, 3, 1), date_to=date(2026, 3, 1)) == ["a.last", "a.first"]
    assert found(actor="system") == ["a.first"]
    assert found(actor=admin.id, object_type="version") == ["a.last"]
    assert found(object_type="version", object_id="5") == ["a.first"]
    assert found(action="a.early") == ["a.early"]
    assert object_types() == ["user", "version"]
    assert actions() == ["a.early", "a.first", "a.last", "a.next"]


def test_search_pages(app: Flask) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(5):
        add(start + timedelta(minutes=n), f"n.{n}")
    first = search_events(AuditFilter(), page=1, page_size=2)
    assert [e.action for e in first.events] == ["n.4", "n.3"]
    assert (first.total, first.page_count, first.has_previous, first.has_next) == (
        5,
        3,
        False,
        True,
    )
    last = search_events(AuditFilter(), page=3, page_size=2)
    assert [e.action for e in last.events] == ["n.0"] and last.has_previous and not last.has_next
    beyond = search_events(AuditFilter(), page=7, page_size=2)
    assert beyond.events == [] and beyond.page_count == 3
    assert search_events(AuditFilter(), page=0, page_size=2).page == 1
