"""Importing comments that arrived by e-mail: upload, preview, confirm or discard.

The secretariat uploads a filled-in commenting template for an organisation
and a round. The file is checked and read at once (a bad file is refused and
nothing is stored). Confirming reads the file again, applies the clauses the
secretariat chose, and stores every valid row in one write transaction that
holds the round's lock: each a comment with its own tracking number, content
hash, receipt and audit event, stamped "received by e-mail" on the day given.
A row already imported (same round, organisation, content and paragraph) is
skipped, so importing the same file twice stores nothing twice.

This module owns those shared steps (checking the target, reading, planning,
storing) and the command line's entry points; the web's, which keep the file
in an `Upload` row between preview and confirmation, are in `uploads`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.domain.comment_template import TemplateRow
from consult.domain.emails import normalise_email
from consult.extensions import db
from consult.models import Organisation, Round, User
from consult.moments import Moment, day_text, zone
from consult.permissions import can_manage_rounds
from consult.services import audit
from consult.services.comment_import import excel, word
from consult.services.comment_import.choices import VersionClauses, version_clauses
from consult.services.comment_import.files import DOCX, FileRefused, file_kind
from consult.services.comment_import.preview import (
    ERROR,
    ImportPreview,
    PreviewRow,
    file_notes,
    mark_duplicates,
    plan_row,
)
from consult.services.comment_input import CommentInput, Receipt, receipt
from consult.services.comments import next_sequence, store_comment
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.round_queries import RoundSummary, summarise
from consult.services.rounds import get_round, lock_round
from consult.services.transactions import now, write_transaction


@dataclass(frozen=True)
class ImportedComment:
    """A row that became a comment, with the receipt it was given."""

    row: int
    location: str
    receipt: Receipt
    received: Moment
    citation: str | None


@dataclass(frozen=True)
class ImportResult:
    """What confirming an import did: the comments stored, and the rows left out."""

    round: RoundSummary
    organisation: str
    emailed_on: date
    emailed_text: str
    filename: str
    imported: tuple[ImportedComment, ...]
    skipped: tuple[PreviewRow, ...]


def today_in(round_: Round) -> date:
    """Return today's date in the round's time zone."""
    return now().astimezone(zone(round_.time_zone)).date()


def participating_organisations(round_: Round) -> list[Organisation]:
    """Return the organisations that take part in the round, by name."""
    if round_.participation == "invited":
        found = [invitation.organisation for invitation in round_.invitations]
    else:
        found = list(db.session.scalars(select(Organisation)))
    return sorted(found, key=lambda organisation: organisation.name.casefold())


def get_organisation(organisation_id: int) -> Organisation:
    """Return the organisation, or raise NotFound."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("there is no such organisation"))
    return organisation


def check_target(round_: Round, organisation: Organisation, emailed_on: date) -> None:
    """Refuse a round not open yet or settled, an organisation outside it, or a future e-mail."""
    if round_.state(now()) == "upcoming":
        raise Refused(
            _(
                "This round has not opened yet: comments can be imported into it once it "
                "opens (%(opens)s).",
                opens=Moment(round_.opens_at, round_.time_zone).text,
            )
        )
    if round_.responses_published_at is not None:
        raise Refused(
            _("The answers of this round are published: no comment can be added to it any more.")
        )
    if not round_.takes_part(organisation.id):
        raise Refused(
            _(
                "%(organisation)s does not take part in this round: invite it first.",
                organisation=organisation.name,
            )
        )
    if emailed_on > today_in(round_):
        raise ServiceError(
            _(
                "The e-mail cannot have arrived after today (%(today)s).",
                today=day_text(today_in(round_)),
            )
        )


def secretariat_account(email: str | None) -> User:
    """Return the secretariat account the command line imports as: the one named, or the only one.

    Raises NotFound when the e-mail names no active secretariat account, or
    ServiceError when none is named and there is not exactly one.
    """
    query = select(User).where(User.active.is_(True)).order_by(User.id)
    if email:
        user = db.session.scalar(query.where(User.email == normalise_email(email)))
        if user is None or not can_manage_rounds(user):
            raise NotFound(
                _("there is no active secretariat account %(email)s", email=email.strip())
            )
        return user
    accounts = [user for user in db.session.scalars(query) if can_manage_rounds(user)]
    if len(accounts) != 1:
        raise ServiceError(
            _(
                "%(count)s active secretariat accounts: name the one to import as",
                count=len(accounts),
            )
        )
    return accounts[0]


def check_actor(actor: User) -> None:
    """Refuse anyone but the secretariat."""
    if not can_manage_rounds(actor):
        raise Refused(_("only the secretariat imports comments that arrived by e-mail"))


def read_file(content: bytes) -> list[TemplateRow]:
    """Return the comment rows of a .docx or .xlsx template; raise FileRefused otherwise."""
    kind = file_kind(content)
    rows = word.read_docx(content) if kind == DOCX else excel.read_xlsx(content)
    if not rows:
        raise FileRefused(
            _("The commenting template in this file has its header but no comments under it.")
        )
    return rows


def _plan(
    round_: Round,
    organisation: Organisation,
    rows: Sequence[TemplateRow],
    corrections: Mapping[int, str],
    clauses: VersionClauses,
) -> list[PreviewRow]:
    planned = [
        plan_row(number, row, round_, organisation, clauses, corrections.get(number))
        for number, row in enumerate(rows, start=1)
    ]
    return mark_duplicates(round_.id, organisation.id, planned)


def build_preview(
    token: str | None,
    filename: str,
    round_: Round,
    organisation: Organisation,
    emailed_on: date,
    rows: Sequence[TemplateRow],
    corrections: Mapping[int, str],
) -> ImportPreview:
    """Return the preview of a file's rows, with the clauses chosen in ``corrections``."""
    clauses = version_clauses(round_.version_id)
    return ImportPreview(
        token=token,
        filename=filename,
        round=summarise(round_, now()),
        organisation=organisation.name,
        organisation_code=organisation.code,
        emailed_on=emailed_on,
        emailed_text=day_text(emailed_on),
        rows=tuple(_plan(round_, organisation, rows, corrections, clauses)),
        choices=clauses.choices,
        notes=tuple(file_notes(rows, round_, emailed_on)),
    )


def store_rows(
    round_id: int,
    organisation: Organisation,
    emailed_on: date,
    filename: str,
    digest: str,
    rows: Sequence[TemplateRow],
    corrections: Mapping[int, str],
    actor: User,
) -> tuple[list[ImportedComment], list[PreviewRow], RoundSummary]:
    """Store every new row in the caller's write transaction; return what was done."""
    round_ = lock_round(round_id)
    check_target(round_, organisation, emailed_on)
    clauses = version_clauses(round_.version_id)
    planned = _plan(round_, organisation, rows, corrections, clauses)
    if all(row.status == ERROR for row in planned):
        raise ServiceError(
            _("Nothing can be imported yet: every row of the file has a problem to correct first.")
        )
    moment = now()
    sequence = next_sequence(round_.id, organisation.id)
    imported: list[ImportedComment] = []
    skipped: list[PreviewRow] = []
    for row in planned:
        if not row.importable or row.type is None or row.idempotency_key is None:
            skipped.append(row)
            continue
        clause = clauses.by_key[row.clause.key] if row.clause is not None else None
        comment = store_comment(
            round_id=round_.id,
            organisation_id=organisation.id,
            organisation_code=organisation.code,
            author_id=actor.id,
            clause_id=clause.id if clause is not None else None,
            clause_key=clause.key if clause is not None else None,
            data=CommentInput(row.type, row.body, row.proposed),
            idempotency_key=row.idempotency_key,
            moment=moment,
            sequence=sequence,
            paragraph=row.paragraph,
            emailed_on=emailed_on,
        )
        sequence += 1
        audit.record(
            actor.id,
            "comment.import",
            "comment",
            comment.id,
            round=round_.id,
            organisation=organisation.id,
            tracking_number=comment.tracking_number,
            content_hash=comment.content_hash,
            emailed_on=emailed_on.isoformat(),
            file=filename,
            file_sha256=digest,
            row=row.location,
        )
        imported.append(
            ImportedComment(
                row=row.number,
                location=row.location,
                receipt=receipt(comment),
                received=Moment(comment.received_at, round_.time_zone),
                citation=row.clause.citation if row.clause is not None else None,
            )
        )
    return imported, skipped, summarise(round_, moment)


def build_result(
    summary: RoundSummary,
    organisation: Organisation,
    emailed_on: date,
    filename: str,
    imported: list[ImportedComment],
    skipped: list[PreviewRow],
) -> ImportResult:
    """Return what confirming an import did, as the pages and the command line show it."""
    return ImportResult(
        round=summary,
        organisation=organisation.name,
        emailed_on=emailed_on,
        emailed_text=day_text(emailed_on),
        filename=filename,
        imported=tuple(imported),
        skipped=tuple(skipped),
    )


def write_conflict() -> ServiceError:
    """Return the error shown when a concurrent write made the import's transaction fail."""
    return ServiceError(
        _(
            "Someone imported or submitted comments at the same moment: nothing was stored. "
            "Try again."
        )
    )


# The command line: the same steps, without keeping the file --------------------------------


def preview_file(
    round_id: int, organisation: Organisation, emailed_on: date, filename: str, content: bytes
) -> ImportPreview:
    """Return the preview of a file, storing nothing (the command's --dry-run)."""
    round_ = get_round(round_id)
    check_target(round_, organisation, emailed_on)
    rows = read_file(content)
    return build_preview(None, filename, round_, organisation, emailed_on, rows, {})


def import_file(
    round_id: int,
    organisation: Organisation,
    emailed_on: date,
    filename: str,
    content: bytes,
    actor: User,
) -> ImportResult:
    """Import every valid row of a file at once, as the clauses were matched."""
    check_actor(actor)
    round_ = get_round(round_id)
    check_target(round_, organisation, emailed_on)
    rows = read_file(content)
    digest = hashlib.sha256(content).hexdigest()
    try:
        with write_transaction():
            imported, skipped, summary = store_rows(
                round_.id, organisation, emailed_on, filename, digest, rows, {}, actor
            )
    except IntegrityError as err:
        raise write_conflict() from err
    return build_result(summary, organisation, emailed_on, filename, imported, skipped)
