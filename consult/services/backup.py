"""Backups of the whole platform, and restoring them into an empty database.

Everything the platform keeps lives in its database: drafts, rounds,
comments and their revisions, answers, the audit log, accounts and sessions,
uploads waiting for confirmation, and the stored export files (finished PDFs
are `StoredExport` rows). The instance folder holds only the generated secret
key (and, without SMTP, copies of outgoing e-mails), which a backup leaves
out: see the README's "Backups" section.

A backup is therefore the database in its own format, one file:

* SQLite: a copy of the database file made with SQLite's online backup API
  in a single step, so it is the database as one reader saw it, while the
  platform goes on writing (WAL mode lets writers carry on meanwhile). The
  copy is a plain SQLite database (rollback journal, no -wal file beside it).
* PostgreSQL: `pg_dump --format=custom`, the dump taken in the snapshot the
  row counts reported were read in, so the counts are those of the file.

Restoring refuses a database that holds anything, and a backup whose schema
is newer than this code knows; it never upgrades the schema itself (the
person is told to run `init-db`, which does).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import current_app
from flask_babel import gettext as _

from consult.extensions import db
from consult.services import pg_backup
from consult.services.backup_base import (
    ALEMBIC_TABLE,
    BackupError,
    database_url,
    not_a_backup,
    table_rows,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, as far as it can be read without restoring it."""

    kind: str  # "sqlite" or "postgresql"
    revision: str
    #: "current": this code's schema; "older": run init-db after restoring;
    #: "newer": made by a later Consult, which this code cannot restore.
    schema: str
    #: Rows per table (SQLite; a PostgreSQL dump lists its tables with no count).
    rows: dict[str, int] = field(default_factory=dict)
    tables: int = 0


@dataclass(frozen=True)
class BackupReport:
    """What `backup` wrote."""

    path: Path
    kind: str
    size: int
    revision: str
    rows: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class RestoreReport:
    """What `restore` restored."""

    path: Path
    kind: str
    revision: str
    schema: str
    head: str
    rows: dict[str, int]
    seconds: float


# -- the schema revision ------------------------------------------------------


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(current_app.extensions["migrate"].directory)


def code_head() -> str:
    """Return the schema revision this code's migrations end at."""
    return str(_scripts().get_current_head())


def schema_state(revision: str) -> str:
    """Return "current", "older" or "newer" (unknown to this code) for a schema revision."""
    scripts = _scripts()
    if revision in scripts.get_heads():
        return "current"
    try:
        known = scripts.get_revision(revision)
    except CommandError:
        known = None
    return "older" if known is not None else "newer"


def _check_restorable(path: Path, revision: str) -> str:
    state = schema_state(revision)
    if state == "newer":
        raise BackupError(
            _(
                "%(file)s was made by a newer Consult (schema revision %(revision)s, unknown "
                "to this one): restore it with that version of Consult or a later one",
                file=path.name,
                revision=revision,
            )
        )
    return state


# -- reading a backup file ------------------------------------------------------


def _kind_of_file(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            start = handle.read(len(SQLITE_MAGIC))
    except OSError as err:
        raise BackupError(
            _("cannot read %(file)s: %(reason)s", file=path, reason=err.strerror)
        ) from err
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        _(
            "%(file)s is not a Consult backup: it is neither a SQLite database nor a "
            "PostgreSQL dump in pg_dump's custom format",
            file=path.name,
        )
    )


def _sqlite_rows(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
        for name in names
    }


def _sqlite_revision(connection: sqlite3.Connection, path: Path) -> str:
    try:
        row = connection.execute(f"SELECT version_num FROM {ALEMBIC_TABLE}").fetchone()
    except sqlite3.OperationalError as err:
        raise not_a_backup(path) from err
    if row is None:
        raise not_a_backup(path)
    return str(row[0])


@contextlib.contextmanager
def _read_only_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def _inspect_sqlite(path: Path, *, thorough: bool) -> BackupInfo:
    try:
        with _read_only_sqlite(path) as connection:
            pragma = "integrity_check" if thorough else "quick_check"
            problems = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
            if problems != ["ok"]:
                raise BackupError(
                    _(
                        "%(file)s is damaged: %(problem)s",
                        file=path.name,
                        problem="; ".join(problems[:3]),
                    )
                )
            revision = _sqlite_revision(connection, path)
            rows = _sqlite_rows(connection)
    except sqlite3.DatabaseError as err:
        raise BackupError(
            _("%(file)s is damaged: %(problem)s", file=path.name, problem=str(err))
        ) from err
    return BackupInfo("sqlite", revision, schema_state(revision), rows, len(rows))


def inspect_backup(path: Path) -> BackupInfo:
    """Read a backup file and say what it holds; BackupError if it is none, or damaged.

    A SQLite backup is checked page by page (PRAGMA integrity_check) and its
    rows counted; a PostgreSQL dump is read through by pg_restore (into
    nothing) and its schema revision read.
    """
    if _kind_of_file(path) == "sqlite":
        return _inspect_sqlite(path, thorough=True)
    pg_restore = pg_backup.tool("pg_restore")
    revision, tables = pg_backup.dump_revision(pg_restore, path)
    # Read every block through (into nothing): a truncated or damaged file fails here.
    whole = pg_backup.run([pg_restore, f"--file={os.devnull}", str(path)])
    if whole.returncode != 0:
        raise BackupError(
            _(
                "%(file)s is damaged: %(reason)s",
                file=path.name,
                reason=" / ".join(whole.stderr.strip().splitlines()[-3:]),
            )
        )
    return BackupInfo("postgresql", revision, schema_state(revision), {}, tables)


# -- the platform's database ------------------------------------------------------


def _dialect() -> str:
    name = db.engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(_("cannot back up a %(dialect)s database", dialect=name))
    return name


def _sqlite_path() -> Path:
    database = database_url().database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(_("the platform's SQLite database is not a file"))
    return Path(database)


# -- backup ------------------------------------------------------------------------


def backup(target: Path, *, force: bool = False) -> BackupReport:
    """Write a consistent copy of the platform's database to `target`.

    An existing `target` is refused unless `force`. The copy is written under a
    temporary name beside `target`, readable by its owner only (it holds
    password hashes and personal data), and renamed at the end, so a failed
    backup never leaves a half-written file under the name asked for.
    """
    started = time.monotonic()
    dialect = _dialect()
    if target.is_dir():
        raise BackupError(_("%(file)s is a folder", file=target))
    if dialect == "sqlite" and _same_file(target, _sqlite_path()):
        raise BackupError(
            _("%(file)s is the platform's database: write the backup elsewhere", file=target)
        )
    if target.exists() and not force:
        raise BackupError(
            _("%(file)s exists already: choose another name, or add --force", file=target)
        )
    try:
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as err:
        raise BackupError(
            _("cannot write %(file)s: %(reason)s", file=target, reason=err.strerror)
        ) from err
    os.close(handle)
    partial = Path(name)
    try:
        if dialect == "sqlite":
            revision, rows = _backup_sqlite(partial)
        else:
            revision, rows = pg_backup.dump(partial)
        partial.replace(target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _("cannot write %(file)s: %(reason)s", file=target, reason=err.strerror)
        ) from err
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(
        target, dialect, target.stat().st_size, revision, rows, time.monotonic() - started
    )


def _same_file(one: Path, other: Path) -> bool:
    """True if `one` is `other`, or its -wal or -shm file."""
    resolved = other.resolve()
    names = {resolved, *(resolved.with_name(resolved.name + end) for end in ("-wal", "-shm"))}
    return one.resolve() in names


def _backup_sqlite(partial: Path) -> tuple[str, dict[str, int]]:
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(_("the platform's database %(file)s does not exist", file=source_path))
    timeout = float(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 10_000)) / 1000
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    copy = sqlite3.connect(partial)
    try:
        # One step (pages=-1): the whole database as one reader sees it. Copied in
        # several steps, a write by the platform in between would restart the copy.
        source.backup(copy, pages=-1)
        # A plain file: no -wal or -shm beside it when it is opened later.
        copy.execute("PRAGMA journal_mode=DELETE").fetchone()
        try:
            revision = _sqlite_revision(copy, partial)
        except BackupError:
            # The copy is as good as its source: a database never migrated.
            raise BackupError(_("the database has no schema yet: run init-db first")) from None
        rows = _sqlite_rows(copy)
    except sqlite3.Error as err:
        raise BackupError(
            _(
                "the platform's database %(file)s cannot be read: %(problem)s",
                file=source_path,
                problem=err,
            )
        ) from err
    finally:
        copy.close()
        source.close()
    return revision, rows


# -- restore -------------------------------------------------------------------------


def _emptiness() -> tuple[bool, dict[str, int]]:
    """Return whether the platform's database is empty, and its rows per table.

    Empty: no tables, or only an empty alembic_version (an `init-db` that
    failed, or a database made by hand for the restore).
    """
    with db.engine.connect() as connection:
        rows = table_rows(connection)
    empty = not rows or (set(rows) == {ALEMBIC_TABLE} and rows[ALEMBIC_TABLE] == 0)
    return empty, rows


def restore(source: Path) -> RestoreReport:
    """Restore the backup `source` into the platform's database, which must be empty.

    Refuses, changing nothing, a database that holds any table (other than an
    empty alembic_version), a file that is no backup or is damaged, a backup
    of the other kind of database, and a backup newer than this code.
    """
    started = time.monotonic()
    dialect = _dialect()
    kind = _kind_of_file(source)
    if kind != dialect:
        raise BackupError(
            _(
                "%(file)s is a backup of a %(kind)s database, and this platform's database is "
                "%(dialect)s: restore it into a %(kind)s database",
                file=source.name,
                kind=database_name(kind),
                dialect=database_name(dialect),
            )
        )
    if kind == "sqlite":
        revision = _inspect_sqlite(source, thorough=False).revision
    else:
        revision, _tables = pg_backup.dump_revision(pg_backup.tool("pg_restore"), source)
    state = _check_restorable(source, revision)
    empty, rows = _emptiness()
    if not empty:
        raise BackupError(
            _(
                "the database is not empty (%(tables)s tables, %(rows)s rows): restore into an "
                "empty database; nothing was changed",
                tables=len(rows),
                rows=sum(rows.values()),
            )
        )
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        _restore_sqlite(source)
    else:
        pg_backup.restore(source, drop_alembic=ALEMBIC_TABLE in rows)
    db.engine.dispose()
    with db.engine.connect() as connection:
        restored = table_rows(connection)
    return RestoreReport(
        source, kind, revision, state, code_head(), restored, time.monotonic() - started
    )


def database_name(kind: str) -> str:
    return "SQLite" if kind == "sqlite" else "PostgreSQL"


def _restore_sqlite(source: Path) -> None:
    target_path = _sqlite_path()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    with _read_only_sqlite(source) as backup_file:
        target = sqlite3.connect(target_path)
        try:
            # The copy replaces every page; an empty target in WAL mode with another
            # page size would refuse it.
            target.execute("PRAGMA journal_mode=DELETE").fetchone()
            backup_file.backup(target, pages=-1)
        finally:
            target.close()
