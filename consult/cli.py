"""Flask commands for administrators and the secretariat's automation.

The names and options are relied on by scripts: change them only with care.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from consult.domain.parsing import MAX_DRAFT_BYTES
from consult.services import demo, drafts
from consult.services.errors import ServiceError


def register(app: Flask) -> None:
    """Attach Consult's commands to `app.cli`."""
    for command in (init_db, load_demo, import_draft, list_documents, dump_version):
        app.cli.add_command(command)


@click.command("init-db")
def init_db() -> None:
    """Create the database, or upgrade it to the latest schema."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("The database is up to date.")


@click.command("load-demo")
def load_demo() -> None:
    """Load the sample drafts and demo accounts (idempotent)."""
    password = current_app.config.get("DEMO_PASSWORD") or demo.DEFAULT_DEMO_PASSWORD
    try:
        report = demo.load_demo(Path(current_app.config["DRAFTS_FOLDER"]), password)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Added {report.organisations} organisations, {report.users} accounts and "
        f"{len(report.versions)} versions"
        + (f": {', '.join(report.versions)}" if report.versions else ".")
    )


@click.command("import-draft")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--document", "slug", required=True, help="The document's short name (slug).")
@click.option("--title", default=None, help="The document's title, if the draft has none.")
@click.option("--label", default=None, help="The version's label.")
@click.option("--publish", is_flag=True, help="Publish the version at once.")
def import_draft(
    file: Path, slug: str, title: str | None, label: str | None, publish: bool
) -> None:
    """Import FILE as the next version of a document."""
    try:
        size = file.stat().st_size
    except OSError as err:
        raise click.ClickException(f"cannot read {file}: {err.strerror}") from err
    if size > MAX_DRAFT_BYTES:
        raise click.ClickException(
            f"{file.name}: the file is {size / 1048576:.1f} MB; a draft may be at most "
            f"{MAX_DRAFT_BYTES // 1048576} MB"
        )
    try:
        result = drafts.import_draft(
            file.read_bytes(),
            document_slug=slug,
            filename=file.name,
            title=title,
            label=label,
            publish=publish,
        )
    except ServiceError as err:
        raise click.ClickException(f"{file.name}: {err}") from err
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    state = "published" if result.version.is_published else "draft"
    click.echo(
        f"Imported {slug} version {result.version.number} ({state}): {result.clause_count} clauses"
    )


@click.command("list-documents")
def list_documents() -> None:
    """List documents and their versions."""
    documents = drafts.list_documents()
    if not documents:
        click.echo("No documents yet.")
    for document in documents:
        click.echo(f"{document.slug}  {document.title}")
        for version in document.versions:
            when = version.published_at or version.created_at
            click.echo(
                f"  v{version.number}  {version.status:<9}  {when:%Y-%m-%d %H:%M} UTC  "
                f"{len(version.clauses):>4} clauses  {version.label}"
            )


@click.command("dump-version")
@click.argument("slug")
@click.argument("number", type=int)
def dump_version(slug: str, number: int) -> None:
    """Print a version's clauses as JSON, in document order."""
    try:
        version = drafts.get_version(slug, number)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    clauses = [
        {
            "key": clause.key,
            "number": clause.number,
            "kind": clause.kind,
            "heading": clause.heading,
            "text": clause.text,
            "parent": clause.parent_key,
        }
        for clause in version.clauses
    ]
    click.echo(json.dumps(clauses, ensure_ascii=False, indent=2))
