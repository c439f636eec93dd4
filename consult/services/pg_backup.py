"""The PostgreSQL side of backups: pg_dump and pg_restore, called as programs.

The password of the database URL goes to them in PGPASSWORD, never on their
command line; they must be of the server's major version or later.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

from consult.extensions import db
from consult.services.backup_base import (
    ALEMBIC_TABLE,
    BackupError,
    database_url,
    not_a_backup,
    table_rows,
)

#: The Debian package that carries pg_dump and pg_restore.
PG_CLIENT_PACKAGE = "postgresql-client"


def run(
    arguments: list[str], env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(tool)s was not found: install the PostgreSQL client programs "
                "(on Debian and Ubuntu, the package %(package)s) in the version of the "
                "server or a later one",
                tool=name,
                package=PG_CLIENT_PACKAGE,
            )
        )
    return found


def tool_major(path: str) -> int:
    """Return the major version of a PostgreSQL client program (`pg_dump (PostgreSQL) 15.2`)."""
    output = run([path, "--version"]).stdout
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    if match is None:
        raise BackupError(
            _(
                "%(tool)s did not say its version (it said “%(output)s”): "
                "is it PostgreSQL's client program?",
                tool=path,
                output=output.strip()[:200],
            )
        )
    return int(match.group(1))


def failed(tool: str, result: subprocess.CompletedProcess[str]) -> BackupError:
    reason = (result.stderr or result.stdout).strip().splitlines()
    return BackupError(
        _(
            "%(tool)s failed: %(reason)s",
            tool=tool,
            reason=" / ".join(reason[-5:]) or _("exit status %(status)s", status=result.returncode),
        )
    )


def dump_revision(pg_restore: str, path: Path) -> tuple[str, int]:
    """Read the schema revision and the number of tables from a custom-format dump,
    without restoring it."""
    listed = run([pg_restore, "--list", str(path)])
    if listed.returncode != 0:
        raise BackupError(
            _(
                "%(file)s is damaged or was made by a newer pg_dump: %(reason)s",
                file=path.name,
                reason=" / ".join(listed.stderr.strip().splitlines()[-3:]),
            )
        )
    data = run([pg_restore, "--data-only", f"--table={ALEMBIC_TABLE}", "--file=-", str(path)])
    if data.returncode != 0:
        raise failed("pg_restore", data)
    lines = data.stdout.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and f"{ALEMBIC_TABLE} " in line:
            for value in lines[number + 1 :]:
                if value == "\\.":
                    break
                if value.strip():
                    tables = sum(1 for row in listed.stdout.splitlines() if " TABLE DATA " in row)
                    return value.strip(), tables
    raise not_a_backup(path)


def libpq_url(url: URL) -> tuple[str, dict[str, str]]:
    """Return `url` as the PostgreSQL programs take it, and the environment for its password.

    The password never goes on the command line (where `ps` shows it to
    everyone on the host): it is passed as PGPASSWORD.
    """
    env = {"PGPASSWORD": url.password} if url.password else {}
    plain = URL.create(  # URL.set(password=None) would keep the password
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return plain.render_as_string(hide_password=False), env


def server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def dump(partial: Path) -> tuple[str, dict[str, int]]:
    """Dump the platform's database into `partial`; return its schema revision and rows."""
    pg_dump = tool("pg_dump")
    url, env = libpq_url(database_url())
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            server = server_major(connection)
            version = tool_major(pg_dump)
            if version < server:
                raise BackupError(
                    _(
                        "pg_dump %(tool)s cannot dump a PostgreSQL %(server)s server: install "
                        "the client programs of version %(server)s or later (on Debian and "
                        "Ubuntu, the package %(package)s from the PostgreSQL repository)",
                        tool=version,
                        server=server,
                        package=PG_CLIENT_PACKAGE,
                    )
                )
            # pg_dump reads in the snapshot the rows are counted in: the counts are the file's.
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            rows = table_rows(connection)
            if ALEMBIC_TABLE not in rows:
                raise BackupError(_("the database has no schema yet: run init-db first"))
            revision = str(
                connection.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalar_one()
            )
            result = run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={partial}",
                    url,
                ],
                env,
            )
            if result.returncode != 0:
                raise failed("pg_dump", result)
    return revision, rows


def restore(source: Path, *, drop_alembic: bool) -> None:
    """Restore the dump `source` into the platform's (empty) database, in one transaction."""
    pg_restore = tool("pg_restore")
    url, env = libpq_url(database_url())
    if drop_alembic:  # empty, checked above: the dump brings its own
        with db.engine.begin() as connection:
            connection.execute(text(f"DROP TABLE {ALEMBIC_TABLE}"))
    # One transaction: a failed restore leaves the database as empty as it was.
    result = run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(source),
        ],
        env,
    )
    if result.returncode != 0:
        raise failed("pg_restore", result)
