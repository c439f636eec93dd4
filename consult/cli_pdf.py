"""The `export-pdf` command: the consolidated PDF of a version, written to a file.

The command line sees what the secretariat sees. It renders in its own
process (it is not a web worker), through the same code as the web's jobs,
so the file is the PDF the export page would give the secretariat.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import force_locale, get_locale

from consult.cli_output import written_whole
from consult.languages import LANGUAGES
from consult.services import consolidated, transactions
from consult.services.consolidated import VARIANTS, PdfRequest
from consult.services.errors import ServiceError


@click.command("export-pdf")
@click.argument("slug")
@click.argument("number", type=int)
@click.option("--variant", type=click.Choice(VARIANTS), default="clean", show_default=True)
@click.option(
    "--against",
    type=int,
    default=None,
    help="changes: the version to mark the changes against (default: the previous one).",
)
@click.option(
    "--round",
    "round_id",
    type=int,
    default=None,
    help="comments and annex: the round's id, as create-round prints it "
    "(default: the latest round on the version).",
)
@click.option("--matrix-annex", is_flag=True, help="End with the round's comment matrix.")
@click.option(
    "--language",
    default="",
    help="The language of the text: one the version has, its own or a published translation's "
    "(default: its own). The PDF's own words are in it too, where the platform has them.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_pdf(
    slug: str,
    number: int,
    variant: str,
    against: int | None,
    round_id: int | None,
    matrix_annex: bool,
    language: str,
    output: Path,
) -> None:
    """Write the PDF of version NUMBER of the document SLUG to a file."""
    moment = transactions.now()
    wanted = PdfRequest(
        slug=slug,
        number=number,
        variant=variant,
        against=against,
        round_id=round_id,
        matrix_annex=matrix_annex,
        language=language,
    )
    try:
        target = consolidated.resolve(None, wanted, moment)
    except ServiceError as err:
        raise click.ClickException(f"{slug} {number}: {err}") from err
    checked = target.request
    words = target.language if target.language in LANGUAGES else str(get_locale() or "en")
    with written_whole(output) as out, force_locale(words):
        pages = consolidated.render_consolidated(None, checked, moment, out)
    click.echo(f"Wrote {output} ({pages} pages)")
