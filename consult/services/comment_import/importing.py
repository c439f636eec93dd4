"""Importing comments that arrived by e-mail: upload, preview, confirm or discard.

The secretariat uploads a filled-in commenting template for an organisation
and a round. The file is checked and read at once (a bad file is refused and
nothing is stored), then kept in an `Upload` row until its preview is
confirmed or discarded, so that any worker on any host can take the next
step. Confirming reads the file again, applies the clauses the secretariat
chose, and stores every valid row in one write transaction that holds the
round's lock: each a comment with its own tracking number, content hash,
receipt and audit event, stamped "received by e-mail" on the day given.
A row already imported (same round, organisation, content and paragraph) is
skipped, so importing the same file twice stores nothing twice.

The command line takes the same steps without the `Upload` row.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from consult.domain.comment_template import TemplateRow
from consult.domain.emails import normalise_email
from consult.extensions import db
from consult.models import Organisation, Round, Upload, User
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
from consult.services.comments import CommentInput, Receipt, next_sequence, receipt, store_comment
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.round_queries import RoundSummary, summarise
from consult.services.rounds import get_round, lock_round
from consult.services.transactions import now, write_transaction

KIND = "comments"
#: Uploads neither confirmed nor discarded are cleared after this long.
UPLOAD_LIFETIME = timedelta(days=1)
MAX_FILENAME = 255


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
    """Refuse a round not open yet, an organisation outside it, or an e-mail from the future."""
    if round_.state(now()) == "upcoming":
        raise Refused(
            _(
                "This round has not opened yet: comments can be imported into it once it "
                "opens (%(opens)s).",
                opens=Moment(round_.opens_at, round_.time_zone).text,
            )
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


def _check_actor(actor: User) -> None:
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


def _preview(
    token: str | None,
    filename: str,
    round_: Round,
    organisation: Organisation,
    emailed_on: date,
    rows: Sequence[TemplateRow],
    corrections: Mapping[int, str],
) -> ImportPreview:
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


def _store(
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


def _result(
    summary: RoundSummary,
    organisation: Organisation,
    emailed_on: date,
    filename: str,
    imported: list[ImportedComment],
    skipped: list[PreviewRow],
) -> ImportResult:
    return ImportResult(
        round=summary,
        organisation=organisation.name,
        emailed_on=emailed_on,
        emailed_text=day_text(emailed_on),
        filename=filename,
        imported=tuple(imported),
        skipped=tuple(skipped),
    )


def _write_conflict() -> ServiceError:
    return ServiceError(
        _(
            "Someone imported or submitted comments at the same moment: nothing was stored. "
            "Try again."
        )
    )


# The web: upload, preview, confirm, discard -------------------------------------------------


def start_import(
    round_id: int,
    organisation_id: int,
    emailed_on: date,
    filename: str,
    content: bytes,
    actor: User,
) -> str:
    """Check and read the file, keep it for its preview, and return the upload's token.

    Raises NotFound, Refused (round not open yet, organisation not in it),
    ServiceError (a date in the future) or FileRefused; nothing is stored then.
    """
    _check_actor(actor)
    round_ = get_round(round_id)
    organisation = get_organisation(organisation_id)
    check_target(round_, organisation, emailed_on)
    read_file(content)
    token = secrets.token_urlsafe(32)
    with write_transaction():
        db.session.execute(
            delete(Upload).where(Upload.kind == KIND, Upload.uploaded_at < now() - UPLOAD_LIFETIME)
        )
        db.session.add(
            Upload(
                token=token,
                kind=KIND,
                uploaded_by_id=actor.id,
                document_id=round_.version.document_id,
                round_id=round_.id,
                organisation_id=organisation.id,
                emailed_on=emailed_on,
                filename=(filename or "comments")[-MAX_FILENAME:],
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                uploaded_at=now(),
            )
        )
    return token


def get_upload(token: str) -> Upload:
    """Return the comment file waiting under ``token``, or raise NotFound."""
    upload = db.session.scalar(select(Upload).where(Upload.token == token, Upload.kind == KIND))
    if upload is None or upload.round is None or upload.organisation is None:
        raise NotFound(
            _("This import was confirmed, discarded or has expired: upload the file again.")
        )
    return upload


def _parts(upload: Upload) -> tuple[Round, Organisation, date]:
    if upload.round is None or upload.organisation is None or upload.emailed_on is None:
        raise NotFound(_("This import is incomplete: upload the file again."))
    return upload.round, upload.organisation, upload.emailed_on


def preview_import(token: str, corrections: Mapping[int, str] | None = None) -> ImportPreview:
    """Return the preview of a waiting upload, with the clauses chosen in ``corrections``."""
    upload = get_upload(token)
    round_, organisation, emailed_on = _parts(upload)
    rows = read_file(upload.content)
    return _preview(
        upload.token, upload.filename, round_, organisation, emailed_on, rows, corrections or {}
    )


def confirm_import(token: str, corrections: Mapping[int, str] | None, actor: User) -> ImportResult:
    """Import every valid row of a waiting upload in one transaction; delete the upload.

    Raises NotFound when the upload is gone, Refused when the round or the
    organisation no longer allows it; nothing is stored then.
    """
    _check_actor(actor)
    upload = get_upload(token)
    round_, organisation, emailed_on = _parts(upload)
    rows = read_file(upload.content)
    upload_id, filename, digest = upload.id, upload.filename, upload.sha256
    try:
        with write_transaction():
            lock_round(round_.id)  # first: a confirmation of the same upload waits here
            if db.session.get(Upload, upload_id) is None:
                raise NotFound(
                    _("This import was confirmed or discarded meanwhile: nothing more was stored.")
                )
            imported, skipped, summary = _store(
                round_.id,
                organisation,
                emailed_on,
                filename,
                digest,
                rows,
                corrections or {},
                actor,
            )
            db.session.execute(delete(Upload).where(Upload.id == upload_id))
    except IntegrityError as err:
        raise _write_conflict() from err
    return _result(summary, organisation, emailed_on, filename, imported, skipped)


def discard_import(token: str, actor: User) -> int:
    """Delete a waiting upload without importing anything; return its round's id."""
    _check_actor(actor)
    upload = get_upload(token)
    round_id, upload_id = upload.round_id, upload.id
    with write_transaction():
        db.session.execute(delete(Upload).where(Upload.id == upload_id))
    return int(round_id or 0)


# The command line: the same steps, without keeping the file --------------------------------


def preview_file(
    round_id: int, organisation: Organisation, emailed_on: date, filename: str, content: bytes
) -> ImportPreview:
    """Return the preview of a file, storing nothing (the command's --dry-run)."""
    round_ = get_round(round_id)
    check_target(round_, organisation, emailed_on)
    rows = read_file(content)
    return _preview(None, filename, round_, organisation, emailed_on, rows, {})


def import_file(
    round_id: int,
    organisation: Organisation,
    emailed_on: date,
    filename: str,
    content: bytes,
    actor: User,
) -> ImportResult:
    """Import every valid row of a file at once, as the clauses were matched."""
    _check_actor(actor)
    round_ = get_round(round_id)
    check_target(round_, organisation, emailed_on)
    rows = read_file(content)
    digest = hashlib.sha256(content).hexdigest()
    try:
        with write_transaction():
            imported, skipped, summary = _store(
                round_.id, organisation, emailed_on, filename, digest, rows, {}, actor
            )
    except IntegrityError as err:
        raise _write_conflict() from err
    return _result(summary, organisation, emailed_on, filename, imported, skipped)
