"""The database schema: migrations match the models; SQLite and PostgreSQL are set up safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import text

from consult.extensions import db


def test_migrations_match_models(app: Flask) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_uses_wal_foreign_keys_and_busy_timeout(app: Flask) -> None:
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_postgresql_plans_each_statement_for_the_tables_as_they_are(app: Flask) -> None:
    """A generic plan kept from when the clause table was small made PostgreSQL's
    own foreign-key checks scan the table once per clause: importing or discarding
    a draft of 20,000 clauses took half a minute (`bench/run.py discard` measures
    it). Every connection plans each execution instead."""
    if db.engine.dialect.name != "postgresql":
        assert db.engine.dialect.name == "sqlite"  # no plan cache to configure
        return
    for _ in range(2):  # a fresh connection and one from the pool
        with db.engine.connect() as connection:
            setting = connection.execute(text("SHOW plan_cache_mode")).scalar()
            assert setting == "force_custom_plan"


def test_versions_labelled_only_by_their_number_lose_that_label_on_upgrade(app: Flask) -> None:
    """Before, a version uploaded without a label was stored as "Version N"."""
    from flask_migrate import downgrade, upgrade

    from consult.services import drafts

    for n, label in enumerate(("Version 1", "version 2", "Second reading"), start=1):
        draft = f"# Terms\n\n## 1. Scope\n\nThis text applies, draft {n}.\n"
        drafts.import_draft(draft.encode(), document_slug="terms", label=label, publish=True)
    db.session.remove()
    directory = app.extensions["migrate"].directory
    downgrade(directory=directory, revision="b8d3f6a2c514")
    upgrade(directory=directory)
    db.session.remove()
    labels = db.session.scalars(text("SELECT label FROM version ORDER BY number")).all()
    assert labels == ["", "", "Second reading"]
