"""The `backup`, `restore` and `check-backup` commands (consult.services.backup).

`backup` runs while the platform serves; `restore` only into an empty
database. The README's "Backups" section says how often to run them and how
to check a backup.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _

from consult.services import backup as backups
from consult.services.errors import ServiceError


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return str(_("%(size).1f MB", size=size / (1024 * 1024)))
    return str(_("%(size).1f kB", size=size / 1024))


def _tables_and_rows(rows: dict[str, int]) -> str:
    return str(_("%(tables)s tables, %(rows)s rows", tables=len(rows), rows=sum(rows.values())))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup(file: Path, force: bool) -> None:
    """Write a consistent copy of the whole platform to FILE, while it serves."""
    try:
        report = backups.backup(file, force=force)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        _(
            "Wrote %(file)s (%(size)s, %(kind)s, schema revision %(revision)s): "
            "%(summary)s, in %(seconds).1f s",
            file=report.path,
            size=_size(report.size),
            kind=backups.database_name(report.kind),
            revision=report.revision,
            summary=_tables_and_rows(report.rows),
            seconds=report.seconds,
        )
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Restore the backup FILE into the platform's database, which must be empty."""
    try:
        report = backups.restore(file)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        _(
            "Restored %(file)s (schema revision %(revision)s): %(summary)s, in %(seconds).1f s",
            file=report.path,
            revision=report.revision,
            summary=_tables_and_rows(report.rows),
            seconds=report.seconds,
        )
    )
    if report.schema == "older":
        click.echo(
            _(
                "The backup's schema (%(revision)s) is older than this code's (%(head)s): run "
                "`flask --app consult init-db` to upgrade it before starting the platform.",
                revision=report.revision,
                head=report.head,
            )
        )


@click.command("check-backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def check_backup(file: Path) -> None:
    """Read the backup FILE through and say what it holds; exit non-zero if it is unusable."""
    try:
        info = backups.inspect_backup(file)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    if info.kind == "sqlite":
        for table, count in sorted(info.rows.items()):
            click.echo(f"  {table:<32} {count:>9}")
        summary = _tables_and_rows(info.rows)
    else:
        summary = _("%(tables)s tables", tables=info.tables)
    click.echo(
        _(
            "%(file)s: a %(kind)s backup, schema revision %(revision)s, %(summary)s.",
            file=file,
            kind=backups.database_name(info.kind),
            revision=info.revision,
            summary=summary,
        )
    )
    if info.schema == "older":
        click.echo(_("This code can restore it; run init-db after restoring."))
    elif info.schema == "newer":
        raise click.ClickException(_("it was made by a newer Consult: this code cannot restore it"))
    else:
        click.echo(_("This code can restore it."))
