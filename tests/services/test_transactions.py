"""Every service that writes runs in the one write transaction (services/transactions.py).

On SQLite that transaction begins IMMEDIATE, holding the write lock before the
reads its checks depend on; on PostgreSQL the writes of one use case are one
transaction, committed once. A refused change leaves nothing behind.
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


def _begin() -> str:
    """The mark of a write transaction's start in the statements seen."""
    return "BEGIN IMMEDIATE" if db.engine.dialect.name == "sqlite" else "BEGIN"


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent from the moment the test clears the list, with BEGIN and COMMIT.

    On SQLite the write transaction sends BEGIN IMMEDIATE itself; on PostgreSQL
    the driver begins the transaction, so its start is marked as "BEGIN".
    """
    seen: list[str] = []
    postgres = db.engine.dialect.name == "postgresql"

    def _statement(*args: object) -> None:
        seen.append(str(args[2]))

    def _began(*_: object) -> None:
        if postgres:
            seen.append("BEGIN")

    def _committed(*_: object) -> None:
        seen.append("COMMIT")

    listeners = [
        ("before_cursor_execute", _statement),
        ("begin", _began),
        ("commit", _committed),
    ]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    yield seen
    for name, listener in listeners:
        event.remove(db.engine, name, listener)


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
        "Pat", "pat@example.org", "drafter", "a long enough passphrase", None, None
    ),
    "deactivate": _deactivate,
    "round": _open_round,
}


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_holds_the_lock_before_it_writes(statements: list[str], name: str) -> None:
    draft = factories.version(publish=False)
    statements.clear()
    WRITES[name](draft)
    begins = [i for i, s in enumerate(statements) if s == _begin()]
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
    # The last transaction begun is the write transaction; the check reads in it.
    begin = max(i for i, s in enumerate(statements) if s == _begin())
    latest = max(i for i, s in enumerate(statements) if "FROM version" in s)
    assert begin < latest
    assert "COMMIT" not in statements[begin:]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert db.session.scalar(select(func.count()).select_from(Version)) == 1
