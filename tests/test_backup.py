"""`backup`, `restore` and `check-backup`: a platform copied out and back in, table by table.

The platform is backed up through the command line, restored into a new,
empty database (a SQLite file, or a second PostgreSQL database on the test
server) through the command line of an app built on it, and every table is
compared row by row. Runs on SQLite, and on PostgreSQL when
CONSULT_TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from bench.deadline_server import POSTGRES_SERVER
from consult import create_app
from consult.extensions import db
from consult.models import User
from consult.models.exports import ExportJob, StoredExport
from consult.services import backup as backups
from consult.services import comments, comparisons, pg_backup, responses
from consult.services.comment_input import CommentInput
from tests import factories
from tests.web.support import sign_in

SECOND_DRAFT = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
#: The tables the platform built here must fill: a backup of empty tables proves little.
FILLED = (
    "organisation",
    "user_account",
    "user_session",
    "document",
    "version",
    "clause",
    "comparison",
    "round",
    "comment",
    "comment_revision",
    "response",
    "audit_event",
    "stored_export",
    "export_job",
)


def build_platform(users: dict[str, User], client: FlaskClient) -> None:
    """Documents with two versions, a round, comments, a revision, answers, audit rows, a PDF."""
    first = factories.version()
    second = factories.version(SECOND_DRAFT)
    comparisons.compare_versions(first, second)
    round_ = factories.round_(second)
    clause = next(c for c in second.clauses if c.key == "principle-dignity")
    comment = factories.comment(round_.id, users["stakeholder"], clause)
    factories.comment(
        round_.id, users["stakeholder"], None, body="A general remark; é ü 中文.", type="general"
    )
    comments.edit_comment(
        comment.id,
        CommentInput("editorial", "Say 'respect' too.", "treated with dignity and respect"),
        users["stakeholder"],
        expected_revision=comment.revision,
    )
    responses.respond(comment.id, "accepted", "Done in the next version.", users["secretariat"])
    stored = StoredExport(
        key="a" * 64, file_name="sample-v2.pdf", media_type="application/pdf", data=PDF
    )
    stored.size = len(PDF)
    stored.pages = 3
    db.session.add(stored)
    db.session.flush()
    db.session.add(
        ExportJob(
            kind="pdf",
            params={"viewer_id": users["secretariat"].id, "slug": "sample", "number": 2},
            key="a" * 64,
            file_name="sample-v2.pdf",
            media_type="application/pdf",
            requested_by_id=users["secretariat"].id,
            state="done",
            runner="child",
            export_id=stored.id,
        )
    )
    db.session.commit()
    sign_in(client, users["secretariat"])  # a session row


def table_rows(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the schema (and alembic_version), in primary-key order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            query = table.select().order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in connection.execute(query)]
        found["alembic_version"] = [
            tuple(row)
            for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return found


def table_names(engine: Any) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def _maintenance(url: URL, statement: sql.Composed) -> None:
    conninfo = make_conninfo(host=url.host, port=url.port, user=url.username, password=url.password)
    with psycopg.connect(conninfo, dbname="postgres", autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture
def empty_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the test database's kind, dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield "sqlite:///" + str(tmp_path / "restored.sqlite3")
        return
    target = url.set(database=f"{url.database}_restore_{uuid.uuid4().hex[:8]}")
    name = sql.Identifier(str(target.database))
    _maintenance(target, sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield target.render_as_string(hide_password=False)
    finally:
        _maintenance(target, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@pytest.fixture
def empty_app(empty_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on the empty database, as an operator would start one to restore into."""
    restored = create_app({"DATABASE_URL": empty_url, "SECRET_KEY": "x"}, str(tmp_path / "inst"))
    yield restored
    with restored.app_context():
        db.engine.dispose()


def invoke_on(other: Flask, *args: str) -> Any:
    """Run a command of `other` in its own app context (the test's is the source platform's)."""
    with other.app_context():
        return other.test_cli_runner().invoke(args=list(args))


def engine_of(other: Flask) -> Any:
    with other.app_context():
        return db.engine


def set_revision(revision: str) -> str:
    """Set the test database's schema revision; return the one it had."""
    before = str(db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
    db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    db.session.commit()
    return before


def test_a_platform_backed_up_and_restored_is_the_same_table_by_table(
    app: Flask,
    users: dict[str, User],
    client: FlaskClient,
    runner: FlaskCliRunner,
    empty_app: Flask,
    tmp_path: Path,
) -> None:
    build_platform(users, client)
    db.session.rollback()
    source = table_rows(db.engine)
    assert [name for name in FILLED if not source[name]] == []
    assert source["stored_export"][0][4] == PDF  # the file itself is in the database
    path = tmp_path / "consult.backup"

    made = runner.invoke(args=["backup", str(path)])

    assert made.exit_code == 0, made.output
    assert f"Wrote {path}" in made.output
    rows = sum(len(each) for each in source.values())
    assert f"{len(source)} tables, {rows} rows" in made.output
    assert path.stat().st_size > len(PDF)
    assert path.stat().st_mode & 0o777 == 0o600  # password hashes, personal data
    assert list(tmp_path.glob(".*part")) == []

    checked = runner.invoke(args=["check-backup", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "This code can restore it." in checked.output

    restored = invoke_on(empty_app, "restore", str(path))

    assert restored.exit_code == 0, restored.output
    assert f"{len(source)} tables, {rows} rows" in restored.output
    assert "init-db" not in restored.output  # the schema is this code's
    copy = table_rows(engine_of(empty_app))
    for table in source:
        assert copy[table] == source[table], table
    assert table_names(engine_of(empty_app)) == table_names(db.engine)


def test_a_backup_sees_only_what_was_committed_and_does_not_wait_for_writers(
    app: Flask, users: dict[str, User], tmp_path: Path
) -> None:
    factories.version()
    organisations = len(table_rows(db.engine)["organisation"])
    with db.engine.connect() as writer:
        transaction = writer.begin()
        try:
            writer.execute(
                text(
                    "INSERT INTO organisation (name, kind, code, created_at) "
                    "VALUES ('Uncommitted', 'ngo', 'UNCOMMITTED', CURRENT_TIMESTAMP)"
                )
            )
            report = backups.backup(tmp_path / "during.backup")
        finally:
            transaction.rollback()
    assert report.rows["organisation"] == organisations
    assert report.rows["clause"] > 0


def test_restore_into_a_database_that_holds_anything_is_refused_and_changes_nothing(
    app: Flask, users: dict[str, User], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    factories.version()
    path = tmp_path / "consult.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    factories.organisation(name="Added after the backup")
    db.session.rollback()
    before = table_rows(db.engine)

    result = runner.invoke(args=["restore", str(path)])

    assert result.exit_code == 1
    assert "the database is not empty" in result.output
    assert "nothing was changed" in result.output
    db.session.rollback()
    assert table_rows(db.engine) == before


def test_a_file_that_is_no_backup_is_refused_with_a_message(
    app: Flask, runner: FlaskCliRunner, empty_app: Flask, tmp_path: Path
) -> None:
    garbage = tmp_path / "notes.txt"
    garbage.write_bytes(b"meeting notes, not a backup\n" * 100)
    missing = tmp_path / "missing.backup"

    result = invoke_on(empty_app, "restore", str(garbage))

    assert result.exit_code == 1
    assert "notes.txt is not a Consult backup" in result.output
    assert table_names(engine_of(empty_app)) == set()
    checked = runner.invoke(args=["check-backup", str(garbage)])
    assert checked.exit_code == 1
    assert "is not a Consult backup" in checked.output
    gone = invoke_on(empty_app, "restore", str(missing))
    assert gone.exit_code == 1
    assert f"cannot read {missing}" in gone.output


def test_a_damaged_backup_is_refused_and_leaves_the_database_empty(
    app: Flask, users: dict[str, User], runner: FlaskCliRunner, empty_app: Flask, tmp_path: Path
) -> None:
    factories.version()
    path = tmp_path / "consult.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    cut = tmp_path / "cut.backup"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])

    checked = runner.invoke(args=["check-backup", str(cut)])
    result = invoke_on(empty_app, "restore", str(cut))

    assert checked.exit_code == 1
    assert "damaged" in checked.output
    assert result.exit_code == 1
    assert "damaged" in result.output or "pg_restore failed" in result.output
    assert table_names(engine_of(empty_app)) <= {"alembic_version"}


def test_a_backup_never_replaces_a_file_unless_forced(
    app: Flask, users: dict[str, User], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "consult.backup"
    path.write_bytes(b"last night's backup")

    refused = runner.invoke(args=["backup", str(path)])

    assert refused.exit_code == 1
    assert "exists already" in refused.output
    assert "--force" in refused.output
    assert path.read_bytes() == b"last night's backup"
    forced = runner.invoke(args=["backup", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    assert backups.inspect_backup(path).schema == "current"
    assert list(tmp_path.glob(".*part")) == []


def test_a_backup_never_overwrites_the_live_sqlite_database(tmp_path: Path) -> None:
    """On either test database: a SQLite platform of its own, since only SQLite is a file."""
    live = tmp_path / "live.sqlite3"
    platform = create_app(
        {"DATABASE_URL": f"sqlite:///{live}", "SECRET_KEY": "x"}, instance_path=str(tmp_path)
    )
    with platform.app_context():
        upgrade(directory=platform.extensions["migrate"].directory)
        factories.user("admin", email="admin@example.org")
        engine = db.engine
        before = table_rows(engine)
        result = platform.test_cli_runner().invoke(args=["backup", "--force", str(live)])
        assert result.exit_code == 1
        assert "is the platform's database" in result.output
        assert table_rows(engine) == before
        assert list(live.parent.glob(".*part")) == []
        engine.dispose()


def test_a_failed_backup_leaves_no_file(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_partial: Path) -> tuple[str, dict[str, int]]:
        _partial.write_bytes(b"half a backup")
        raise backups.BackupError("the disk is full")

    monkeypatch.setattr(backups, "_backup_sqlite", fail)
    monkeypatch.setattr(pg_backup, "dump", fail)
    path = tmp_path / "consult.backup"

    result = runner.invoke(args=["backup", str(path)])

    assert result.exit_code == 1
    assert "the disk is full" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_backup_from_a_newer_consult_is_refused(
    app: Flask, users: dict[str, User], runner: FlaskCliRunner, empty_app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "consult.backup"
    before = set_revision("f00dfeedbeef")
    try:
        assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    finally:
        set_revision(before)

    result = invoke_on(empty_app, "restore", str(path))
    checked = runner.invoke(args=["check-backup", str(path)])

    assert result.exit_code == 1
    assert "was made by a newer Consult (schema revision f00dfeedbeef" in result.output
    assert table_names(engine_of(empty_app)) == set()
    assert checked.exit_code == 1
    assert "newer Consult" in checked.output


def test_a_backup_of_an_older_schema_is_restored_with_the_upgrade_to_run(
    app: Flask, users: dict[str, User], runner: FlaskCliRunner, empty_app: Flask, tmp_path: Path
) -> None:
    head = backups.code_head()
    scripts = backups._scripts()
    older = scripts.get_revision(head).down_revision
    assert isinstance(older, str)
    path = tmp_path / "consult.backup"
    set_revision(older)
    try:
        assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    finally:
        set_revision(head)

    result = invoke_on(empty_app, "restore", str(path))

    assert result.exit_code == 0, result.output
    assert f"older than this code's ({head})" in result.output
    assert "flask --app consult init-db" in result.output
    with empty_app.app_context():
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == older


def test_a_backup_of_the_other_kind_of_database_is_refused(
    app: Flask, empty_app: Flask, tmp_path: Path
) -> None:
    other = tmp_path / "other.backup"
    if db.engine.dialect.name == "sqlite":
        other.write_bytes(backups.PG_DUMP_MAGIC + b"\x01\x0e\x00" + b"\x00" * 100)
        expected = "is a backup of a PostgreSQL database"
    else:
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        expected = "is a backup of a SQLite database"

    result = invoke_on(empty_app, "restore", str(other))

    assert result.exit_code == 1
    assert expected in result.output
    assert table_names(engine_of(empty_app)) == set()


def test_postgresql_client_programs_missing_or_too_old_are_named(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On either test database: a PostgreSQL platform on the test server (the test
    database itself on the PostgreSQL run; on the SQLite run, the maintenance database
    of the server the benchmarks and the two-host test use, CONSULT_BENCH_POSTGRES)."""
    url = db.engine.url
    if url.get_backend_name() != "postgresql":
        url = make_url(f"{POSTGRES_SERVER}/postgres").set(drivername="postgresql+psycopg")
    platform = create_app(
        {"DATABASE_URL": url.render_as_string(hide_password=False), "SECRET_KEY": "x"},
        instance_path=str(tmp_path / "instance"),
    )
    pg_runner = platform.test_cli_runner()
    with platform.app_context():  # the commands run in the app of the context they find
        monkeypatch.setattr(pg_backup, "tool_major", lambda _path: 9)
        too_old = pg_runner.invoke(args=["backup", str(tmp_path / "old.backup")])
        monkeypatch.setattr(pg_backup.shutil, "which", lambda _name: None)
        missing = pg_runner.invoke(args=["backup", str(tmp_path / "none.backup")])
        db.engine.dispose()
    shutil.rmtree(tmp_path / "instance")

    assert too_old.exit_code == 1, too_old.output
    assert "pg_dump 9 cannot dump a PostgreSQL" in too_old.output
    assert "postgresql-client" in too_old.output
    assert missing.exit_code == 1
    assert "pg_dump was not found" in missing.output
    assert "postgresql-client" in missing.output
    assert list(tmp_path.iterdir()) == []


def test_the_password_goes_to_the_environment_not_the_command_line() -> None:
    url = make_url(
        "postgresql+psycopg://consult:s3cret@db.example.org:5433/consult?sslmode=require"
    )

    plain, env = pg_backup.libpq_url(url)

    assert plain == "postgresql://consult@db.example.org:5433/consult?sslmode=require"
    assert env == {"PGPASSWORD": "s3cret"}
    assert "s3cret" not in plain


def test_an_unreadable_sqlite_copy_is_named_damaged(tmp_path: Path, app: Flask) -> None:
    path = tmp_path / "not-consult.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(backups.BackupError, match="holds no schema revision"):
        backups.inspect_backup(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database, only some bytes" * 200, "cannot be read"),
        (None, "has no schema yet: run init-db first"),
    ],
)
def test_backing_up_a_damaged_or_empty_sqlite_platform_says_what_is_wrong(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    """On either test database: a SQLite platform of its own, since only SQLite is a file."""
    live = tmp_path / "live.sqlite3"
    if content is None:
        sqlite3.connect(live).close()  # a database file, never migrated
    else:
        live.write_bytes(content)
    platform = create_app(
        {"DATABASE_URL": f"sqlite:///{live}", "SECRET_KEY": "x"}, instance_path=str(tmp_path)
    )
    target = tmp_path / "consult.backup"
    with platform.app_context():
        result = platform.test_cli_runner().invoke(args=["backup", str(target)])
        db.engine.dispose()
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not target.exists() and list(tmp_path.glob(".*part")) == []


def test_a_program_that_does_not_say_its_postgresql_version_is_named() -> None:
    with pytest.raises(backups.BackupError, match="did not say its version"):
        pg_backup.tool_major("/bin/echo")
