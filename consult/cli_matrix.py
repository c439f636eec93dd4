"""The comment matrix's commands: `export-matrix` writes it to a file, `import-comments`
takes the comments of a commenting template that arrived by e-mail.

The names and options are relied on by scripts: change them only with care.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask_babel import get_locale

from consult import labels
from consult.cli_output import written_whole
from consult.exports import matrix as matrix_files
from consult.languages import DEFAULT, direction_of
from consult.services import comment_import, round_queries, rounds, transactions
from consult.services.errors import ServiceError
from consult.services.matrix import query as matrix_query
from consult.services.matrix.filters import MatrixFilters


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
    with written_whole(output) as out:
        # In the platform's language (BABEL_DEFAULT_LOCALE), laid out in its direction.
        direction = direction_of(str(get_locale() or DEFAULT))
        matrix_files.FORMATS[fmt].write(meta, sheets, out, direction=direction)
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
