"""Each migration keeps the schema usable by the release before it ("expand, then contract").

The README promises that a schema can be upgraded while the previous release
goes on serving: hosts are replaced one at a time after `init-db`, so for a
while old code reads and writes the upgraded schema. Old code names only the
tables and columns it knows. So a migration may add tables, indexes, and
columns that an INSERT may leave out (nullable, or with a server default); it
may widen a text column. It may not drop or rename a table or column, narrow
or change a column's type, or make an existing column required.

What the old code no longer needs is removed one release later by a migration
that says so: a module-level `contract` mapping each removed or tightened
"table" or "table.column" to why the previous release no longer uses it. The
test walks every migration from an empty database to the head, one step at a
time, on the test database (SQLite or PostgreSQL), and compares the schema
before and after each step. Declarations must match what the step does
exactly: an undeclared breach fails, and so does a declaration of nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from consult.extensions import db

# Written before this test, while no release had been deployed: what each of them
# did that the rule now forbids, kept so that the list cannot grow unnoticed.
BEFORE_THE_RULE: dict[str, set[str]] = {
    "04f3275a770b": {"organisation.code: added as required, without a default"},
    "b8d3f6a2c514": {
        "user_session.last_seen_at: added as required, without a default",
        "user_session.remember: added as required, without a default",
        "user_session.user_agent: added as required, without a default",
    },
}


@dataclass(frozen=True)
class Column:
    type: str
    nullable: bool
    has_default: bool


Schema = dict[str, dict[str, Column]]


def _schema() -> Schema:
    inspector = inspect(db.engine)
    return {
        table: {
            column["name"]: Column(
                type=str(column["type"]).upper(),
                nullable=bool(column["nullable"]),
                has_default=column.get("default") is not None
                or bool(column.get("autoincrement") is True and column.get("primary_key")),
            )
            for column in inspector.get_columns(table)
        }
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


_LENGTH = re.compile(r"^(VARCHAR|CHARACTER VARYING)\((\d+)\)$")


def _widened(old: str, new: str) -> bool:
    """Whether a column of type `old` may become `new` with old code still writing it."""
    if old == new:
        return True
    before, after = _LENGTH.match(old), _LENGTH.match(new)
    if before and after:
        return int(after.group(2)) >= int(before.group(2))
    return bool(before) and new == "TEXT"


def breaches(old: Schema, new: Schema) -> set[str]:
    """What the step from `old` to `new` does that the release before it could not live with."""
    found: set[str] = set()
    for table, columns in old.items():
        if table not in new:
            found.add(f"{table}: dropped or renamed")
            continue
        for name, before in columns.items():
            after = new[table].get(name)
            if after is None:
                found.add(f"{table}.{name}: dropped or renamed")
            elif not _widened(before.type, after.type):
                found.add(f"{table}.{name}: type {before.type} -> {after.type}")
            elif before.nullable and not after.nullable:
                found.add(f"{table}.{name}: made required")
        for name, after in new[table].items():
            if name not in columns and not after.nullable and not after.has_default:
                found.add(f"{table}.{name}: added as required, without a default")
    return found


def _declared(module: Any) -> set[str]:
    contract: dict[str, str] = getattr(module, "contract", {})
    for subject, reason in contract.items():
        assert reason.strip(), f"{module.__name__}: say why {subject} may go"
    return set(contract)


def _subject(breach: str) -> str:
    return breach.split(":", 1)[0]


def test_each_migration_leaves_the_schema_usable_by_the_release_before(app: Flask) -> None:
    directory = app.extensions["migrate"].directory
    scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(directory))
    steps = list(reversed(list(scripts.walk_revisions())))
    assert len(steps) >= 14, "the walk should cover every migration"
    db.session.remove()
    downgrade(directory=directory, revision="base")
    problems: list[str] = []
    try:
        before = _schema()
        assert before == {}, "the empty database should have no tables left"
        for step in steps:
            upgrade(directory=directory, revision=step.revision)
            after = _schema()
            found = breaches(before, after)
            grandfathered = BEFORE_THE_RULE.get(step.revision, set())
            if grandfathered:
                if found != grandfathered:
                    problems.append(f"{step.revision}: listed {grandfathered}, found {found}")
            elif {_subject(b) for b in found} != _declared(step.module):
                problems.append(
                    f"{step.revision} ({step.doc}): does {sorted(found) or 'nothing forbidden'}"
                    f" but declares {sorted(_declared(step.module)) or 'no contract'}"
                )
            before = after
    finally:
        upgrade(directory=directory)  # the head, whatever happened
        db.session.remove()
    assert problems == []


def _columns(**columns: tuple[str, bool, bool]) -> dict[str, Column]:
    return {name: Column(*spec) for name, spec in columns.items()}


def test_the_comparison_sees_each_kind_of_breach() -> None:
    old: Schema = {
        "kept": _columns(id=("INTEGER", False, True), note=("VARCHAR(20)", True, False)),
        "gone": _columns(id=("INTEGER", False, True)),
    }
    allowed: Schema = {
        "kept": _columns(
            id=("INTEGER", False, True),
            note=("TEXT", True, False),  # widened
            extra=("INTEGER", True, False),  # nullable
            flag=("BOOLEAN", False, True),  # required, with a default
        ),
        "gone": _columns(id=("INTEGER", False, True)),
        "new_table": _columns(id=("INTEGER", False, False)),
    }
    assert breaches(old, allowed) == set()
    forbidden: Schema = {
        "kept": _columns(
            id=("VARCHAR(10)", False, True),
            required=("INTEGER", False, False),
        ),
    }
    assert breaches(old, forbidden) == {
        "gone: dropped or renamed",
        "kept.id: type INTEGER -> VARCHAR(10)",
        "kept.note: dropped or renamed",
        "kept.required: added as required, without a default",
    }
    narrowed: Schema = {
        "kept": _columns(id=("INTEGER", False, True), note=("VARCHAR(10)", False, False))
    }
    assert breaches({"kept": old["kept"]}, narrowed) == {
        "kept.note: type VARCHAR(20) -> VARCHAR(10)",
    }
    tightened: Schema = {
        "kept": _columns(id=("INTEGER", False, True), note=("VARCHAR(20)", False, False))
    }
    assert breaches({"kept": old["kept"]}, tightened) == {"kept.note: made required"}
