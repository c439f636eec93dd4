"""What the backup modules share: their error, the schema table, the database's rows."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Connection

from consult.extensions import db
from consult.services.errors import ServiceError

ALEMBIC_TABLE = "alembic_version"


class BackupError(ServiceError):
    """A backup or restore that cannot be made; nothing was written or changed."""


def not_a_backup(path: Path) -> BackupError:
    return BackupError(
        _("%(file)s is not a Consult backup: it holds no schema revision", file=path.name)
    )


def database_url() -> URL:
    return db.engine.url


def table_rows(connection: Connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    preparer = connection.dialect.identifier_preparer
    return {
        name: int(
            connection.execute(text(f"SELECT count(*) FROM {preparer.quote(name)}")).scalar_one()
        )
        for name in names
    }
