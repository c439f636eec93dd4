"""Every service that writes runs in the one write transaction (services/transactions.py).

On SQLite that transaction begins IMMEDIATE, holding the write lock before the
reads its checks depend on; a refused change leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from consult.extensions import db
from consult.models import AuditEvent, Version
from consult.models.base import utcnow
from consult.services import accounts, carry, drafts, rounds
from consult.services.errors import ServiceError
from tests import factories


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent from the moment the test clears the list."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's; PostgreSQL locks rows (see test_visibility)")
    seen: list[str] = []

    def _seen(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", _seen)
    yield seen
    event.remove(db.engine, "before_cursor_execute", _seen)


def _import_next(_: Version) -> object:
    text = factories.SAMPLE_DRAFT.replace("every year", "every two years")
    return drafts.import_draft(text.encode(), document_slug="sample")


def _open_round(draft: Version) -> object:
    drafts.publish_version(draft, None)
    start = utcnow()
    settings = rounds.RoundSettings("Meeting", start, start + timedelta(days=1))
    return rounds.create_round(draft, settings, None)


def _rematch(draft: Version) -> object:
    drafts.publish_version(draft, None)
    second = _import_next(draft)
    version = db.session.scalar(select(Version).where(Version.number == 2))
    assert second is not None and version is not None
    key = next(c.key for c in version.clauses if c.text.startswith("Training"))
    return carry.rematch_version(version, {key: None}, None)


def _deactivate(_: Version) -> object:
    return accounts.deactivate_user(factories.user("drafter"), None)


WRITES: dict[str, Callable[[Version], object]] = {
    "import": _import_next,
    "publish": lambda draft: drafts.publish_version(draft, None),
    "discard": lambda draft: drafts.discard_version(draft, None),
    "rematch": _rematch,
    "organisation": lambda _: accounts.create_organisation("Aid", "ngo", None, None),
    "user": lambda _: accounts.create_user(
        "Pat", "pat@example.org", "drafter", "long enough", None, None
    ),
    "deactivate": _deactivate,
    "round": _open_round,
}


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_holds_the_lock_before_it_writes(statements: list[str], name: str) -> None:
    draft = factories.version(publish=False)
    statements.clear()
    WRITES[name](draft)
    begins = [i for i, s in enumerate(statements) if s == "BEGIN IMMEDIATE"]
    writes = [i for i, s in enumerate(statements) if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert begins and writes
    # Every write statement follows a BEGIN IMMEDIATE with no COMMIT in between.
    for index in writes:
        opened = max(i for i in begins if i < index)
        assert "COMMIT" not in statements[opened:index]


def test_the_identical_text_check_reads_inside_the_lock(statements: list[str]) -> None:
    factories.version()
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    statements.clear()
    with pytest.raises(ServiceError, match="identical"):
        factories.version()
    begin = statements.index("BEGIN IMMEDIATE")
    latest = next(i for i, s in enumerate(statements) if "FROM version" in s)
    assert begin < latest
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert db.session.scalar(select(func.count()).select_from(Version)) == 1
