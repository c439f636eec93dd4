"""Flask commands for administrators and the secretariat's automation.

The names and options are relied on by scripts: change them only with care.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from consult.cli_backup import backup, check_backup, restore
from consult.cli_matrix import export_matrix, import_comments
from consult.cli_pdf import export_pdf
from consult.cli_sessions import clean_sessions
from consult.domain.parsing import MAX_DRAFT_BYTES
from consult.models import ATTRIBUTION, VISIBILITY
from consult.services import (
    clause_tree,
    comparisons,
    demo,
    drafts,
    round_queries,
    rounds,
)
from consult.services.errors import ServiceError


def register(app: Flask) -> None:
    """Attach Consult's commands to `app.cli`."""
    for command in (
        init_db,
        load_demo,
        import_draft,
        list_documents,
        dump_version,
        create_round,
        compare,
        export_matrix,
        import_comments,
        export_pdf,
        clean_sessions,
        backup,
        restore,
        check_backup,
    ):
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
        f"Added {report.organisations} organisations, {report.users} accounts, "
        f"{report.rounds} rounds, {report.comments} comments, {report.responses} responses and "
        f"{len(report.versions)} versions"
        + (f": {', '.join(report.versions)}" if report.versions else ".")
    )
    if report.translations:
        click.echo(
            f"Added {len(report.translations)} texts in other languages: "
            + ", ".join(report.translations)
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
    _roots, nodes = clause_tree.build_tree(version.clauses)
    clauses = [
        {
            "key": clause.key,
            "number": clause.number,
            "citation": nodes[clause.key].citation,
            "kind": clause.kind,
            "heading": clause.heading,
            "text": clause.text,
            "parent": clause.parent_key,
        }
        for clause in version.clauses
    ]
    click.echo(json.dumps(clauses, ensure_ascii=False, indent=2))


def _parse_moment(text: str, zone_name: str, option: str) -> datetime:
    """Return an ISO date-time as UTC; one without an offset is read in `zone_name`."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as err:
        raise click.BadParameter(
            f"'{text}' is not an ISO date-time such as 2026-03-12T09:00 or 2026-03-12T09:00+01:00",
            param_hint=option,
        ) from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone_name))
    return moment.astimezone(UTC)


@click.command("create-round")
@click.argument("slug")
@click.argument("number", type=int)
@click.option("--title", required=True, help="The round's title.")
@click.option("--opens", required=True, help="When commenting opens (ISO date-time).")
@click.option("--closes", required=True, help="When commenting closes (ISO date-time).")
@click.option(
    "--invite",
    "invite",
    multiple=True,
    help="An organisation's name or code (repeatable); only those invited may comment.",
)
@click.option(
    "--visibility",
    type=click.Choice(VISIBILITY),
    default="open",
    show_default=True,
    help="Who sees others' comments.",
)
@click.option(
    "--attribution",
    type=click.Choice(ATTRIBUTION),
    default="named",
    show_default=True,
    help="Whether others see which organisation made a comment.",
)
@click.option("--place", default="", help="Where the meeting takes place.")
@click.option(
    "--time-zone",
    "time_zone",
    default="UTC",
    show_default=True,
    help="IANA zone for times without an offset, and to show the round's times in.",
)
def create_round(
    slug: str,
    number: int,
    title: str,
    opens: str,
    closes: str,
    invite: tuple[str, ...],
    visibility: str,
    attribution: str,
    place: str,
    time_zone: str,
) -> None:
    """Open a consultation round on version NUMBER of the document SLUG."""
    try:
        rounds.check_time_zone(time_zone)
        version = drafts.get_version(slug, number)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    invited = []
    for name in invite:
        organisation = round_queries.find_organisation(name)
        if organisation is None:
            raise click.ClickException(f"there is no organisation called '{name}'")
        invited.append(organisation)
    settings = rounds.RoundSettings(
        title=title,
        opens_at=_parse_moment(opens, time_zone, "--opens"),
        closes_at=_parse_moment(closes, time_zone, "--closes"),
        place=place,
        time_zone=time_zone,
        participation="invited" if invited else "all",
        visibility=visibility,
        attribution=attribution,
        invited=invited,
    )
    try:
        created = rounds.create_round(version, settings, actor=None)
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Created round {created.id} on {slug} v{number}: {created.title} "
        f"(opens {created.opens_at:%Y-%m-%d %H:%M} UTC, "
        f"closes {created.closes_at:%Y-%m-%d %H:%M} UTC)"
    )


@click.command("compare")
@click.argument("slug")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print every clause's fate as JSON.")
def compare(slug: str, old: int, new: int, as_json: bool) -> None:
    """Compare versions OLD and NEW of the document SLUG: counts per status, or with --json
    one entry per clause of either version (a split or merge gives one entry per part)."""
    try:
        result = comparisons.compare_versions(
            drafts.get_version(slug, old), drafts.get_version(slug, new)
        )
    except ServiceError as err:
        raise click.ClickException(str(err)) from err
    if not as_json:
        click.echo(f"{slug}: version {old} -> version {new}")
        for status, count in result.summary.items():
            click.echo(f"{status:<11} {count:>5}")
        return
    # A side's number is its citation; the number as written comes from the clauses.
    written = {
        side: {c.key: c.number for c in drafts.get_version(slug, number).clauses}
        for side, number in (("old", old), ("new", new))
    }
    entries = []
    for row in result.rows:
        for before, after in _entry_sides(row.old, row.new):
            entry: dict[str, object] = {
                "status": row.status,
                "old_key": before.key if before else None,
                "new_key": after.key if after else None,
                "old_number": written["old"][before.key] if before else None,
                "new_number": written["new"][after.key] if after else None,
                "old_citation": before.number if before else None,
                "new_citation": after.number if after else None,
            }
            if row.diff is not None:
                entry["diff"] = [[op, text] for op, text in row.diff]
            if row.heading_diff is not None:
                entry["heading_diff"] = [[op, text] for op, text in row.heading_diff]
            entries.append(entry)
    click.echo(json.dumps(entries, ensure_ascii=False, indent=2))


def _entry_sides(
    old: tuple[comparisons.ClauseSide, ...], new: tuple[comparisons.ClauseSide, ...]
) -> list[tuple[comparisons.ClauseSide | None, comparisons.ClauseSide | None]]:
    """Pair a row's clauses so that each clause of either version is in one entry."""
    if len(old) > 1:
        return [(part, new[0]) for part in old]
    if len(new) > 1:
        return [(old[0] if old else None, part) for part in new]
    return [(old[0] if old else None, new[0] if new else None)]
