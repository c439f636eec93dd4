"""Drafts huge in clauses: refused with a message, and a stored one can still be discarded."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Engine, event, func, insert, inspect, select

from consult.extensions import db
from consult.models import Clause, User, Version
from tests import factories
from tests.web.support import fresh, post_form, sign_in, soup

CLAUSES = 25_000


def _clause_per_line(count: int) -> str:
    lines = "\n\n".join(f"{n}. Line {n}." for n in range(1, count + 1))
    return f"---\ndocument: huge\ntitle: Huge\n---\n\n# Huge\n\n{lines}\n"


def test_a_draft_of_too_many_clauses_is_refused_with_a_message(
    app: Flask, users: dict[str, User]
) -> None:
    """Attack: a file within the size limit holding a clause per line (100,000
    lines) is imported row by row and outlasts the request, or is stored and
    then cannot be shown or removed. It is refused, saying why, before anything
    is stored."""
    app.config["MAX_CLAUSES"] = 50
    app.test_client().application.config["MAX_CLAUSES"] = 50
    client = app.test_client()
    sign_in(client, users["drafter"])
    response = post_form(
        client, "/documents/new", {"slug": "huge", "draft_text": _clause_per_line(51)}
    )
    assert "a draft may have at most 50" in soup(response).get_text(" ", strip=True)
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Version)) == 0
    # At the limit, the draft goes in.
    assert factories.version(_clause_per_line(50), slug="huge", publish=False).number == 1


def test_the_clause_limit_defaults_to_twenty_thousand(app: Flask) -> None:
    """Attack: a deployment without the setting accepts any number of clauses."""
    assert app.config["MAX_CLAUSES"] == 20_000


@pytest.mark.parametrize("loaded", [False, True])
def test_a_draft_of_many_clauses_is_discarded_in_a_few_statements(
    app: Flask, users: dict[str, User], loaded: bool
) -> None:
    """Attack: a draft of tens of thousands of clauses (stored before the limit,
    or under a raised one) cannot be discarded: removing its clauses one ORM row
    at a time outlasts the request and kills the worker every time.

    The discard removes every clause with a handful of statements, whatever the
    number of clauses (its time is measured by `python bench/run.py discard`).
    The clauses form a tree, as a real draft's do, so that the database checks
    each deleted clause's children."""
    draft = factories.version(publish=False)
    rows = [
        {
            "version_id": draft.id,
            "key": f"bulk-{n}",
            "number": str(n),
            "text": f"Line {n}.",
            "kind": "paragraph",
            "position": 1000 + n,
            "parent_key": f"bulk-{n - n % 10}" if n % 10 else None,
        }
        for n in range(CLAUSES)
    ]
    db.session.execute(insert(Clause), rows)
    db.session.commit()
    client = app.test_client()
    sign_in(client, users["drafter"])
    if loaded:  # the page the drafter comes from has read every clause
        assert client.get(f"/documents/sample/v{draft.number}/preview").status_code == 200
    statements: list[str] = []

    def count(
        _conn: object, _cursor: object, sql: str, params: object, _c: object, many: bool
    ) -> None:
        # An executemany (the ORM deleting row by row) counts once per row.
        statements.extend([sql] * (len(params) if many and isinstance(params, list) else 1))

    event.listen(Engine, "before_cursor_execute", count)
    try:
        response = post_form(client, f"/documents/sample/v{draft.number}/discard")
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert response.status_code == 302
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Version)) == 0
    assert db.session.scalar(select(func.count()).select_from(Clause)) == 0
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE FROM CLAUSE")]
    assert len(deletes) == 1, deletes[:3]
    assert len(statements) < 60, len(statements)


def test_the_database_finds_a_clauses_children_by_an_index(app: Flask) -> None:
    """Attack, continued: without an index on the columns naming a clause's
    parent, deleting each clause scans the whole clause table for its children
    (minutes for 25,000 clauses, in the same single statement)."""
    indexes = inspect(db.engine).get_indexes("clause")
    assert any(ix["column_names"] == ["version_id", "parent_key"] for ix in indexes), indexes
