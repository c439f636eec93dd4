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
from flask_babel import get_locale
from flask_migrate import upgrade

from consult import labels
from consult.cli_backup import backup, check_backup, restore
from consult.cli_pdf import export_pdf
from consult.cli_sessions import clean_sessions
from consult.domain.parsing import MAX_DRAFT_BYTES
from consult.exports import matrix as matrix_files
from consult.languages import DEFAULT, direction_of
from consult.models import ATTRIBUTION, VISIBILITY
from consult.services import (
    clause_tree,
    comment_import,
    comparisons,
    demo,
    drafts,
    round_queries,
    rounds,
    transactions,
)
from consult.services.errors import ServiceError
from consult.services.matrix import query as matrix_query
from consult.services.matrix.filters import MatrixFilters


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


@click.command("export-matrix")
@click.argument("slug")
@click.option(
    "--round",
    "round_id",
    type=int,
    default=None,
    help="The round's id (as create-round prints it); without it, every round.",
)
@click.option("--format", "fmt", type=click.Choice(sorted(matrix_files.FORMATS)), required=True)
@click.option("--public", is_flag=True, help="The variant for circulation beyond the secretariat.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_matrix(slug: str, round_id: int | None, fmt: str, public: bool, output: Path) -> None:
    """Write the comment matrix of the document SLUG to a file, as the secretariat sees it."""
    filters = MatrixFilters(rounds=(round_id,) if round_id is not None else ())
    moment = transactions.now()
    try:
        meta, sheets = matrix_query.export_sheets(None, slug, filters, moment, public=public)
        if round_id is not None and not sheets:
            _, every = matrix_query.export_sheets(None, slug, filters, moment)
            if every:
                raise click.ClickException(
                    f"round {round_id} keeps its comments for the secretariat: "
                    "it has no public matrix"
                )
            raise click.ClickException(f"{slug} has no round {round_id}")
    except ServiceError as err:
        raise click.ClickException(f"{slug}: {err}") from err
    # Written beside the target and renamed at the end: a failure leaves no file behind.
    partial = output.with_name(f".{output.name}.part")
    try:
        with partial.open("wb") as out:
            # In the platform's language (BABEL_DEFAULT_LOCALE), laid out in its direction.
            direction = direction_of(str(get_locale() or DEFAULT))
            matrix_files.FORMATS[fmt].write(meta, sheets, out, direction=direction)
        partial.replace(output)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {output}: {err.strerror}") from err
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    click.echo(f"Wrote {output} ({', '.join(meta.round_titles) or 'no rounds'})")


@click.command("import-comments")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--round", "round_id", type=int, required=True, help="The round's number (id).")
@click.option(
    "--organisation", required=True, help="The name or code of the organisation that sent it."
)
@click.option(
    "--emailed-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the e-mail arrived (YYYY-MM-DD); today in the round's time zone by default.",
)
@click.option("--by", "by_email", default=None, help="The secretariat account to import as.")
@click.option("--dry-run", is_flag=True, help="Print the preview and import nothing.")
def import_comments(
    file: Path,
    round_id: int,
    organisation: str,
    emailed_on: datetime | None,
    by_email: str | None,
    dry_run: bool,
) -> None:
    """Import the comments of a commenting template (.docx or .xlsx) that arrived by e-mail.

    Prints every row and the clause it goes to, then (unless --dry-run) the
    receipts of the comments imported. Rows with problems are left out; a
    file that cannot be read imports nothing and exits with an error.
    """
    try:
        size = file.stat().st_size
    except OSError as err:
        raise click.ClickException(f"cannot read {file}: {err.strerror}") from err
    limit = comment_import.max_bytes()
    if size > limit:
        raise click.ClickException(
            f"{file.name}: the file is {size / 1048576:.1f} MB; "
            f"a commenting template may be at most {limit // 1048576} MB"
        )
    sender = round_queries.find_organisation(organisation)
    if sender is None:
        raise click.ClickException(f"there is no organisation called '{organisation}'")
    content = file.read_bytes()
    try:
        round_ = rounds.get_round(round_id)
        day = emailed_on.date() if emailed_on else comment_import.today_in(round_)
        actor = None if dry_run else comment_import.secretariat_account(by_email)
        preview = comment_import.preview_file(round_id, sender, day, file.name, content)
        _print_preview(preview)
        if actor is None:
            click.echo("Dry run: nothing was imported.")
            return
        result = comment_import.import_file(round_id, sender, day, file.name, content, actor)
    except ServiceError as err:
        raise click.ClickException(f"{file.name}: {err}") from err
    click.echo(f"Imported {len(result.imported)} of {len(preview.rows)} rows:")
    for item in result.imported:
        receipt = item.receipt
        click.echo(
            f"  {receipt.tracking_number}  received {receipt.received_at} "
            f"(by e-mail on {result.emailed_on.isoformat()})  sha256 {receipt.content_hash}  "
            f"row {item.row}"
        )
    if result.skipped:
        click.echo(f"{len(result.skipped)} rows were not imported (see above).", err=True)


def _print_preview(preview: comment_import.ImportPreview) -> None:
    """Print an import's preview: one block per row, then the counts."""
    click.echo(
        f"{preview.filename}: {len(preview.rows)} rows from {preview.organisation} "
        f'({preview.organisation_code}) for round {preview.round.id} "{preview.round.title}", '
        f"received by e-mail on {preview.emailed_on.isoformat()}"
    )
    for note in preview.notes:
        click.echo(f"note: {note}")
    for row in preview.rows:
        target = (
            row.clause.citation
            if row.clause
            else "the document as a whole"
            if row.choice == comment_import.DOCUMENT_CHOICE
            else "(no clause)"
        )
        written = row.written_clause or "-"
        kind = row.type or row.written_type or "-"
        status = labels.label(labels.IMPORT_ROW_STATUSES, row.status)
        click.echo(f"row {row.number} ({row.location}): {written} -> {target} · {kind} · {status}")
        body = " ".join(row.body.split())
        click.echo(f"    {body[:100]}{'…' if len(body) > 100 else ''}")
        for problem in row.errors:
            click.echo(f"    error: {problem}")
        for note in row.notes:
            click.echo(f"    note: {note}")
    counts = ", ".join(
        f"{label}: {preview.count(status)}" for status, label in labels.IMPORT_ROW_STATUSES.items()
    )
    click.echo(f"Summary: {counts}")
